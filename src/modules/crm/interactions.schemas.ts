import { z } from "zod";
import { listEnvelope } from "../../core/openapi";
import { checkPaging } from "../../core/pagination";
import { listQueryShape } from "../../core/resource/schemas";
import { interactionResource } from "./interactions.resource";

/** The Finder's sort fields (seed 001: "sort by any field"; camelCase spellings accepted). */
export const FINDER_SORTS = [
  "relevance",
  "title",
  "type",
  "lead",
  "location",
  "start_date_time",
  "end_date_time",
  "follow_up_at",
  "created_at",
  "updated_at",
] as const;
export type FinderSort = (typeof FINDER_SORTS)[number];

const snake = (v: string) => v.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
const searchText = z.string().trim().min(1).max(200);

/**
 * The interactions list is the Finder: the declared filters (`type`, `lead`, links, `done`),
 * `q` — or seed 001's `search` — over every text field, `sort` + `direction`, and paging with
 * `page_size` or seed 001's `pageSize`. `pagination.total` is always counted.
 */
export const finderQuery = z
  .strictObject({
    ...listQueryShape(interactionResource),
    page_size: z.coerce.number().int().min(1).max(100).optional().describe("Default 25, at most 100"),
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe("Seed 001's spelling of `page_size`"),
    q: searchText
      .optional()
      .describe(
        "Words (full-text, prefixes), partial words and typos (trigram) over title, lead, type, location, description and notes",
      ),
    search: searchText.optional().describe("Seed 001's spelling of `q`"),
    sort: z
      .string()
      .transform(snake)
      .pipe(z.enum(FINDER_SORTS))
      .optional()
      .describe("Default: relevance when searching, else start_date_time (newest first); ties break on id"),
    direction: z
      .enum(["asc", "desc"])
      .optional()
      .describe("Default desc for relevance and dates, asc for text"),
  })
  .superRefine((q, ctx) => {
    checkPaging(q, ctx);
    if (q.q !== undefined && q.search !== undefined && q.q !== q.search) {
      ctx.addIssue({ code: "custom", path: ["search"], message: "Send `q` or `search`, not both" });
    }
    if (q.sort === "relevance" && q.q === undefined && q.search === undefined) {
      ctx.addIssue({ code: "custom", path: ["sort"], message: "relevance needs `q` or `search`" });
    }
  });
export type FinderQuery = z.infer<typeof finderQuery>;

export const finderResponse = listEnvelope(
  interactionResource.schemas.item.extend({
    rank: z
      .number()
      .optional()
      .describe("Relevance (when searching): full-text rank + trigram word similarity"),
    highlight: z
      .string()
      .nullable()
      .optional()
      .describe("The matched words in title and description, marked with <b>…</b> (when searching)"),
  }),
);
