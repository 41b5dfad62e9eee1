import type { TenantContext } from "../../core/context";
import { interactionsVersion } from "./interactions.repo";

/**
 * Tenant-safe caching of Finder searches in the Workers Cache API. The key is a hash of the
 * tenant, the caller (user, data scope after `view`), the whole query and the tenant's
 * interaction data version — the newest `updated_at` of its interactions, deleted ones included
 * (every kit write — create, update, delete, restore — sets it; an index-only read of
 * interactions_tenant_updated_idx) — so a write is seen by the next search, one tenant's entry
 * can never answer another, and a visibility change (assignment) is a write too. Team changes
 * are bounded by the 60 s lifetime. Hits answer `X-Cache: HIT`, misses `X-Cache: MISS`.
 */

const TTL_SECONDS = 60;

async function keyUrl(ctx: TenantContext, query: unknown, version: string): Promise<string> {
  const material = JSON.stringify([ctx.tenantId, ctx.userId, ctx.scope, query, version]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `https://finder-cache.internal/${ctx.tenantId}/${hex}`;
}

/** `run()` through the cache; the answer carries `X-Cache`. */
export async function cachedSearch<T extends { data: unknown[]; pagination: unknown }>(
  ctx: TenantContext,
  query: unknown,
  run: () => Promise<T>,
): Promise<T & { headers: Record<string, string> }> {
  const cache = (caches as unknown as { default: Cache }).default;
  const url = await keyUrl(ctx, query, await interactionsVersion(ctx));
  const hit = await cache.match(url);
  if (hit) return { ...((await hit.json()) as T), headers: { "X-Cache": "HIT" } };
  const fresh = await run();
  await cache.put(
    url,
    new Response(JSON.stringify(fresh), {
      headers: { "content-type": "application/json", "cache-control": `max-age=${TTL_SECONDS}` },
    }),
  );
  return { ...fresh, headers: { "X-Cache": "MISS" } };
}
