import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import {
  type AuditInsert,
  auditInsertFrom,
  containsPattern,
  iso,
  type PatchBuilder,
  selectPage,
  updateVersioned,
  type VersionedWriteOutcome,
} from "../brands/catalog-sql";
import { liveQuestionsJson, type NewQuestion, questionJson } from "./questions.repo";
import type { SurveyDto, SurveyWithQuestionsDto } from "./surveys.schemas";

/**
 * A survey row (under `alias`) as the API's JSON. `questions` adds the questions array (the
 * single-resource representation); `count` overrides how `question_count` is computed.
 */
function surveyJson(alias: string, extra: { questions?: SQL; count?: SQL } = {}): SQL {
  const s = sql.raw(alias);
  const count =
    extra.count ??
    sql`(select count(*)::int from survey_questions cq
         where cq.tenant_id = ${s}.tenant_id and cq.survey_id = ${s}.id and cq.deleted_at is null)`;
  return sql`json_build_object(
    'id', ${s}.id, 'title', ${s}.title, 'description', ${s}.description, 'visit_type', ${s}.visit_type,
    'brand_id', ${s}.brand_id, 'is_active', ${s}.is_active, 'question_count', ${count},
    'version', ${s}.version, 'created_by', ${s}.created_by,
    'created_at', ${iso(sql`${s}.created_at`)}, 'updated_at', ${iso(sql`${s}.updated_at`)}
    ${extra.questions ? sql`, 'questions', ${extra.questions}` : sql``})`;
}

/** The survey with its live questions: the single-resource representation. */
const surveyWithQuestionsJson = (alias: string) => surveyJson(alias, { questions: liveQuestionsJson(alias) });

function surveyValues(alias: string): SQL {
  const s = sql.raw(alias);
  return sql`jsonb_build_object('title', ${s}.title, 'description', ${s}.description, 'visit_type', ${s}.visit_type,
    'brand_id', ${s}.brand_id, 'is_active', ${s}.is_active)`;
}

/** "No live brand `brandId` in the survey's tenant" as SQL over `tenantId`. */
function brandMissing(tenantId: SQL, brandId: string): SQL {
  return sql`not exists (select 1 from brands b
    where b.tenant_id = ${tenantId} and b.id = ${brandId}::uuid and b.deleted_at is null)`;
}

export interface NewSurvey {
  tenantId: string;
  id: string;
  title: string;
  description: string | null;
  visitType: "shop" | "individual";
  brandId: string | null;
  isActive: boolean;
  createdBy: string;
}

/**
 * Inserts a survey with its questions and one audit row in ONE statement (the questions arrive as
 * one jsonb parameter, expanded by jsonb_to_recordset). A brand that is not a live brand of the
 * tenant → nothing written (`brandFound` false).
 */
export async function insertSurveyAudited(
  db: Db,
  survey: NewSurvey,
  questions: (NewQuestion & { position: number })[],
  audit: AuditInsert,
): Promise<{ brandFound: boolean; survey: SurveyWithQuestionsDto | null }> {
  const rows = questions.map((q) => ({
    id: q.id,
    prompt: q.prompt,
    type: q.type,
    is_required: q.isRequired,
    position: q.position,
    options: q.options,
    min_value: q.minValue,
    max_value: q.maxValue,
  }));
  const brandOk =
    survey.brandId === null
      ? sql`true`
      : sql`not ${brandMissing(sql`${survey.tenantId}::uuid`, survey.brandId)}`;
  const result = await db.execute<{ brand_found: boolean; survey: SurveyWithQuestionsDto | null }>(sql`
    with brand_ok as (select ${brandOk} as ok),
    ins as (
      insert into surveys (tenant_id, id, title, description, visit_type, brand_id, is_active, created_by)
      select ${survey.tenantId}::uuid, ${survey.id}::uuid, ${survey.title}::text, ${survey.description}::text,
        ${survey.visitType}::text, ${survey.brandId}::uuid, ${survey.isActive}::boolean, ${survey.createdBy}::uuid
      from brand_ok where brand_ok.ok
      returning *
    ),
    qins as (
      insert into survey_questions
        (tenant_id, id, survey_id, prompt, type, is_required, position, options, min_value, max_value)
      select ins.tenant_id, q.id, ins.id, q.prompt, q.type, q.is_required, q.position, q.options, q.min_value, q.max_value
      from ins cross join jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as q(id uuid, prompt text, type text, is_required boolean, position int, options jsonb,
             min_value float8, max_value float8)
      returning *
    ),
    aud as (${auditInsertFrom(audit, sql`ins`, {
      old: sql`null::jsonb`,
      new: sql`${surveyValues("ins")} || jsonb_build_object('question_ids',
        coalesce((select jsonb_agg(qins.id order by qins.position, qins.id) from qins), '[]'::jsonb))`,
    })})
    select (select ok from brand_ok) as brand_found,
      (select ${surveyJson("ins", {
        count: sql`(select count(*)::int from qins)`,
        questions: sql`coalesce((select json_agg(${questionJson("qins")} order by qins.position, qins.id) from qins), '[]'::json)`,
      })} from ins) as survey`);
  const row = result.rows[0];
  return { brandFound: row?.brand_found === true, survey: row?.survey ?? null };
}

/** A live survey of the tenant with its live questions by position: one query. */
export async function findSurvey(
  db: Db,
  tenantId: string,
  id: string,
): Promise<SurveyWithQuestionsDto | undefined> {
  const result = await db.execute<{ survey: SurveyWithQuestionsDto }>(sql`
    select ${surveyWithQuestionsJson("s")} as survey from surveys s
    where s.tenant_id = ${tenantId}::uuid and s.id = ${id}::uuid and s.deleted_at is null`);
  return result.rows[0]?.survey;
}

export interface SurveyFilter {
  titleContains?: string;
  isActive?: boolean;
  visitType?: "shop" | "individual";
  brandId?: string;
  limit: number;
  offset: number;
  includeTotal: boolean;
}

/** One page of live surveys by title, with question counts, and the total when asked: one round trip. */
export async function listSurveys(
  db: Db,
  tenantId: string,
  filter: SurveyFilter,
): Promise<{ total: number | null; items: SurveyDto[] }> {
  const conditions: SQL[] = [sql`s.tenant_id = ${tenantId}::uuid`, sql`s.deleted_at is null`];
  if (filter.titleContains !== undefined) {
    conditions.push(sql`s.title ilike ${containsPattern(filter.titleContains)}::text`);
  }
  if (filter.isActive !== undefined) conditions.push(sql`s.is_active = ${filter.isActive}::boolean`);
  if (filter.visitType !== undefined) conditions.push(sql`s.visit_type = ${filter.visitType}::text`);
  if (filter.brandId !== undefined) conditions.push(sql`s.brand_id = ${filter.brandId}::uuid`);
  return selectPage<SurveyDto>(db, {
    source: sql`select s.* from surveys s where ${sql.join(conditions, sql` and `)}`,
    item: surveyJson("f"),
    sortKey: sql`lower(f.title)`,
    limit: filter.limit,
    offset: filter.offset,
    includeTotal: filter.includeTotal,
  });
}

/**
 * An audited partial update of a live survey, version-checked when `expectedVersion` is set; a
 * `brandId` that is not a live brand of the tenant refuses the write (`brand_not_found`).
 */
export function updateSurveyAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: PatchBuilder,
  brandId: string | null | undefined,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<VersionedWriteOutcome<SurveyWithQuestionsDto>> {
  return updateVersioned<SurveyWithQuestionsDto>(db, {
    table: "surveys",
    tenantId,
    id,
    patch,
    expectedVersion,
    audit,
    json: surveyWithQuestionsJson,
    ...(typeof brandId === "string"
      ? { refusal: sql`case when ${brandMissing(sql`cur.tenant_id`, brandId)} then 'brand_not_found' end` }
      : {}),
  });
}

/** Soft-deletes a live survey; its questions and the visits that used it stay as they are. */
export function softDeleteSurveyAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: PatchBuilder,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<VersionedWriteOutcome<SurveyWithQuestionsDto>> {
  return updateVersioned<SurveyWithQuestionsDto>(db, {
    table: "surveys",
    tenantId,
    id,
    patch,
    expectedVersion,
    audit,
    auditValues: { old: surveyValues("cur"), new: sql`jsonb_build_object('deleted_at', upd.deleted_at)` },
    json: (alias) => surveyJson(alias),
  });
}
