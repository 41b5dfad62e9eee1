import type { TenantContext } from "../../core/context";
import { listPage } from "../../core/resource/verbs";
import { finderOptions } from "./interactions.repo";
import { interactionResource } from "./interactions.resource";
import type { FinderQuery } from "./interactions.schemas";

/** The Finder (seed 001): filters, search, sort and paging over the interactions in your view, total always. */
export async function findInteractions(ctx: TenantContext, query: FinderQuery) {
  const { q, search, sort, direction, pageSize, page_size, ...rest } = query;
  return listPage(
    ctx,
    interactionResource,
    { ...rest, page_size: page_size ?? pageSize ?? 25, include_total: true },
    finderOptions(q ?? search, sort, direction),
  );
}
