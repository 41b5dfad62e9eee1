import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe, type RouteSpec } from "../../core/openapi";
import { uploadSite } from "../../core/uploads";
import { validate } from "../../core/validation";
import {
  brandListResponse,
  brandResponse,
  createBrandBody,
  listBrandsQuery,
  updateBrandBody,
} from "./brands.schemas";
import { createBrand, deleteBrand, getBrand, listBrands, updateBrand } from "./brands.service";
import { CONTENT_ETAG, idParam, ifMatchHeader, ifNoneMatchHeader, VERSION_ETAG } from "./catalog-schemas";
import {
  infographicListResponse,
  listInfographicsQuery,
  registeredInfographicResponse,
  registerInfographicBody,
} from "./infographics.schemas";
import { listInfographics, registerInfographic } from "./infographics.service";

const updateSpec: RouteSpec = {
  summary: "Update a brand",
  description:
    "Partial update (PUT and PATCH alike). A duplicate live name (any case) or slug is a 409 naming the field; a renamed brand keeps its slug unless one is sent. Honours If-Match (412 on a stale version). Audited.",
  tags: ["brands"],
  auth: true,
  permission: "brands:write",
  responses: { 200: { description: "The updated brand", schema: brandResponse, headers: VERSION_ETAG } },
  errors: ["CONFLICT", "PRECONDITION_FAILED"],
};

export const brandRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List brands",
      description:
        "Live brands ordered by name. Filters: `q` (name contains), `is_active`. Reference data: the response carries a content ETag and If-None-Match answers 304.",
      tags: ["brands"],
      auth: true,
      permission: "brands:read",
      responses: {
        200: { description: "One page of brands", schema: brandListResponse, headers: CONTENT_ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("brands:read"),
    validate("query", listBrandsQuery),
    validate("header", ifNoneMatchHeader),
    async (c) => jsonWithContentEtag(c, await listBrands(tenantContext(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describe({
      summary: "Create a brand",
      description:
        "Name and slug are unique among the tenant's live brands (409 naming the field); the slug is derived from the name when omitted. `logo_url` must be https. Audited. Honours Idempotency-Key.",
      tags: ["brands"],
      auth: true,
      permission: "brands:write",
      responses: {
        201: {
          description: "The new brand",
          schema: brandResponse,
          headers: { ...VERSION_ETAG, Location: "The brand's URL" },
        },
      },
      errors: ["CONFLICT"],
    }),
    requirePermission("brands:write"),
    validate("json", createBrandBody),
    async (c) => {
      const { data, version } = await createBrand(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/brands/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a brand",
      description: "A live brand of the tenant. If-None-Match with its ETag answers 304.",
      tags: ["brands"],
      auth: true,
      permission: "brands:read",
      responses: {
        200: { description: "The brand", schema: brandResponse, headers: VERSION_ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("brands:read"),
    validate("param", idParam),
    validate("header", ifNoneMatchHeader),
    async (c) => {
      const { data, version } = await getBrand(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe(updateSpec),
    requirePermission("brands:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    validate("json", updateBrandBody),
    async (c) => {
      const expected = ifMatchVersion(c);
      const { data, version } = await updateBrand(
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
      summary: "Delete a brand",
      description:
        "Soft delete: the brand answers 404 afterwards and leaves every list; its name and slug become free. Surveys and shelf marks that reference it keep the reference. Honours If-Match. Audited.",
      tags: ["brands"],
      auth: true,
      permission: "brands:write",
      responses: { 204: { description: "Deleted" } },
      errors: ["PRECONDITION_FAILED"],
    }),
    requirePermission("brands:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    async (c) => {
      const expected = ifMatchVersion(c);
      await deleteBrand(tenantContext(c), c.req.valid("param").id, expected);
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/infographics",
    describe({
      summary: "Register a brand infographic and get its upload URL",
      description:
        "Registers an image of a live brand of your tenant (404 otherwise, nothing written) and answers with short-lived upload instructions, exactly like photos: PUT the bytes to `upload.url` with `upload.headers`. `content_type` must be image/jpeg, image/png, image/webp or image/heic (415) and `size` at most the upload limit, 15 MB by default (413). The row stays `pending` until the bytes arrive; then it records the actual size and SHA-256. Audited. Honours Idempotency-Key.",
      tags: ["brands"],
      auth: true,
      permission: "brands:write",
      responses: {
        201: {
          description: "The registered infographic (status pending) with upload instructions",
          schema: registeredInfographicResponse,
        },
      },
      errors: ["PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
    }),
    requirePermission("brands:write"),
    validate("param", idParam),
    validate("json", registerInfographicBody),
    async (c) => {
      const data = await registerInfographic(
        tenantContext(c),
        uploadSite(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return c.json({ data }, 201);
    },
  )
  .get(
    "/:id/infographics",
    describe({
      summary: "List a brand's infographics",
      description:
        "The infographics of a live brand of your tenant, oldest first; each uploaded one carries a short-lived signed `download` URL (null while pending). One database round trip.",
      tags: ["brands"],
      auth: true,
      permission: "brands:read",
      responses: { 200: { description: "One page of infographics", schema: infographicListResponse } },
    }),
    requirePermission("brands:read"),
    validate("param", idParam),
    validate("query", listInfographicsQuery),
    async (c) =>
      c.json(
        await listInfographics(
          tenantContext(c),
          uploadSite(c),
          c.req.valid("param").id,
          c.req.valid("query"),
        ),
      ),
  );
