import { type SQL, sql } from "drizzle-orm";
import { type AuditInsert, auditInsertSelect, isoSql as iso } from "../../core/audit";
import type { Db } from "../../core/db";
import { type WriteOutcome, type WriteResultRow, writeOutcome } from "../../core/resource/statements";
import type { QuestionOption } from "../../db/schema";
import {
  CHOICE_TYPES,
  DEFAULT_RATING_RANGE,
  type QuestionDto,
  type QuestionType,
  RANGED_TYPES,
} from "./questions.schemas";

/** A question row (under `alias`) as the API's JSON. */
export function questionJson(alias: string): SQL {
  const q = sql.raw(alias);
  return sql`json_build_object(
    'id', ${q}.id, 'survey_id', ${q}.survey_id, 'prompt', ${q}.prompt, 'type', ${q}.type,
    'is_required', ${q}.is_required, 'position', ${q}.position, 'options', ${q}.options,
    'min_value', ${q}.min_value, 'max_value', ${q}.max_value, 'version', ${q}.version,
    'created_at', ${iso(sql`${q}.created_at`)}, 'updated_at', ${iso(sql`${q}.updated_at`)})`;
}

/** The audited fields of a question row (under `alias`). */
export function questionValues(alias: string): SQL {
  const q = sql.raw(alias);
  return sql`jsonb_build_object('survey_id', ${q}.survey_id, 'prompt', ${q}.prompt, 'type', ${q}.type,
    'is_required', ${q}.is_required, 'position', ${q}.position, 'options', ${q}.options,
    'min_value', ${q}.min_value, 'max_value', ${q}.max_value)`;
}

/** The live questions of the survey row under `survey`, by position (ties: oldest first), as a JSON array. */
export function liveQuestionsJson(survey: string): SQL {
  const s = sql.raw(survey);
  return sql`coalesce((
    select json_agg(${questionJson("lq")} order by lq.position, lq.id)
    from survey_questions lq
    where lq.tenant_id = ${s}.tenant_id and lq.survey_id = ${s}.id and lq.deleted_at is null
  ), '[]'::json)`;
}

/** A JSON value as a jsonb parameter; `null` stays SQL null. */
function jsonbParam(value: unknown): SQL {
  return value === null || value === undefined ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`;
}

/** "A live question of a live survey of the tenant" as a CTE body (the `cur` of its writes). */
function liveQuestion(tenantId: string, id: string): SQL {
  return sql`select q.* from survey_questions q
    join surveys sv on sv.tenant_id = q.tenant_id and sv.id = q.survey_id and sv.deleted_at is null
    where q.tenant_id = ${tenantId}::uuid and q.id = ${id}::uuid and q.deleted_at is null`;
}

/** A text[] literal of question types, for `= any(...)`. */
function typeList(types: readonly QuestionType[]): SQL {
  return sql`array[${sql.join(
    types.map((t) => sql`${t}::text`),
    sql`, `,
  )}]`;
}

/** Bumps the version (and updated_at) of the surveys whose questions `changed` holds, so their ETags change. */
function bumpSurveyFrom(changed: string): SQL {
  return sql`update surveys s set version = s.version + 1, updated_at = now()
    from (select distinct tenant_id, survey_id from ${sql.raw(changed)}) c
    where s.tenant_id = c.tenant_id and s.id = c.survey_id`;
}

export interface NewQuestion {
  id: string;
  prompt: string;
  type: QuestionType;
  isRequired: boolean;
  /** Omitted: after the survey's last live question. */
  position: number | undefined;
  options: QuestionOption[] | null;
  minValue: number | null;
  maxValue: number | null;
}

/**
 * Adds a question to a live survey of the tenant, bumps the survey's version and writes the audit
 * row: one statement. No such survey → nothing written (`surveyFound` false).
 */
export async function insertQuestionAudited(
  db: Db,
  tenantId: string,
  surveyId: string,
  q: NewQuestion,
  audit: AuditInsert,
): Promise<{ surveyFound: boolean; question: QuestionDto | null }> {
  const position =
    q.position !== undefined
      ? sql`${q.position}::int`
      : sql`(select coalesce(max(x.position), 0) + 1 from survey_questions x
             where x.tenant_id = s.tenant_id and x.survey_id = s.id and x.deleted_at is null)`;
  const result = await db.execute<{ survey_found: boolean; question: QuestionDto | null }>(sql`
    with s as (
      select * from surveys where tenant_id = ${tenantId}::uuid and id = ${surveyId}::uuid and deleted_at is null
    ),
    ins as (
      insert into survey_questions
        (tenant_id, id, survey_id, prompt, type, is_required, position, options, min_value, max_value)
      select s.tenant_id, ${q.id}::uuid, s.id, ${q.prompt}::text, ${q.type}::text, ${q.isRequired}::boolean,
        ${position}, ${jsonbParam(q.options)}, ${q.minValue}::float8, ${q.maxValue}::float8
      from s
      returning *
    ),
    bump as (${bumpSurveyFrom("ins")}),
    aud as (${auditInsertSelect(audit, { old: sql`null::jsonb`, new: questionValues("ins") }, sql`from ins`)})
    select exists (select 1 from s) as survey_found, (select ${questionJson("ins")} from ins) as question`);
  const row = result.rows[0];
  return { surveyFound: row?.survey_found === true, question: row?.question ?? null };
}

/** What a question update sends; `undefined` = not sent (keep), `null` = clear. */
export interface QuestionPatch {
  prompt?: string;
  type?: QuestionType;
  isRequired?: boolean;
  position?: number;
  options?: QuestionOption[] | null;
  minValue?: number | null;
  maxValue?: number | null;
}

/** Why a question update was refused (decided on the merged, stored + sent, state). */
export type QuestionRefusal =
  | "options_required"
  | "options_forbidden"
  | "range_forbidden"
  | "range_order"
  | "rating_integer"
  | "answered";

/**
 * Updates a live question of a live survey in one statement: merges the patch with the stored
 * question, checks the option/range rules on the result and — when the question already has
 * answers — refuses a change of type or options (answers must keep meaning what they meant);
 * then writes the question, bumps the survey's version and audits. When the type changes and no
 * options / range are sent, the ones that no longer fit are cleared (a rating gets 1..5).
 */
export async function updateQuestionAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: QuestionPatch,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<WriteOutcome<QuestionDto>> {
  const choice = typeList(CHOICE_TYPES);
  const ranged = typeList(RANGED_TYPES);
  const typeSent = patch.type !== undefined;
  const type = typeSent ? sql`${patch.type}::text` : sql`cur.type`;
  const typeChanged = typeSent ? sql`(${patch.type}::text is distinct from cur.type)` : sql`false`;

  const options =
    patch.options !== undefined
      ? jsonbParam(patch.options)
      : typeSent
        ? sql`case when ${type} = any(${choice}) then cur.options else null::jsonb end`
        : sql`cur.options`;
  const bound = (sent: number | null | undefined, column: "min_value" | "max_value", fallback: number) => {
    const base =
      sent !== undefined
        ? sql`${sent}::float8`
        : sql`case when ${typeChanged} then null::float8 else cur.${sql.raw(column)} end`;
    return sql`case when ${type} = 'rating' then coalesce(${base}, ${fallback}::float8) else ${base} end`;
  };

  const sets: SQL[] = [
    sql`type = plan.type`,
    sql`options = plan.options`,
    sql`min_value = plan.min_value`,
    sql`max_value = plan.max_value`,
  ];
  if (patch.prompt !== undefined) sets.push(sql`prompt = ${patch.prompt}::text`);
  if (patch.isRequired !== undefined) sets.push(sql`is_required = ${patch.isRequired}::boolean`);
  if (patch.position !== undefined) sets.push(sql`position = ${patch.position}::int`);
  const versionCheck = expectedVersion === undefined ? sql`` : sql`and t.version = ${expectedVersion}::int`;

  const result = await db.execute<WriteResultRow<QuestionDto>>(sql`
    with cur as (${liveQuestion(tenantId, id)}),
    eff as (
      select cur.id, cur.version, ${type} as type, ${options} as options,
        ${bound(patch.minValue, "min_value", DEFAULT_RATING_RANGE.min)} as min_value,
        ${bound(patch.maxValue, "max_value", DEFAULT_RATING_RANGE.max)} as max_value,
        exists (select 1 from visit_answers a where a.tenant_id = cur.tenant_id and a.question_id = cur.id) as answered
      from cur
    ),
    plan as (
      select eff.*, case
        when eff.type = any(${choice}) and eff.options is null then 'options_required'
        when not (eff.type = any(${choice})) and eff.options is not null then 'options_forbidden'
        when not (eff.type = any(${ranged})) and (eff.min_value is not null or eff.max_value is not null)
          then 'range_forbidden'
        when eff.min_value > eff.max_value then 'range_order'
        when eff.type = 'rating' and (eff.min_value <> trunc(eff.min_value) or eff.max_value <> trunc(eff.max_value))
          then 'rating_integer'
        when eff.answered and (eff.type <> cur.type or eff.options is distinct from cur.options) then 'answered'
      end as refusal
      from eff, cur
    ),
    upd as (
      update survey_questions t
      set ${sql.join(sets, sql`, `)}, version = t.version + 1, updated_at = now()
      from plan
      where t.tenant_id = ${tenantId}::uuid and t.id = plan.id and t.deleted_at is null
        and plan.refusal is null ${versionCheck}
      returning t.*
    ),
    bump as (${bumpSurveyFrom("upd")}),
    aud as (${auditInsertSelect(audit, { old: questionValues("cur"), new: questionValues("upd") }, sql`from upd, cur`)})
    select exists (select 1 from cur) as found, (select version from cur) as current_version,
      (select refusal from plan) as refusal, (select ${questionJson("upd")} from upd) as row`);
  return writeOutcome(result.rows[0]);
}

/**
 * Soft-deletes a live question of a live survey (answers keep pointing at it), bumps the survey's
 * version and audits: one statement, version-checked when `expectedVersion` is set.
 */
export async function softDeleteQuestionAudited(
  db: Db,
  tenantId: string,
  id: string,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<WriteOutcome<QuestionDto>> {
  const versionCheck = expectedVersion === undefined ? sql`` : sql`and t.version = ${expectedVersion}::int`;
  const result = await db.execute<WriteResultRow<QuestionDto>>(sql`
    with cur as (${liveQuestion(tenantId, id)}),
    upd as (
      update survey_questions t set deleted_at = now(), version = t.version + 1, updated_at = now()
      from cur
      where t.tenant_id = cur.tenant_id and t.id = cur.id and t.deleted_at is null ${versionCheck}
      returning t.*
    ),
    bump as (${bumpSurveyFrom("upd")}),
    aud as (${auditInsertSelect(
      audit,
      { old: questionValues("cur"), new: sql`jsonb_build_object('deleted_at', upd.deleted_at)` },
      sql`from upd, cur`,
    )})
    select exists (select 1 from cur) as found, (select version from cur) as current_version,
      null::text as refusal, (select ${questionJson("upd")} from upd) as row`);
  return writeOutcome(result.rows[0]);
}
