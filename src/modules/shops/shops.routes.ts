import { resourceRoutes } from "../../core/resource/routes";
import { listShopsQuery, shopListResponse, shopResource } from "./shops.resource";
import { listShops } from "./shops.service";

/** Shops on the resource kit: the standard five routes with the shop's own list (`near=`). */
export const shopRoutes = resourceRoutes(shopResource, {
  list: { query: listShopsQuery, response: shopListResponse, run: listShops },
  docs: {
    list: "With `near=lat,lng&radius_m=N` (N up to 50,000): only the shops within N metres, nearest first, each with `distance_m` (haversine, metres).",
    create: "A geocoded shop: `lat` -90..90, `lng` -180..180.",
    delete: "Its external code becomes free; visits keep their shop.",
  },
});
