import { z } from "zod";
import { checkInstantRange } from "../../core/fields";
import { dataEnvelope, paginationSchema } from "../../core/openapi";
import { includeTotalQuery, listPagingQuery, pageSizeQuery } from "../../core/pagination";
import { QUESTION_TYPES, VISIT_TYPES } from "../../db/schema";

const uuid = z.uuid({ error: "Must be a UUID" });

/** How far in the past an offline phone may date a visit, and how much clock skew is tolerated. */
export const MAX_OFFLINE_AGE_MS = 30 * 86_400_000;
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const clientTime = z.iso.datetime({ offset: true, error: "Must be an RFC 3339 date-time" }).refine((v) => {
  const t = Date.parse(v);
  return t <= Date.now() + MAX_CLOCK_SKEW_MS && t >= Date.now() - MAX_OFFLINE_AGE_MS;
}, "Must be within the last 30 days and not in the future");

export const startVisitBody = z.strictObject({
  survey_id: uuid,
  visit_type: z.enum(VISIT_TYPES).optional().describe("Defaults to the survey's visit type"),
  shop_id: uuid.optional(),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy_m: z.number().min(0).max(100_000).optional(),
  client_id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,64}$/, "8 to 64 letters, digits or . _ : -")
    .optional()
    .describe("Generated on the phone: a resent start with the same client_id returns the same visit"),
  started_at: clientTime.optional().describe("When the agent started, if offline; defaults to now"),
  notes: z.string().max(2000).optional(),
});

export type StartVisitInput = z.infer<typeof startVisitBody>;

/** An answer's value: its shape is checked against the question's type inside the completing statement (answers.ts). */
const answerValue = z.union([
  z.string().max(5000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(500)).max(100),
  z.null(),
]);

export const completeVisitBody = z.strictObject({
  answers: z
    .array(z.strictObject({ question_id: uuid, value: answerValue }))
    .max(500)
    .default([]),
  photo_ids: z.array(uuid).max(100).default([]).describe("Photos of this visit the agent took"),
  completed_at: clientTime.optional(),
  notes: z.string().max(2000).optional(),
});

export type CompleteVisitInput = z.infer<typeof completeVisitBody>;

export const listVisitsQuery = z
  .strictObject({
    agent_id: uuid.optional(),
    shop_id: uuid.optional(),
    survey_id: uuid.optional(),
    status: z.enum(["in_progress", "completed"]).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe("started_at ≥ from"),
    to: z.iso.datetime({ offset: true }).optional().describe("started_at < to"),
    cursor: listPagingQuery.cursor,
    page_size: pageSizeQuery,
    include_total: includeTotalQuery,
  })
  .superRefine((q, ctx) => checkInstantRange(q, ctx, "from must not be after to"));

export type ListVisitsQuery = z.infer<typeof listVisitsQuery>;

export const visitSchema = z
  .object({
    id: z.uuid(),
    client_id: z.string().nullable(),
    agent_id: z.uuid(),
    survey_id: z.uuid(),
    shop_id: z.uuid().nullable(),
    visit_type: z.enum(VISIT_TYPES),
    status: z.enum(["in_progress", "completed"]),
    lat: z.number(),
    lng: z.number(),
    accuracy_m: z.number().nullable(),
    shop_distance_m: z.number().nullable().describe("Metres from the shop, when the visit has one"),
    outside_geofence: z.boolean().describe("Further from the shop than the tenant's geofence radius"),
    notes: z.string().nullable(),
    started_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Visit");

export type VisitDto = z.infer<typeof visitSchema>;

export const answerSchema = z.object({
  question_id: z.uuid(),
  question_prompt: z.string(),
  question_type: z.enum(QUESTION_TYPES),
  value: z.unknown(),
});

export const visitPhotoSchema = z.object({
  id: z.uuid(),
  purpose: z.string(),
  content_type: z.string(),
  status: z.enum(["pending", "uploaded"]),
  size_bytes: z.number().nullable(),
  sha256: z.string().nullable(),
  question_id: z.uuid().nullable(),
  taken_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});

export type VisitPhotoDto = z.infer<typeof visitPhotoSchema>;

export const visitDetailSchema = visitSchema.extend({
  answers: z.array(answerSchema),
  photos: z.array(visitPhotoSchema),
});

export const visitResponse = dataEnvelope(visitSchema);
export const visitDetailResponse = dataEnvelope(visitDetailSchema);
export const visitListResponse = z.object({ data: z.array(visitSchema), pagination: paginationSchema });
export const visitPhotosResponse = z.object({
  data: z.array(
    visitPhotoSchema.extend({
      download: z.object({ url: z.string(), expires_at: z.iso.datetime() }).nullable(),
    }),
  ),
});
