import { tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import { uploadSite } from "../../core/uploads";
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

const BRAND_CONFLICT = "A live brand already has this name or slug (CONFLICT, naming the field)";

export const brandRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/",
      summary: "List brands",
      description:
        "Live brands ordered by name. Filters: `q` (name contains), `is_active`. Reference data: the response carries a content ETag and If-None-Match answers 304.",
      tags: ["brands"],
      permission: "brands:read",
      query: listBrandsQuery,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(brandListResponse, "One page of brands", CONTENT_ETAG) },
    }),
    async (c) => jsonWithContentEtag(c, await listBrands(tenantContext(c), c.req.valid("query"))),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a brand",
      description:
        "Name and slug are unique among the tenant's live brands (409 naming the field); the slug is derived from the name when omitted. `logo_url` must be https. Audited. Honours Idempotency-Key.",
      tags: ["brands"],
      permission: "brands:write",
      body: createBrandBody,
      responses: {
        201: jsonResponse(brandResponse, "The new brand", { ...VERSION_ETAG, Location: "The brand's URL" }),
      },
      errors: { 409: BRAND_CONFLICT },
    }),
    async (c) => {
      const { data, version } = await createBrand(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/brands/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/{id}",
      summary: "Get a brand",
      description: "A live brand of the tenant. If-None-Match with its ETag answers 304.",
      tags: ["brands"],
      permission: "brands:read",
      params: idParam,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(brandResponse, "The brand", VERSION_ETAG) },
      errors: { 404: "Brand not found" },
    }),
    async (c) => {
      const { data, version } = await getBrand(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  );

for (const method of ["put", "patch"] as const) {
  brandRoutes.openapi(
    route({
      method,
      path: "/{id}",
      summary: "Update a brand",
      description:
        "Partial update (PUT and PATCH alike). A duplicate live name (any case) or slug is a 409 naming the field; a renamed brand keeps its slug unless one is sent. Honours If-Match (412 on a stale version). Audited.",
      tags: ["brands"],
      permission: "brands:write",
      params: idParam,
      headers: ifMatchHeader,
      body: updateBrandBody,
      ifMatch: true,
      responses: { 200: jsonResponse(brandResponse, "The updated brand", VERSION_ETAG) },
      errors: { 404: "Brand not found", 409: BRAND_CONFLICT },
    }),
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
  );
}

brandRoutes
  .openapi(
    route({
      method: "delete",
      path: "/{id}",
      summary: "Delete a brand",
      description:
        "Soft delete: the brand answers 404 afterwards and leaves every list; its name and slug become free. Surveys and shelf marks that reference it keep the reference. Honours If-Match. Audited.",
      tags: ["brands"],
      permission: "brands:write",
      params: idParam,
      headers: ifMatchHeader,
      ifMatch: true,
      responses: { 204: emptyResponse("Deleted") },
      errors: { 404: "Brand not found" },
    }),
    async (c) => {
      const expected = ifMatchVersion(c);
      await deleteBrand(tenantContext(c), c.req.valid("param").id, expected);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/{id}/infographics",
      summary: "Register a brand infographic and get its upload URL",
      description:
        "Registers an image of a live brand of your tenant (404 otherwise, nothing written) and answers with short-lived upload instructions, exactly like photos: PUT the bytes to `upload.url` with `upload.headers`. `content_type` must be image/jpeg, image/png, image/webp or image/heic (415) and `size` at most the upload limit, 15 MB by default (413). The row stays `pending` until the bytes arrive; then it records the actual size and SHA-256. Audited. Honours Idempotency-Key.",
      tags: ["brands"],
      permission: "brands:write",
      params: idParam,
      body: registerInfographicBody,
      responses: {
        201: jsonResponse(
          registeredInfographicResponse,
          "The registered infographic (status pending) with upload instructions",
        ),
      },
      errors: {
        404: "Brand not found",
        413: "The declared `size` is over the upload limit",
        415: "The declared `content_type` is not an allowed image type",
      },
    }),
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
  .openapi(
    route({
      method: "get",
      path: "/{id}/infographics",
      summary: "List a brand's infographics",
      description:
        "The infographics of a live brand of your tenant, oldest first; each uploaded one carries a short-lived signed `download` URL (null while pending). One database round trip.",
      tags: ["brands"],
      permission: "brands:read",
      params: idParam,
      query: listInfographicsQuery,
      responses: { 200: jsonResponse(infographicListResponse, "One page of infographics") },
      errors: { 404: "Brand not found" },
    }),
    async (c) =>
      c.json(
        await listInfographics(
          tenantContext(c),
          uploadSite(c),
          c.req.valid("param").id,
          c.req.valid("query"),
        ),
        200,
      ),
  );
