import { tenantContext } from "../../core/context";
import { onRow } from "../../core/resource/item-routes";
import { resourceRoutes } from "../../core/resource/routes";
import { jsonResponse, route } from "../../core/route";
import { uploadSite } from "../../core/uploads";
import { brandResource } from "./brands.resource";
import { createBrand } from "./brands.service";
import {
  infographicListResponse,
  listInfographicsQuery,
  registeredInfographicResponse,
  registerInfographicBody,
} from "./infographics.schemas";
import { listInfographics, registerInfographic } from "./infographics.service";

/**
 * Brands on the resource kit: the standard five routes with the brand's own create (the slug
 * rule), plus the infographics verbs.
 */
export const brandRoutes = resourceRoutes(brandResource, {
  create: { run: createBrand },
  docs: {
    create: "The slug is derived from the name when omitted. `logo_url` must be https.",
    update: "A renamed brand keeps its slug unless one is sent.",
    delete: "Its name and slug become free; surveys and shelf marks that reference it keep the reference.",
  },
})
  .openapi(
    route({
      ...onRow("brands"),
      method: "post",
      path: "/{id}/infographics",
      summary: "Register a brand infographic and get its upload URL",
      description:
        "Registers an image of a live brand of your tenant (404 otherwise, nothing written) and answers with short-lived upload instructions, exactly like photos: PUT the bytes to `upload.url` with `upload.headers`. `content_type` must be image/jpeg, image/png, image/webp or image/heic (415) and `size` at most the upload limit, 15 MB by default (413). The row stays `pending` until the bytes arrive; then it records the actual size and SHA-256. Audited. Honours Idempotency-Key.",
      permission: "brands:write",
      body: registerInfographicBody,
      responses: {
        201: jsonResponse(
          registeredInfographicResponse,
          "The registered infographic (status pending) with upload instructions",
        ),
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
      ...onRow("brands"),
      method: "get",
      path: "/{id}/infographics",
      summary: "List a brand's infographics",
      description:
        "The infographics of a live brand of your tenant, oldest first; each uploaded one carries a short-lived signed `download` URL (null while pending). One database round trip.",
      permission: "brands:read",
      query: listInfographicsQuery,
      responses: { 200: jsonResponse(infographicListResponse, "One page of infographics") },
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
