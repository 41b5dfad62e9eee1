import type { TenantContext } from "../../core/context";
import { interactionsVersion } from "./interactions.repo";

/**
 * Tenant-safe caching of Finder searches in the Workers Cache API. The key is a hash of the
 * tenant, the caller (user, data scope after `view`) and the whole query; the entry holds the
 * answer and the tenant's interaction data version it was computed at — the newest `updated_at`
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

type Entry<T> = { version: string; body: T };

/** `run()` (an answer and the data version it was read at) through the cache; the answer carries `X-Cache`. */
export async function cachedSearch<T extends { data: unknown[]; pagination: unknown }>(
  ctx: TenantContext,
  query: unknown,
  run: () => Promise<{ body: T; version: string }>,
): Promise<T & { headers: Record<string, string> }> {
  const cache = (caches as unknown as { default: Cache }).default;
  const url = await keyUrl(ctx, query);
  const hit = await cache.match(url);
  if (hit) {
    const entry = (await hit.json()) as Entry<T>;
    if (entry.version === (await interactionsVersion(ctx)))
      return { ...entry.body, headers: { "X-Cache": "HIT" } };
  }
  const fresh = await run();
  const entry: Entry<T> = { version: fresh.version, body: fresh.body };
  await cache.put(
    url,
    new Response(JSON.stringify(entry), {
      headers: { "content-type": "application/json", "cache-control": `max-age=${TTL_SECONDS}` },
    }),
  );
  return { ...fresh.body, headers: { "X-Cache": "MISS" } };
}
