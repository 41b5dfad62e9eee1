import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe, type RouteSpec } from "../../core/openapi";
import { validate } from "../../core/validation";
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

const updateSpec: RouteSpec = {
  summary: "Update a shop",
  description:
    "Partial update (PUT and PATCH alike). A duplicate live `external_code` is a 409. Honours If-Match (412 on a stale version). Audited.",
  tags: ["shops"],
  auth: true,
  permission: "shops:write",
  responses: { 200: { description: "The updated shop", schema: shopResponse, headers: VERSION_ETAG } },
  errors: ["CONFLICT", "PRECONDITION_FAILED"],
};

export const shopRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List shops (text filter, or near a point)",
      description:
        "Live shops ordered by name. Filters: `q` (name contains), `channel`, `region`, `is_active`. With `near=lat,lng&radius_m=N` (N up to 50,000): only the shops within N metres, nearest first, each with `distance_m` (haversine, metres). One round trip. The response carries a content ETag; If-None-Match answers 304.",
      tags: ["shops"],
      auth: true,
      permission: "shops:read",
      responses: {
        200: { description: "One page of shops", schema: shopListResponse, headers: CONTENT_ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("shops:read"),
    validate("query", listShopsQuery),
    validate("header", ifNoneMatchHeader),
    async (c) => jsonWithContentEtag(c, await listShops(tenantContext(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describe({
      summary: "Create a shop",
      description:
        "A geocoded shop: `lat` -90..90, `lng` -180..180. `external_code` is unique among the tenant's live shops (409). Audited. Honours Idempotency-Key.",
      tags: ["shops"],
      auth: true,
      permission: "shops:write",
      responses: {
        201: {
          description: "The new shop",
          schema: shopResponse,
          headers: { ...VERSION_ETAG, Location: "The shop's URL" },
        },
      },
      errors: ["CONFLICT"],
    }),
    requirePermission("shops:write"),
    validate("json", createShopBody),
    async (c) => {
      const { data, version } = await createShop(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/shops/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a shop",
      description: "A live shop of the tenant. If-None-Match with its ETag answers 304.",
      tags: ["shops"],
      auth: true,
      permission: "shops:read",
      responses: {
        200: { description: "The shop", schema: shopResponse, headers: VERSION_ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("shops:read"),
    validate("param", idParam),
    validate("header", ifNoneMatchHeader),
    async (c) => {
      const { data, version } = await getShop(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe(updateSpec),
    requirePermission("shops:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    validate("json", updateShopBody),
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
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a shop",
      description:
        "Soft delete: the shop answers 404 afterwards and leaves every list; its external code becomes free. Visits keep their shop. Honours If-Match. Audited.",
      tags: ["shops"],
      auth: true,
      permission: "shops:write",
      responses: { 204: { description: "Deleted" } },
      errors: ["PRECONDITION_FAILED"],
    }),
    requirePermission("shops:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    async (c) => {
      const expected = ifMatchVersion(c);
      await deleteShop(tenantContext(c), c.req.valid("param").id, expected);
      return c.body(null, 204);
    },
  );
