import type { TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { AppContext } from "./context";
import { ApiError } from "./errors";

/**
 * Concurrency helpers (DESIGN §3). Single resources carry a version counter that every update
 * bumps; their ETag is `"v<version>"`. A write with `If-Match` is applied only when the stored
 * version still equals the one the client read (the check is part of the UPDATE's WHERE clause,
 * so two concurrent writers cannot both win). Reference data answers `If-None-Match` with 304.
 */
export function versionEtag(version: number): string {
  return `"v${version}"`;
}

/**
 * The version an `If-Match` header demands, `undefined` when there is none or it is `*`.
 * A header that can name no version of ours can never match: 412.
 */
export function ifMatchVersion(c: AppContext): number | undefined {
  const header = c.req.header("if-match")?.trim();
  if (!header || header === "*") return undefined;
  const match = /^"v(\d{1,9})"$/.exec(header);
  if (!match?.[1]) throw preconditionFailed();
  return Number(match[1]);
}

export function preconditionFailed(): ApiError {
  return new ApiError("PRECONDITION_FAILED", "The resource has changed since you read it (If-Match)");
}

/** True when an `If-None-Match` header lists `etag` (or `*`), weak or strong. */
export function matchesIfNoneMatch(c: AppContext, etag: string): boolean {
  const header = c.req.header("if-none-match");
  if (!header) return false;
  const wanted = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === wanted;
  });
}

/** What `c.json(body, status)` returns, so a helper's response is checked like the handler's own. */
export type JsonResponseOf<T, S extends 200 | 201> = Response & TypedResponse<JSONParsed<T>, S, "json">;

/**
 * A single resource with its version ETag; 304 when the client already has this version. Typed as
 * the JSON response it usually is (the 304 is documented by `route({ notModified: true })`), so
 * the route's declared body is still checked.
 */
export function jsonVersioned<T extends { data: unknown }, S extends 200 | 201 = 200>(
  c: AppContext,
  body: T,
  version: number,
  status: S = 200 as S,
): JsonResponseOf<T, S> {
  const etag = versionEtag(version);
  c.header("ETag", etag);
  if (status === 200 && matchesIfNoneMatch(c, etag))
    return c.body(null, 304) as unknown as JsonResponseOf<T, S>;
  return c.json(body, status) as unknown as JsonResponseOf<T, S>;
}

/**
 * Reference data (lists that change rarely): a strong ETag from the SHA-1 of the JSON body, 304
 * when `If-None-Match` names it, so a phone re-syncing unchanged data downloads nothing.
 */
export async function jsonWithContentEtag<T>(c: AppContext, body: T): Promise<JsonResponseOf<T, 200>> {
  return (await jsonTextWithContentEtag(c, JSON.stringify(body))) as JsonResponseOf<T, 200>;
}

/** The same as `jsonWithContentEtag` for a body already serialised (`text`: its JSON). */
export async function jsonTextWithContentEtag(c: AppContext, text: string): Promise<Response> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  const etag = `"${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  c.header("ETag", etag);
  c.header("Cache-Control", "private, no-cache");
  if (matchesIfNoneMatch(c, etag)) return c.body(null, 304);
  c.header("Content-Type", "application/json");
  return c.body(text, 200);
}
