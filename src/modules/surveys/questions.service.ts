import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { settle, type Versioned } from "../../core/resource/verbs";
import {
  insertQuestionAudited,
  type NewQuestion,
  type QuestionRefusal,
  softDeleteQuestionAudited,
  updateQuestionAudited,
} from "./questions.repo";
import {
  CHOICE_TYPES,
  type CreateQuestionInput,
  DEFAULT_RATING_RANGE,
  type QuestionDto,
  RANGED_TYPES,
  type UpdateQuestionInput,
} from "./questions.schemas";

const questionNotFound = () => ApiError.notFound("Question");

/**
 * A validated question body as the row to insert: options only for choice types, a range only
 * for number/rating (a rating defaults to 1..5). `field` prefixes error paths (`questions.2.`).
 */
export function newQuestion(input: CreateQuestionInput, field = ""): NewQuestion {
  const ranged = RANGED_TYPES.includes(input.type);
  const rating = input.type === "rating";
  const minValue = ranged ? (input.min_value ?? (rating ? DEFAULT_RATING_RANGE.min : null)) : null;
  const maxValue = ranged ? (input.max_value ?? (rating ? DEFAULT_RATING_RANGE.max : null)) : null;
  if (minValue !== null && maxValue !== null && minValue > maxValue) {
    throw ApiError.validation("Invalid request body", [
      {
        field: `${field}${input.min_value !== undefined && input.min_value !== null ? "min_value" : "max_value"}`,
        message: `The range is empty: min_value ${minValue} > max_value ${maxValue} (a rating defaults to ${DEFAULT_RATING_RANGE.min}..${DEFAULT_RATING_RANGE.max})`,
      },
    ]);
  }
  return {
    id: uuidv7(),
    prompt: input.prompt,
    type: input.type,
    isRequired: input.is_required ?? false,
    position: input.position,
    options: CHOICE_TYPES.includes(input.type) ? (input.options ?? null) : null,
    minValue,
    maxValue,
  };
}

/** Adds a question to a live survey of the tenant (default position: after the last one). */
export async function addQuestion(
  ctx: TenantContext,
  surveyId: string,
  input: CreateQuestionInput,
): Promise<Versioned<QuestionDto>> {
  const question = newQuestion(input);
  const audit = auditRow(ctx, {
    action: "question.create",
    entityType: "survey_question",
    entityId: question.id,
  });
  const result = await insertQuestionAudited(ctx.db, ctx.tenantId, surveyId, question, audit);
  if (!result.surveyFound || !result.question) throw ApiError.notFound("Survey");
  return { data: result.question, version: result.question.version };
}

function refused(reason: string, input: UpdateQuestionInput): ApiError {
  const r = reason as QuestionRefusal;
  // Name the field the request sent that broke the rule (the type, when only the type was sent).
  const rangeField =
    input.min_value !== undefined ? "min_value" : input.max_value !== undefined ? "max_value" : "type";
  const optionsField = input.options !== undefined ? "options" : "type";
  const invalid = (field: string, message: string) =>
    ApiError.validation("Invalid request body", [{ field, message }]);
  switch (r) {
    case "options_required":
      return invalid("options", "Required for single_choice and multiple_choice questions");
    case "options_forbidden":
      return invalid(optionsField, "Only single_choice and multiple_choice questions have options");
    case "range_forbidden":
      return invalid(rangeField, "Only number and rating questions have a range");
    case "range_order":
      return invalid(rangeField, "min_value must not be greater than max_value");
    case "rating_integer":
      return invalid(rangeField, "A rating scale has whole-number bounds");
    case "answered":
      return ApiError.conflict(
        "This question already has answers, so its type and options can no longer change (the answers would lose their meaning). Add a new question instead, and delete this one if it is no longer needed. Prompt, required flag, position and range can still be edited.",
        [{ field: input.type !== undefined ? "type" : "options", message: "The question has answers" }],
      );
  }
  return new ApiError("INTERNAL_ERROR", "An unexpected error occurred");
}

/**
 * Partial update (PUT and PATCH alike), checked against the stored question in the same
 * statement as the write. Once a question has answers its type and options are frozen (409).
 */
export async function updateQuestion(
  ctx: TenantContext,
  id: string,
  input: UpdateQuestionInput,
  expectedVersion: number | undefined,
): Promise<Versioned<QuestionDto>> {
  const audit = auditRow(ctx, { action: "question.update", entityType: "survey_question", entityId: id });
  const outcome = await updateQuestionAudited(
    ctx.db,
    ctx.tenantId,
    id,
    {
      ...(input.prompt !== undefined ? { prompt: input.prompt } : {}),
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.is_required !== undefined ? { isRequired: input.is_required } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.options !== undefined ? { options: input.options } : {}),
      ...(input.min_value !== undefined ? { minValue: input.min_value } : {}),
      ...(input.max_value !== undefined ? { maxValue: input.max_value } : {}),
    },
    expectedVersion,
    audit,
  );
  const question = settle(outcome, expectedVersion, {
    notFound: questionNotFound,
    refused: (reason) => refused(reason, input),
  });
  return { data: question, version: question.version };
}

/** Soft delete: answers keep pointing at the question; it leaves the survey. */
export async function deleteQuestion(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const audit = auditRow(ctx, { action: "question.delete", entityType: "survey_question", entityId: id });
  const outcome = await softDeleteQuestionAudited(ctx.db, ctx.tenantId, id, expectedVersion, audit);
  settle(outcome, expectedVersion, { notFound: questionNotFound, refused: () => questionNotFound() });
}
