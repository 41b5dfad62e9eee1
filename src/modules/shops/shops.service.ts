import type { TenantContext } from "../../core/context";
import { listPage } from "../../core/resource/verbs";
import { nearOptions } from "./shops.repo";
import { type ListShopsQuery, shopResource } from "./shops.resource";

/** Live shops by name, or — with `near` — those within `radius_m` of it, nearest first, with `distance_m`. */
export async function listShops(ctx: TenantContext, query: ListShopsQuery) {
  const { near, radius_m, ...rest } = query;
  return listPage(ctx, shopResource, rest, near && radius_m ? nearOptions(near, radius_m) : {});
}
