import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { idempotencyRecords } from "../../db/schema";
import type { AppEnv } from "../context";
import type { Db } from "../db";
import { ApiError } from "../errors";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const KEY_RE = /^[\x21-\x7e]{1,255}$/;
/** How long a stored response is replayed. */
const RETENTION = "24 hours";
/** An in-flight claim older than this belongs to a request that died; a retry may take it over. */
const STALE_CLAIM = "2 minutes";
/** Response headers worth replaying (the body's type, the new version, where it lives). */
const REPLAYED_HEADERS = ["content-type", "etag", "location"] as const;

interface ClaimResult {
  claimed: boolean;
  request_hash: string | null;
  status: number | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Claims `key` in one round trip. The insert wins for a new key (or a stale in-flight claim);
 * otherwise the statement's snapshot returns the existing record. No record and no claim means a
 * concurrent request inserted it after our snapshot: it is in flight.
 */
async function claim(
  db: Db,
  ids: { tenantId: string; userId: string; key: string },
  method: string,
  path: string,
  requestHash: string,
): Promise<ClaimResult> {
  const { tenantId, userId, key } = ids;
  const result = await db.execute<ClaimResult & Record<string, unknown>>(sql`
    with claimed as (
      insert into ${idempotencyRecords} (tenant_id, user_id, key, method, path, request_hash, expires_at)
      values (${tenantId}, ${userId}, ${key}, ${method}, ${path}, ${requestHash}, now() + ${RETENTION}::interval)
      on conflict (tenant_id, user_id, key) do update
        set method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
            created_at = now(), expires_at = excluded.expires_at
        where ${idempotencyRecords}.status is null
          and ${idempotencyRecords}.created_at < now() - ${STALE_CLAIM}::interval
      returning 1
    )
    select exists (select 1 from claimed) as claimed, r.request_hash, r.status, r.response_body, r.response_headers
    from (select 1) as one
    left join ${idempotencyRecords} r
      on r.tenant_id = ${tenantId} and r.user_id = ${userId} and r.key = ${key} and r.expires_at > now()`);
  const row = result.rows[0];
  if (!row) throw new Error("idempotency claim returned no row");
  return row;
}

/**
 * `Idempotency-Key` for POST/PUT/PATCH/DELETE (DESIGN §3), after `authenticate`. The first
 * response (any status below 500) is stored per (tenant, user, key) with a hash of the method,
 * path and body, and replayed for retries with `Idempotent-Replayed: true`; the same key with a
 * different request is a 422; a retry while the first is still running is a 409 with
 * Retry-After. A 5xx releases the key so the client can try again. Costs two round trips, only
 * when the header is sent.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined || !MUTATING.has(c.req.method)) return next();
  if (!KEY_RE.test(key)) {
    throw ApiError.validation("Invalid Idempotency-Key", [
      { field: "Idempotency-Key", message: "1 to 255 visible ASCII characters" },
    ]);
  }
  const { tenantId, userId } = c.get("auth");
  const db = c.get("db");
  const path = c.req.path.replace(/^\/api\/v1(?=\/)/, "/api");
  const requestHash = await sha256Hex(`${c.req.method} ${path}\n${await c.req.text()}`);
  const ids = { tenantId, userId, key };
  const found = await claim(db, ids, c.req.method, path, requestHash);

  if (!found.claimed) {
    if (found.request_hash !== null && found.request_hash !== requestHash) {
      throw new ApiError("VALIDATION_ERROR", "This Idempotency-Key was used with a different request", {
        status: 422,
      });
    }
    if (found.status === null) {
      throw new ApiError("CONFLICT", "A request with this Idempotency-Key is still being processed", {
        headers: { "Retry-After": "1" },
      });
    }
    const headers = new Headers(found.response_headers ?? {});
    headers.set("Idempotent-Replayed", "true");
    return c.newResponse(found.response_body || null, found.status as 200, Object.fromEntries(headers));
  }

  const where = sql`tenant_id = ${tenantId} and user_id = ${userId} and key = ${key}`;
  try {
    await next();
  } catch (err) {
    await db.execute(sql`delete from ${idempotencyRecords} where ${where}`);
    throw err;
  }
  const res = c.res;
  if (res.status >= 500) {
    await db.execute(sql`delete from ${idempotencyRecords} where ${where}`);
    return;
  }
  const body = res.status === 204 || res.status === 304 ? "" : await res.clone().text();
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  await db.execute(sql`
    update ${idempotencyRecords}
    set status = ${res.status}, response_body = ${body}, response_headers = ${JSON.stringify(headers)}::jsonb
    where ${where}`);
});
