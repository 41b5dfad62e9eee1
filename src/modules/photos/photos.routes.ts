import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { eventEmitter } from "../../core/emit";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { uploadSite } from "../../core/uploads";
import { validate } from "../../core/validation";
import {
  photoDetailResponse,
  photoIdParam,
  registeredPhotoResponse,
  registerPhotoBody,
  shelfQuadrantsBody,
  shelfQuadrantsResponse,
} from "./photos.schemas";
import { getPhoto, registerPhoto, submitShelfQuadrants } from "./photos.service";

export const photoRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .post(
    "/",
    describe({
      summary: "Register a photo and get its upload URL",
      description:
        "Registers a photo of a visit (of your tenant, inside your data scope: otherwise 404 and nothing is written) and answers with short-lived upload instructions: PUT the bytes to `upload.url` with `upload.headers`. The URL is an R2 presigned URL when R2 S3 credentials are configured, otherwise a signed URL on this API that streams the body into R2. `content_type` must be image/jpeg, image/png, image/webp or image/heic (415) and `size` at most the upload limit (413). A resend with the same `client_id` answers 200 with the existing photo and fresh instructions; the same `client_id` for another visit is a 409. Audited. Honours Idempotency-Key.",
      tags: ["photos"],
      auth: true,
      permission: "photos:create",
      responses: {
        201: {
          description: "The registered photo (status pending) with upload instructions",
          schema: registeredPhotoResponse,
          headers: { Location: "The photo's URL" },
        },
        200: {
          description: "The photo already registered with this client_id, with fresh upload instructions",
          schema: registeredPhotoResponse,
        },
      },
      errors: ["PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "RESOURCE_NOT_FOUND", "CONFLICT"],
    }),
    requirePermission("photos:create"),
    validate("json", registerPhotoBody),
    async (c) => {
      const { photo, created } = await registerPhoto(tenantContext(c), uploadSite(c), c.req.valid("json"));
      c.header("Location", `/api/photos/${photo.id}`);
      return c.json({ data: photo }, created ? 201 : 200);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a photo",
      description:
        "The photo's metadata, its shelf quadrants and, once uploaded, a short-lived signed `download` URL (null while pending). Photos of visits outside your data scope answer 404.",
      tags: ["photos"],
      auth: true,
      permission: "photos:read",
      responses: { 200: { description: "The photo", schema: photoDetailResponse } },
    }),
    requirePermission("photos:read"),
    validate("param", photoIdParam),
    async (c) => c.json({ data: await getPhoto(tenantContext(c), uploadSite(c), c.req.valid("param").id) }),
  )
  .post(
    "/:id/shelf_quadrants",
    describe({
      summary: "Mark brand rectangles on a shelf photo",
      description:
        "Replaces the photo's shelf quadrants: 1 to 200 rectangles `{brand_id, x, y, width, height}` normalised to 0..1 of the photo (x + width ≤ 1, y + height ≤ 1, width and height > 0). Each brand's share of the marked shelf area is computed — the union of all marks, every point counted once; where marks of several brands overlap the area is split equally among them — and stored as `area_percentage` on its rectangles; the shares add up to 100. Brands must be live brands of your tenant (400 naming each bad one). Atomic and audited; then a `shelf_quadrants.submitted` event feeds the shelf-share rollups. Honours Idempotency-Key.",
      tags: ["photos"],
      auth: true,
      permission: "photos:create",
      responses: {
        200: { description: "The stored quadrants and the shares per brand", schema: shelfQuadrantsResponse },
      },
    }),
    requirePermission("photos:create"),
    validate("param", photoIdParam),
    validate("json", shelfQuadrantsBody),
    async (c) => {
      const { result, event } = await submitShelfQuadrants(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      // After the response; a lost message is repaired by the nightly rollup rebuild.
      eventEmitter(c)(event);
      return c.json({ data: result });
    },
  );
