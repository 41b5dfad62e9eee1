import type { z } from "zod";
import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import { getOne, referenceNotFound, updateOne, type Versioned } from "../../core/resource/verbs";
import { newQuestion } from "./questions.service";
import { insertSurveyAudited, withQuestions } from "./surveys.repo";
import { type CreateSurveyInput, type SurveyWithQuestionsDto, surveyResource } from "./surveys.resource";

type UpdateSurveyInput = z.infer<typeof surveyResource.schemas.update>;

/**
 * The survey's own create: optionally with its questions (positions default to the array order),
 * in one atomic statement with its audit row. `brand_id` must be a live brand of the tenant (404).
 */
export async function createSurvey(
  ctx: TenantContext,
  input: CreateSurveyInput,
): Promise<Versioned<SurveyWithQuestionsDto>> {
  const inline = input.questions ?? [];
  // uuidv7 is only millisecond-ordered: sorted fresh ids keep equal positions in the request's order.
  const ids = inline.map(() => uuidv7()).sort();
  const questions = inline.map((q, i) => {
    const row = newQuestion(q, `questions.${i}.`);
    return { ...row, id: ids[i] ?? row.id, position: row.position ?? i + 1 };
  });
  const id = uuidv7();
  const audit = auditRow(ctx, { action: "survey.create", entityType: "survey", entityId: id });
  const result = await insertSurveyAudited(
    ctx,
    {
      id,
      title: input.title,
      description: input.description ?? null,
      visit_type: input.visit_type,
      brand_id: input.brand_id ?? null,
      is_active: input.is_active ?? true,
    },
    questions,
    audit,
  );
  if (result.missing !== null) throw referenceNotFound("Brand", result.missing);
  if (!result.survey) throw new Error("survey insert returned nothing");
  return { data: result.survey, version: result.survey.version };
}

/** A live survey with its live questions by position: one round trip. */
export function getSurvey(ctx: TenantContext, id: string): Promise<Versioned<SurveyWithQuestionsDto>> {
  return getOne<SurveyWithQuestionsDto>(ctx, surveyResource, id, withQuestions);
}

/** The kit's update, answering with the questions (they change through their own routes). */
export function updateSurvey(
  ctx: TenantContext,
  id: string,
  input: UpdateSurveyInput,
  expectedVersion: number | undefined,
): Promise<Versioned<SurveyWithQuestionsDto>> {
  return updateOne<SurveyWithQuestionsDto>(ctx, surveyResource, id, input, expectedVersion, withQuestions);
}
