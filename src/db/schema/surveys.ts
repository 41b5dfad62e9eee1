import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { brands } from "./catalogue";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import { QUESTION_TYPES, VISIT_TYPES } from "./enums";

export const surveys = pgTable(
  "surveys",
  {
    ...tenantKey(),
    title: text("title").notNull(),
    description: text("description"),
    visitType: text("visit_type", { enum: VISIT_TYPES }).notNull(),
    brandId: uuid("brand_id"),
    isActive: boolean("is_active").notNull().default(true),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("surveys_brand_fk", [t.tenantId, t.brandId], brands),
    index("surveys_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    index("surveys_tenant_brand_idx").on(t.tenantId, t.brandId),
  ],
);

/** A choice of a single/multiple choice question: the stored value and what the agent reads. */
export interface QuestionOption {
  value: string;
  label: string;
}

/**
 * Questions are soft-deleted, never removed, so a visit's answers always point at the question
 * they answered; answers also snapshot its prompt and type.
 */
export const surveyQuestions = pgTable(
  "survey_questions",
  {
    ...tenantKey(),
    surveyId: uuid("survey_id").notNull(),
    prompt: text("prompt").notNull(),
    type: text("type", { enum: QUESTION_TYPES }).notNull(),
    isRequired: boolean("is_required").notNull().default(false),
    position: integer("position").notNull(),
    options: jsonb("options").$type<QuestionOption[]>(),
    minValue: doublePrecision("min_value"),
    maxValue: doublePrecision("max_value"),
    ...version(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("survey_questions_survey_fk", [t.tenantId, t.surveyId], surveys).onDelete("cascade"),
    index("survey_questions_tenant_survey_idx").on(t.tenantId, t.surveyId, t.position),
  ],
);
