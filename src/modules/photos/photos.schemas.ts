import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { ALLOWED_CONTENT_TYPES, declaredFileFields, UPLOAD_KINDS } from "../../core/uploads";
import { PHOTO_PURPOSES, UPLOAD_STATUSES } from "../../db/schema";

const uuid = () => z.uuid({ error: "Must be a UUID" });

export const uploadInstructionsSchema = z
  .object({
    url: z.string().describe("PUT the file's bytes here"),
    method: z.literal("PUT"),
    headers: z.record(z.string(), z.string()).describe("Send exactly these headers with the PUT"),
    expires_at: z.iso.datetime(),
  })
  .openapi("UploadInstructions");

export const downloadLinkSchema = z
  .object({
    url: z
      .string()
      .describe("A signed GET for the file; anyone holding it can read the file until it expires"),
    expires_at: z.iso.datetime(),
  })
  .openapi("DownloadLink");

export const photoSchema = z
  .object({
    id: z.uuid(),
    visit_id: z.uuid(),
    question_id: z.uuid().nullable(),
    client_id: z.string().nullable(),
    purpose: z.enum(PHOTO_PURPOSES),
    content_type: z.enum(ALLOWED_CONTENT_TYPES),
    declared_size: z.number().int(),
    size_bytes: z.number().int().nullable().describe("Bytes actually received (null until uploaded)"),
    sha256: z.string().nullable().describe("Hex SHA-256 of the bytes received (null until uploaded)"),
    status: z.enum(UPLOAD_STATUSES),
    taken_at: z.iso.datetime().nullable(),
    created_by: z.uuid(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    uploaded_at: z.iso.datetime().nullable(),
  })
  .openapi("Photo");
export type PhotoDto = z.infer<typeof photoSchema>;

export const shelfQuadrantSchema = z
  .object({
    id: z.uuid(),
    brand_id: z.uuid(),
    x: z.number(),
    y: z.number(),
    width: z.number(),
    height: z.number(),
    area_percentage: z
      .number()
      .describe("The brand's share of the marked shelf area, 0..100 (same on each of its rectangles)"),
  })
  .openapi("ShelfQuadrant");
export type ShelfQuadrantDto = z.infer<typeof shelfQuadrantSchema>;

export const brandShareSchema = z.object({
  brand_id: z.uuid(),
  area_percentage: z.number(),
});

export const registeredPhotoSchema = photoSchema.extend({ upload: uploadInstructionsSchema });
export type RegisteredPhotoDto = z.infer<typeof registeredPhotoSchema>;

export const photoDetailSchema = photoSchema.extend({
  download: downloadLinkSchema.nullable().describe("Present once the file is uploaded"),
  shelf_quadrants: z.array(shelfQuadrantSchema),
});
export type PhotoDetailDto = z.infer<typeof photoDetailSchema>;

export const registerPhotoBody = z.strictObject({
  visit_id: uuid().describe("A visit of your tenant that you may see"),
  purpose: z.enum(PHOTO_PURPOSES),
  ...declaredFileFields,
  client_id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("The phone's own id for this photo: a resend returns the same photo"),
  question_id: uuid().optional().describe("The survey question (of the visit's survey) this photo answers"),
  taken_at: z.iso.datetime({ offset: true }).optional(),
});
export type RegisterPhotoInput = z.infer<typeof registerPhotoBody>;

/** Floating-point slack when checking that a rectangle stays inside the photo. */
const EDGE_EPSILON = 1e-9;
const unit = z.number().min(0).max(1);

export const quadrantInput = z
  .strictObject({
    brand_id: uuid(),
    x: unit.describe("Left edge, 0..1 of the photo's width"),
    y: unit.describe("Top edge, 0..1 of the photo's height"),
    width: unit.positive(),
    height: unit.positive(),
  })
  .superRefine((q, ctx) => {
    if (q.x + q.width > 1 + EDGE_EPSILON) {
      ctx.addIssue({ code: "custom", path: ["width"], message: "x + width must be at most 1" });
    }
    if (q.y + q.height > 1 + EDGE_EPSILON) {
      ctx.addIssue({ code: "custom", path: ["height"], message: "y + height must be at most 1" });
    }
  });
export type QuadrantInput = z.infer<typeof quadrantInput>;

export const MAX_QUADRANTS = 200;

export const shelfQuadrantsBody = z.strictObject({
  quadrants: z.array(quadrantInput).min(1).max(MAX_QUADRANTS),
});
export type ShelfQuadrantsInput = z.infer<typeof shelfQuadrantsBody>;

export const shelfQuadrantsResultSchema = z.object({
  photo_id: z.uuid(),
  visit_id: z.uuid(),
  quadrants: z.array(shelfQuadrantSchema),
  shares: z
    .array(brandShareSchema)
    .describe("Each brand's share of the marked shelf area; they add up to 100"),
});
export type ShelfQuadrantsResultDto = z.infer<typeof shelfQuadrantsResultSchema>;

export const registeredPhotoResponse = dataEnvelope(registeredPhotoSchema);
export const photoDetailResponse = dataEnvelope(photoDetailSchema);
export const shelfQuadrantsResponse = dataEnvelope(shelfQuadrantsResultSchema);

/** `/api/uploads/<kind>/<tenant_id>/<id>` */
export const uploadParams = z.object({
  kind: z.enum(UPLOAD_KINDS),
  tenant_id: uuid(),
  id: uuid(),
});

export const signedUrlQuery = z.object({
  exp: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .describe("Expiry, Unix seconds")
    // A coerced number also accepts null, so the generator would call it optional and nullable.
    .openapi({ type: "integer", param: { required: true } }),
  sig: z.string().min(1).max(200).describe("The URL's signature"),
});

export const uploadReceiptResponse = dataEnvelope(
  z.object({
    id: z.uuid(),
    size_bytes: z.number().int(),
    sha256: z.string().describe("Hex SHA-256 of the bytes received"),
  }),
);
