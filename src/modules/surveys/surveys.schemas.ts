import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { booleanQuery, pagingQuery } from "../../core/pagination";
import { VISIT_TYPES } from "../../db/schema";
import { optionalText, uuidParam } from "../brands/catalog-schemas";
import { createQuestionBody, questionSchema } from "./questions.schemas";

/** At most this many questions in one create. */
export const MAX_INLINE_QUESTIONS = 200;

export const surveySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    visit_type: z.enum(VISIT_TYPES),
    brand_id: z.uuid().nullable(),
    is_active: z.boolean(),
    question_count: z.number().int().describe("Live questions"),
    version: z
      .number()
      .int()
      .describe('The ETag of the survey is `"v<version>"`; any change to its questions bumps it too'),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Survey");

export type SurveyDto = z.infer<typeof surveySchema>;

export const surveyWithQuestionsSchema = surveySchema
  .extend({
    questions: z.array(questionSchema).describe("Live questions by position"),
  })
  .openapi("SurveyWithQuestions");

export type SurveyWithQuestionsDto = z.infer<typeof surveyWithQuestionsSchema>;

const title = z.string().trim().min(1, "Must not be empty").max(200);
const brandId = uuidParam.nullable().describe("A brand of this tenant (404 otherwise), or null");

export const createSurveyBody = z.strictObject({
  title,
  description: optionalText(5000).optional(),
  visit_type: z.enum(VISIT_TYPES),
  brand_id: brandId.optional(),
  is_active: z.boolean().optional().describe("Default true"),
  questions: z
    .array(createQuestionBody)
    .max(MAX_INLINE_QUESTIONS)
    .optional()
    .describe("Created with the survey, in one write; positions default to the array order"),
});

export type CreateSurveyInput = z.infer<typeof createSurveyBody>;

export const updateSurveyBody = z
  .strictObject({
    title: title.optional(),
    description: optionalText(5000).optional(),
    visit_type: z.enum(VISIT_TYPES).optional(),
    brand_id: brandId.optional(),
    is_active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update");

export type UpdateSurveyInput = z.infer<typeof updateSurveyBody>;

export const listSurveysQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().describe("Title contains (case-insensitive)"),
  is_active: booleanQuery.optional(),
  visit_type: z.enum(VISIT_TYPES).optional(),
  brand_id: uuidParam.optional(),
  ...pagingQuery,
});

export type ListSurveysQuery = z.infer<typeof listSurveysQuery>;

export const surveyResponse = dataEnvelope(surveyWithQuestionsSchema);
export const surveyListResponse = listEnvelope(surveySchema);
