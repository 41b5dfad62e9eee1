import type { TenantContext } from "../../core/context";
import { interactionsVersion } from "./interactions.repo";

/**
 * Tenant-safe caching of Finder searches in the Workers Cache API. The key is a hash of the
 * tenant, the caller (user, data scope after `view`) and the whole query; the entry holds the
 * answer's JSON text and (a header) the tenant's interaction data version it was computed at — the newest `updated_at`
 * of its interactions, deleted ones included (every kit write — create, update, delete, restore —
 * sets it; an index-only read of interactions_tenant_updated_idx), read in the search's round
 * trip just before it (never newer than the answer). An entry answers only while the version is unchanged, so a write is
 * seen by the next search, one tenant's entry can never answer another, and a visibility change
 * (assignment) is a write too. Team changes are bounded by the 60 s lifetime.
 *
 * Round trips: no entry → one (the search, which reads the version too); an entry → one (the
 * version), and a second only when a write made it stale. Hits answer `X-Cache: HIT`, the
 * others `X-Cache: MISS`.
 */

const TTL_SECONDS = 60;

async function keyUrl(ctx: TenantContext, query: unknown): Promise<string> {
  const material = JSON.stringify([ctx.tenantId, ctx.userId, ctx.scope, query]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `https://finder-cache.internal/${ctx.tenantId}/${hex}`;
}

/** The response header of an entry holding the data version its answer was computed at. */
const VERSION_HEADER = "x-finder-version";

/**
 * `run()` (an answer and the data version it was read at) through the cache, as the answer's JSON
 * text (`json`, what the list route answers as is) with `X-Cache`. The entry is that text, its
 * version in a header: the body is serialised once on a miss and never parsed on a hit, and a
 * stale entry is known without reading it.
 */
export async function cachedSearch(
  ctx: TenantContext,
  query: unknown,
  run: () => Promise<{ body: { data: unknown[]; pagination: unknown }; version: string }>,
): Promise<{ json: string; headers: Record<string, string> }> {
  const cache = (caches as unknown as { default: Cache }).default;
  const url = await keyUrl(ctx, query);
  const hit = await cache.match(url);
  if (hit) {
    const version = hit.headers.get(VERSION_HEADER);
    if (version !== null && version === (await interactionsVersion(ctx)))
      return { json: await hit.text(), headers: { "X-Cache": "HIT" } };
    await hit.body?.cancel();
  }
  const fresh = await run();
  const json = JSON.stringify(fresh.body);
  await cache.put(
    url,
    new Response(json, {
      headers: {
        "content-type": "application/json",
        "cache-control": `max-age=${TTL_SECONDS}`,
        [VERSION_HEADER]: fresh.version,
      },
    }),
  );
  return { json, headers: { "X-Cache": "MISS" } };
}
