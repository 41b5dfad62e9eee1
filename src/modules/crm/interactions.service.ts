import type { TenantContext } from "../../core/context";
import { listPage } from "../../core/resource/verbs";
import { cachedSearch } from "./interactions.cache";
import { finderOptions } from "./interactions.repo";
import { interactionResource } from "./interactions.resource";
import type { FinderQuery } from "./interactions.schemas";

/**
 * The Finder (seed 001): filters, search, sort and paging over the interactions in your view,
 * total always. A search costs one round trip on a cache hit (the data version), two on a miss.
 */
export async function findInteractions(ctx: TenantContext, query: FinderQuery) {
  const { q, search, sort, direction, pageSize, page_size, ...rest } = query;
  const text = q ?? search;
  const run = () =>
    listPage(
      ctx,
      interactionResource,
      { ...rest, page_size: page_size ?? pageSize ?? 25, include_total: true },
      finderOptions(text, sort, direction),
    );
  // Searches go through the tenant-safe cache; plain lists are one indexed query already.
  return text ? cachedSearch(ctx, query, run) : run();
}
