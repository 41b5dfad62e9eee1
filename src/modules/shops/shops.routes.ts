import { tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import {
  CONTENT_ETAG,
  idParam,
  ifMatchHeader,
  ifNoneMatchHeader,
  VERSION_ETAG,
} from "../brands/catalog-schemas";
import {
  createShopBody,
  listShopsQuery,
  shopListResponse,
  shopResponse,
  updateShopBody,
} from "./shops.schemas";
import { createShop, deleteShop, getShop, listShops, updateShop } from "./shops.service";

const SHOP_CONFLICT = "A live shop already has this `external_code` (CONFLICT)";

export const shopRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/",
      summary: "List shops (text filter, or near a point)",
      description:
        "Live shops ordered by name. Filters: `q` (name contains), `channel`, `region`, `is_active`. With `near=lat,lng&radius_m=N` (N up to 50,000): only the shops within N metres, nearest first, each with `distance_m` (haversine, metres). One round trip. The response carries a content ETag; If-None-Match answers 304.",
      tags: ["shops"],
      permission: "shops:read",
      query: listShopsQuery,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(shopListResponse, "One page of shops", CONTENT_ETAG) },
    }),
    async (c) => jsonWithContentEtag(c, await listShops(tenantContext(c), c.req.valid("query"))),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a shop",
      description:
        "A geocoded shop: `lat` -90..90, `lng` -180..180. `external_code` is unique among the tenant's live shops (409). Audited. Honours Idempotency-Key.",
      tags: ["shops"],
      permission: "shops:write",
      body: createShopBody,
      responses: {
        201: jsonResponse(shopResponse, "The new shop", { ...VERSION_ETAG, Location: "The shop's URL" }),
      },
      errors: { 409: SHOP_CONFLICT },
    }),
    async (c) => {
      const { data, version } = await createShop(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/shops/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/{id}",
      summary: "Get a shop",
      description: "A live shop of the tenant. If-None-Match with its ETag answers 304.",
      tags: ["shops"],
      permission: "shops:read",
      params: idParam,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(shopResponse, "The shop", VERSION_ETAG) },
      errors: { 404: "Shop not found" },
    }),
    async (c) => {
      const { data, version } = await getShop(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  );

for (const method of ["put", "patch"] as const) {
  shopRoutes.openapi(
    route({
      method,
      path: "/{id}",
      summary: "Update a shop",
      description:
        "Partial update (PUT and PATCH alike). A duplicate live `external_code` is a 409. Honours If-Match (412 on a stale version). Audited.",
      tags: ["shops"],
      permission: "shops:write",
      params: idParam,
      headers: ifMatchHeader,
      body: updateShopBody,
      ifMatch: true,
      responses: { 200: jsonResponse(shopResponse, "The updated shop", VERSION_ETAG) },
      errors: { 404: "Shop not found", 409: SHOP_CONFLICT },
    }),
    async (c) => {
      const expected = ifMatchVersion(c);
      const { data, version } = await updateShop(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        expected,
      );
      return jsonVersioned(c, { data }, version);
    },
  );
}

shopRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    summary: "Delete a shop",
    description:
      "Soft delete: the shop answers 404 afterwards and leaves every list; its external code becomes free. Visits keep their shop. Honours If-Match. Audited.",
    tags: ["shops"],
    permission: "shops:write",
    params: idParam,
    headers: ifMatchHeader,
    ifMatch: true,
    responses: { 204: emptyResponse("Deleted") },
    errors: { 404: "Shop not found" },
  }),
  async (c) => {
    const expected = ifMatchVersion(c);
    await deleteShop(tenantContext(c), c.req.valid("param").id, expected);
    return c.body(null, 204);
  },
);
