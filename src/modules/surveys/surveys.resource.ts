import { sql } from "drizzle-orm";
import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { booleanQuery } from "../../core/pagination";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { uuidParam } from "../../core/resource/params";
import { brands, surveys } from "../../db/schema";
import { liveQuestionsJson } from "./questions.repo";
import { createQuestionBody, questionSchema } from "./questions.schemas";
import {
  MAX_INLINE_QUESTIONS,
  surveyBrandId,
  surveyDescription,
  surveyTitle,
  visitType,
} from "./surveys.schemas";

/**
 * Surveys: tenant-wide reference data, by title, each with its live `question_count`; `brand_id`
 * must be a live brand of the tenant. Questions change through their own routes; any change to
 * them bumps the survey's version (and ETag).
 */
export const surveyResource = defineResource({
  name: "survey",
  entity: "Survey",
  path: "/surveys",
  tag: "surveys",
  table: surveys,
  fields: {
    title: field(surveys.title, surveyTitle, z.string()),
    description: field(surveys.description, surveyDescription.optional(), z.string().nullable()),
    visit_type: field(surveys.visitType, visitType, visitType),
    brand_id: field(surveys.brandId, surveyBrandId.optional(), z.uuid().nullable()),
    is_active: field(surveys.isActive, z.boolean().optional().describe("Default true"), z.boolean()),
  },
  computed: {
    question_count: {
      sql: (alias: string) => sql`(select count(*)::int from survey_questions cq
        where cq.tenant_id = ${sql.raw(alias)}.tenant_id and cq.survey_id = ${sql.raw(alias)}.id and cq.deleted_at is null)`,
      output: z.number().int().describe("Live questions"),
    },
  },
  permissions: { read: "surveys:read", write: "surveys:write", delete: "surveys:write" },
  scope: "tenant",
  references: { brand_id: { table: brands, entity: "Brand" } },
  filters: {
    q: contains(surveys.title, "Title contains (case-insensitive)"),
    is_active: equals(surveys.isActive, booleanQuery),
    visit_type: equals(surveys.visitType, visitType),
    brand_id: equals(surveys.brandId, uuidParam),
  },
  order: { column: surveys.title, caseInsensitive: true },
  offline: {
    with: {
      questions: {
        sql: liveQuestionsJson,
        output: z.array(questionSchema).describe("Live questions by position"),
      },
    },
  },
});

/** A survey with its live questions: the single-resource representation. */
export const surveyWithQuestionsSchema = surveyResource.schemas.item
  .extend({ questions: z.array(questionSchema).describe("Live questions by position") })
  .openapi("SurveyWithQuestions");
export type SurveyWithQuestionsDto = z.infer<typeof surveyWithQuestionsSchema>;
export const surveyResponse = dataEnvelope(surveyWithQuestionsSchema);

/** The survey's own create body: the declared fields plus inline questions. */
export const createSurveyBody = surveyResource.schemas.create.extend({
  questions: z
    .array(createQuestionBody)
    .max(MAX_INLINE_QUESTIONS)
    .optional()
    .describe("Created with the survey, in one write; positions default to the array order"),
});
export type CreateSurveyInput = z.infer<typeof createSurveyBody>;
