import { z } from "zod";

/**
 * Schemas shared by the catalogue modules (brands, surveys, shops). Lists are page-numbered,
 * `page_size` 25 by default and at most 100, `total` only with `include_total=true`.
 */
export const pagingQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(25),
  include_total: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("Count the matching rows (`pagination.total`, `pagination.pages`)"),
};

/** `true` / `false` in a query string. */
export const booleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");

export interface Paging {
  page: number;
  page_size: number;
  include_total: boolean;
}

export function pagination(paging: Paging, total: number | null) {
  return {
    page: paging.page,
    page_size: paging.page_size,
    total,
    pages: total === null ? null : Math.ceil(total / paging.page_size),
    next_cursor: null,
  };
}

export const uuidParam = z.uuid({ error: "Must be a UUID" });
export const idParam = z.object({ id: uuidParam });

/** Documented conditional headers (the ETag helpers read them). */
export const ifMatchHeader = z.object({
  "if-match": z
    .string()
    .optional()
    .describe(
      'The ETag you read (`"v3"`): the write applies only while the resource is at that version, else 412',
    ),
});
export const ifNoneMatchHeader = z.object({
  "if-none-match": z.string().optional().describe("The ETag you hold: 304 when nothing changed"),
});

/** Response header descriptions for describe(). */
export const VERSION_ETAG = {
  ETag: 'The resource\'s version, `"v<n>"`; send it back in If-Match / If-None-Match',
};
export const CONTENT_ETAG = { ETag: "A hash of the list; send it back in If-None-Match to get a 304" };

/** Optional free text: trimmed; empty becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v === "" ? null : v));
}
