import { sql } from "drizzle-orm";
import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { pagination } from "../../core/pagination";
import { PatchBuilder, softDeletePatch } from "../brands/catalog-sql";
import { referenceNotFound, settleWrite } from "../brands/catalog-write";
import { newQuestion } from "./questions.service";
import {
  findSurvey,
  insertSurveyAudited,
  listSurveys as listSurveyRows,
  softDeleteSurveyAudited,
  updateSurveyAudited,
} from "./surveys.repo";
import type {
  CreateSurveyInput,
  ListSurveysQuery,
  SurveyWithQuestionsDto,
  UpdateSurveyInput,
} from "./surveys.schemas";

export interface Versioned<T> {
  data: T;
  version: number;
}

const surveyNotFound = () => ApiError.notFound("Survey");
const brandNotFound = () => referenceNotFound("Brand", "brand_id");

/**
 * Creates a survey, optionally with its questions (positions default to the array order), in one
 * atomic statement with its audit row. `brand_id` must be a live brand of the tenant (404).
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
    ctx.db,
    {
      tenantId: ctx.tenantId,
      id,
      title: input.title,
      description: input.description ?? null,
      visitType: input.visit_type,
      brandId: input.brand_id ?? null,
      isActive: input.is_active ?? true,
      createdBy: ctx.userId,
    },
    questions,
    audit,
  );
  if (!result.brandFound) throw brandNotFound();
  if (!result.survey) throw new Error("survey insert returned nothing");
  return { data: result.survey, version: result.survey.version };
}

/** A live survey with its live questions by position. */
export async function getSurvey(ctx: TenantContext, id: string): Promise<Versioned<SurveyWithQuestionsDto>> {
  const survey = await findSurvey(ctx.db, ctx.tenantId, id);
  if (!survey) throw surveyNotFound();
  return { data: survey, version: survey.version };
}

export async function listSurveys(ctx: TenantContext, query: ListSurveysQuery) {
  const { total, items } = await listSurveyRows(ctx.db, ctx.tenantId, {
    ...(query.q !== undefined ? { titleContains: query.q } : {}),
    ...(query.is_active !== undefined ? { isActive: query.is_active } : {}),
    ...(query.visit_type !== undefined ? { visitType: query.visit_type } : {}),
    ...(query.brand_id !== undefined ? { brandId: query.brand_id } : {}),
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
    includeTotal: query.include_total,
  });
  return { data: items, pagination: pagination(query, total) };
}

/** Partial update (PUT and PATCH alike); questions change through their own routes. */
export async function updateSurvey(
  ctx: TenantContext,
  id: string,
  input: UpdateSurveyInput,
  expectedVersion: number | undefined,
): Promise<Versioned<SurveyWithQuestionsDto>> {
  const patch = new PatchBuilder();
  if (input.title !== undefined) patch.set("title", sql`${input.title}::text`);
  if (input.description !== undefined) patch.set("description", sql`${input.description}::text`);
  if (input.visit_type !== undefined) patch.set("visit_type", sql`${input.visit_type}::text`);
  if (input.brand_id !== undefined) patch.set("brand_id", sql`${input.brand_id}::uuid`);
  if (input.is_active !== undefined) patch.set("is_active", sql`${input.is_active}::boolean`);
  const audit = auditRow(ctx, { action: "survey.update", entityType: "survey", entityId: id });
  const outcome = await updateSurveyAudited(
    ctx.db,
    ctx.tenantId,
    id,
    patch,
    input.brand_id,
    expectedVersion,
    audit,
  );
  const survey = settleWrite(outcome, expectedVersion, { notFound: surveyNotFound, refusal: brandNotFound });
  return { data: survey, version: survey.version };
}

/** Soft delete: 404 afterwards, gone from lists; visits that used it keep it. */
export async function deleteSurvey(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const audit = auditRow(ctx, { action: "survey.delete", entityType: "survey", entityId: id });
  const outcome = await softDeleteSurveyAudited(
    ctx.db,
    ctx.tenantId,
    id,
    softDeletePatch(),
    expectedVersion,
    audit,
  );
  settleWrite(outcome, expectedVersion, { notFound: surveyNotFound });
}
