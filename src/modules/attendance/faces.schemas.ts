import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { uuidParam } from "../../core/resource/params";
import { embedding } from "./records.schemas";

/** At most this many descriptors per employee. */
export const MAX_FACES_PER_EMPLOYEE = 5;

export const enrollFaceBody = z.strictObject({
  embedding,
  consent: z
    .literal(true, { error: "The employee's consent is required (consent: true)" })
    .describe("The employee consented to face check-in: must be true"),
  label: z.string().trim().min(1).max(100).optional().describe("E.g. the device or the lighting"),
});

export type EnrollFaceInput = z.infer<typeof enrollFaceBody>;

/** A descriptor's metadata: the vector itself is never returned. */
export const faceEmbeddingSchema = z
  .object({
    id: z.uuid(),
    employee_id: z.uuid(),
    dimension: z.number().int(),
    label: z.string().nullable(),
    consent_at: z.iso.datetime(),
    enrolled_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("FaceEmbedding");

export type FaceEmbeddingDto = z.infer<typeof faceEmbeddingSchema>;

export const faceEmbeddingResponse = dataEnvelope(faceEmbeddingSchema);
export const faceEmbeddingListResponse = dataEnvelope(z.array(faceEmbeddingSchema));
export const erasedResponse = dataEnvelope(
  z.object({ deleted: z.number().int().describe("How many descriptors were erased") }),
);
export const faceParams = z.object({ id: uuidParam, embedding_id: uuidParam });
