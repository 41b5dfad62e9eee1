import { z } from "zod";
import { ApiError } from "./errors";

/** `true` / `false` in a query string (nothing else, so a typo is a 400, not a silent false). */
export const booleanQuery = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .describe("true or false");

/** Page size (DESIGN §3: 25 by default, at most 100). */
export const pageSizeQuery = z.coerce.number().int().min(1).max(100).default(25);

/** `include_total=true` counts the matching rows (`pagination.total`, `pagination.pages`). */
export const includeTotalQuery = booleanQuery
  .default(false)
  .describe("Count the matching rows (`pagination.total`, `pagination.pages`)");

/** Query fields of a page-numbered list. */
export const pagingQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: pageSizeQuery,
  include_total: includeTotalQuery,
};

export interface Paging {
  page: number;
  page_size: number;
  include_total: boolean;
}

/** The `pagination` object of a page-numbered list. */
export function pagination(paging: Paging, total: number | null, nextCursor: string | null = null) {
  return {
    page: paging.page,
    page_size: paging.page_size,
    total,
    pages: total === null ? null : Math.ceil(total / paging.page_size),
    next_cursor: nextCursor,
  };
}

/** An opaque keyset cursor: the position of the last row, as base64url JSON. */
export function encodeCursor(position: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The position in a cursor this API issued, checked against `schema`; anything else is a 400 on `cursor`. */
export function decodeCursor<T>(text: string, schema: z.ZodType<T>): T {
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const parsed = schema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // not base64 or not JSON: the same answer as a wrong shape
  }
  throw ApiError.validation("Invalid request query", [
    { field: "cursor", message: "Not a cursor this API issued (use pagination.next_cursor)" },
  ]);
}
