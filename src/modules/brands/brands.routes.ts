import { tenantContext } from "../../core/context";
import { requirePermission } from "../../core/middleware/auth";
import { describe } from "../../core/openapi";
import { idParam } from "../../core/resource/params";
import { resourceRoutes } from "../../core/resource/routes";
import { uploadSite } from "../../core/uploads";
import { validate } from "../../core/validation";
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
