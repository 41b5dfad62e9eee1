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

interface Paging {
  page: number;
  page_size: number;
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

/**
 * The paging fields of every list (DESIGN §3): `page` numbers or the keyset `cursor` (from
 * `pagination.next_cursor`), `page_size`, `include_total`. Refine the object with `checkPaging`.
 */
export const listPagingQuery = {
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("Page number (offset paging, default 1); prefer `cursor` for deep or live lists"),
  page_size: pageSizeQuery,
  include_total: includeTotalQuery,
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe("`pagination.next_cursor` of the previous page (keyset paging); replaces `page`"),
};

/** `superRefine` of a list query: a cursor already says which page it is, so not both. */
export function checkPaging(
  q: { page?: number | undefined; cursor?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.cursor !== undefined && q.page !== undefined) {
    ctx.addIssue({ code: "custom", path: ["cursor"], message: "Send either `cursor` or `page`, not both" });
  }
}

/** What a repository needs to read one page: a row more than the page tells whether another follows. */
export interface PageRequest<K> {
  page: number;
  pageSize: number;
  /** `pageSize + 1`. */
  limit: number;
  /** 0 after a cursor. */
  offset: number;
  /** The keyset position of the previous page's last row. */
  after: K | undefined;
  includeTotal: boolean;
}

/**
 * The page a list query asks for. A cursor is `{k: <position of the last row>, p: <its page + 1>}`
 * checked against `keySchema` (anything else: 400 on `cursor`), so pages keep their numbers while
 * rows written meanwhile cannot shift them.
 */
export function pageRequest<K>(
  query: {
    page?: number | undefined;
    page_size: number;
    include_total: boolean;
    cursor?: string | undefined;
  },
  keySchema: z.ZodType<K>,
): PageRequest<K> {
  const cursor =
    query.cursor === undefined
      ? undefined
      : decodeCursor(query.cursor, z.object({ k: keySchema, p: z.number().int().min(2).max(1_000_000) }));
  const page = cursor?.p ?? query.page ?? 1;
  return {
    page,
    pageSize: query.page_size,
    limit: query.page_size + 1,
    offset: cursor ? 0 : (page - 1) * query.page_size,
    after: cursor?.k,
    includeTotal: query.include_total,
  };
}

/** What a repository's list reads of a page request: `limit` (one extra row), `offset`, `includeTotal`. */
export function pageWindow(request: PageRequest<unknown>) {
  return { limit: request.limit, offset: request.offset, includeTotal: request.includeTotal };
}

/**
 * Cuts the extra row off a page read with `request.limit` and builds `pagination`, with a
 * `next_cursor` (the last row's position from `keyOf`) only when another page follows.
 */
export function keysetPage<R, K>(
  rows: readonly R[],
  request: PageRequest<K>,
  total: number | null,
  keyOf: (row: R) => K,
) {
  const items = rows.slice(0, request.pageSize);
  const last = items.at(-1);
  const more = rows.length > request.pageSize && last !== undefined;
  return {
    items,
    pagination: pagination(
      { page: request.page, page_size: request.pageSize },
      total,
      more ? encodeCursor({ k: keyOf(last), p: request.page + 1 }) : null,
    ),
  };
}
