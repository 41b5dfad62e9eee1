import { tenantContext } from "../../core/context";
import { eventEmitter } from "../../core/emit";
import { itemRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { uploadSite } from "../../core/uploads";
import {
  photoDetailResponse,
  registeredPhotoResponse,
  registerPhotoBody,
  shelfQuadrantsBody,
  shelfQuadrantsResponse,
} from "./photos.schemas";
import { getPhoto, registerPhoto, submitShelfQuadrants } from "./photos.service";

export const photoRoutes = apiRouter()
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Register a photo and get its upload URL",
      description:
        "Registers a photo of a visit (of your tenant, inside your data scope: otherwise 404 and nothing is written) and answers with short-lived upload instructions: PUT the bytes to `upload.url` with `upload.headers`. The URL is an R2 presigned URL when R2 S3 credentials are configured, otherwise a signed URL on this API that streams the body into R2. `content_type` must be image/jpeg, image/png, image/webp or image/heic (415) and `size` at most the upload limit (413). A resend with the same `client_id` answers 200 with the existing photo and fresh instructions; the same `client_id` for another visit is a 409. Audited. Honours Idempotency-Key.",
      tags: ["photos"],
      permission: "photos:create",
      body: registerPhotoBody,
      responses: {
        201: jsonResponse(
          registeredPhotoResponse,
          "The registered photo (status pending) with upload instructions",
          {
            Location: "The photo's URL",
          },
        ),
        200: jsonResponse(
          registeredPhotoResponse,
          "The photo already registered with this client_id, with fresh upload instructions",
        ),
      },
      errors: {
        404: "Visit not found (RESOURCE_NOT_FOUND)",
        409: "This client_id already names a photo of another visit (CONFLICT)",
        413: "The declared `size` is over the upload limit",
        415: "The declared `content_type` is not an allowed image type",
      },
    }),
    async (c) => {
      const { photo, created } = await registerPhoto(
        tenantContext(c),
        uploadSite(c),
        c.req.valid("json"),
        eventEmitter(c),
      );
      c.header("Location", `/api/photos/${photo.id}`);
      return created ? c.json({ data: photo }, 201) : c.json({ data: photo }, 200);
    },
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("photos", "Photo"),
        summary: "Get a photo",
        description:
          "The photo's metadata, its shelf quadrants and, once uploaded, a short-lived signed `download` URL (null while pending). Photos of visits outside your data scope answer 404.",
        permission: "photos:read",
        responses: { 200: jsonResponse(photoDetailResponse, "The photo") },
      },
      (ctx, id, c) => getPhoto(ctx, uploadSite(c), id),
    ),
  )
  .openapi(
    route({
      ...onRow("photos", "Photo"),
      method: "post",
      path: "/{id}/shelf_quadrants",
      summary: "Mark brand rectangles on a shelf photo",
      description:
        "Replaces the photo's shelf quadrants: 1 to 200 rectangles `{brand_id, x, y, width, height}` normalised to 0..1 of the photo (x + width ≤ 1, y + height ≤ 1, width and height > 0). Each brand's share of the marked shelf area is computed — the union of all marks, every point counted once; where marks of several brands overlap the area is split equally among them — and stored as `area_percentage` on its rectangles; the shares add up to 100. Brands must be live brands of your tenant (400 naming each bad one). Atomic and audited; then a `shelf_quadrants.submitted` event feeds the shelf-share rollups. Honours Idempotency-Key.",
      permission: "photos:create",
      body: shelfQuadrantsBody,
      responses: {
        200: jsonResponse(shelfQuadrantsResponse, "The stored quadrants and the shares per brand"),
      },
    }),
    async (c) => {
      const { result, event } = await submitShelfQuadrants(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      // After the response; a lost message is repaired by the nightly rollup rebuild.
      eventEmitter(c)(event);
      return c.json({ data: result }, 200);
    },
  );
