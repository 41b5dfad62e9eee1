import { z } from "zod";
import { listEnvelope } from "../../core/openapi";
import { pageSizeQuery } from "../../core/pagination";
import { viewQuery } from "../../core/resource/view";

export const SEARCH_TYPES = ["clients", "leads", "contacts", "accounts", "projects", "interactions"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** `GET /api/search`: one query over several CRM types. */
export const searchQuery = z.strictObject({
  q: z.string().trim().min(2).max(200).describe("Partial words and typos (pg_trgm), case-insensitive"),
  types: z
    .string()
    .transform((v) => v.split(",").map((t) => t.trim()))
    .pipe(z.array(z.enum(SEARCH_TYPES)).min(1))
    .optional()
    .describe(`Comma-separated, any of ${SEARCH_TYPES.join(", ")} (default: all)`),
  view: viewQuery,
  page: z.coerce.number().int().min(1).max(1000).default(1),
  page_size: pageSizeQuery,
});
export type SearchQuery = z.infer<typeof searchQuery>;

export const searchHit = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.uuid(),
    label: z.string().describe("Name (contacts: first and last name; interactions: title)"),
    rank: z
      .number()
      .describe(
        "Word similarity, +1 when the text starts with the query; interactions: the Finder's relevance (ts_rank of its query)",
      ),
    item: z.record(z.string(), z.unknown()).describe("The row as its own routes answer it"),
  })
  .openapi("SearchHit");
export type SearchHitDto = z.infer<typeof searchHit>;
export const searchResponse = listEnvelope(searchHit);
