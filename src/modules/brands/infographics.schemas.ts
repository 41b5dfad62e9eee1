import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { pagingQuery } from "../../core/pagination";
import { optionalText } from "../../core/resource/params";
import { ALLOWED_CONTENT_TYPES, declaredFileFields } from "../../core/uploads";
import { UPLOAD_STATUSES } from "../../db/schema";
import { downloadLinkSchema, uploadInstructionsSchema } from "../photos/photos.schemas";

export const infographicSchema = z
  .object({
    id: z.uuid(),
    brand_id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    content_type: z.enum(ALLOWED_CONTENT_TYPES),
    declared_size: z.number().int(),
    size_bytes: z.number().int().nullable().describe("Bytes actually received (null until uploaded)"),
    sha256: z.string().nullable().describe("Hex SHA-256 of the bytes received (null until uploaded)"),
    status: z.enum(UPLOAD_STATUSES),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    uploaded_at: z.iso.datetime().nullable(),
  })
  .openapi("BrandInfographic");

export type InfographicDto = z.infer<typeof infographicSchema>;

export const registeredInfographicSchema = infographicSchema.extend({ upload: uploadInstructionsSchema });
export type RegisteredInfographicDto = z.infer<typeof registeredInfographicSchema>;

export const infographicListItemSchema = infographicSchema.extend({
  download: downloadLinkSchema
    .nullable()
    .describe("A short-lived signed GET, present once the file is uploaded"),
});
export type InfographicListItemDto = z.infer<typeof infographicListItemSchema>;

export const registerInfographicBody = z.strictObject({
  title: z.string().trim().min(1, "Must not be empty").max(200),
  description: optionalText(5000).optional(),
  ...declaredFileFields,
});

export type RegisterInfographicInput = z.infer<typeof registerInfographicBody>;

export const listInfographicsQuery = z.strictObject({ ...pagingQuery });
export type ListInfographicsQuery = z.infer<typeof listInfographicsQuery>;

export const registeredInfographicResponse = dataEnvelope(registeredInfographicSchema);
export const infographicListResponse = listEnvelope(infographicListItemSchema);
