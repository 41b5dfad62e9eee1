import { sql } from "drizzle-orm";
import { type AuditInsert, auditInsertSelect } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { auditValues, missingReference, projection } from "../../core/resource/sql";
import { liveQuestionsJson, type NewQuestion, questionJson } from "./questions.repo";
import { type SurveyWithQuestionsDto, surveyResource } from "./surveys.resource";

/** The survey under `alias` with its live questions: the single-resource representation. */
export const withQuestions = (alias: string) =>
  projection(surveyResource, alias, { questions: liveQuestionsJson(alias) });

/**
 * Inserts a survey with its questions and one audit row in ONE statement (the questions arrive as
 * one jsonb parameter, expanded by jsonb_to_recordset). A `brand_id` that is not a live brand of
 * the tenant → nothing written, `missing` names the field.
 */
export async function insertSurveyAudited(
  ctx: TenantContext,
  survey: {
    id: string;
    title: string;
    description: string | null;
    visit_type: string;
    brand_id: string | null;
    is_active: boolean;
  },
  questions: (NewQuestion & { position: number })[],
  audit: AuditInsert,
): Promise<{ missing: string | null; survey: SurveyWithQuestionsDto | null }> {
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
  const result = await ctx.db.execute<{ missing: string | null; survey: SurveyWithQuestionsDto | null }>(sql`
    with refs as (select ${missingReference(ctx, surveyResource, survey)} as missing),
    ins as (
      insert into surveys (tenant_id, id, title, description, visit_type, brand_id, is_active, created_by)
      select ${ctx.tenantId}::uuid, ${survey.id}::uuid, ${survey.title}::text, ${survey.description}::text,
        ${survey.visit_type}::text, ${survey.brand_id}::uuid, ${survey.is_active}::boolean, ${ctx.userId}::uuid
      from refs where refs.missing is null
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
    aud as (${auditInsertSelect(
      audit,
      {
        old: sql`null::jsonb`,
        new: sql`${auditValues(surveyResource, "ins")} || jsonb_build_object('question_ids',
          coalesce((select jsonb_agg(qins.id order by qins.position, qins.id) from qins), '[]'::jsonb))`,
      },
      sql`from ins`,
    )})
    select (select missing from refs) as missing,
      (select ${projection(surveyResource, "ins", {
        question_count: sql`(select count(*)::int from qins)`,
        questions: sql`coalesce((select json_agg(${questionJson("qins")} order by qins.position, qins.id) from qins), '[]'::json)`,
      })} from ins) as survey`);
  const row = result.rows[0];
  return { missing: row?.missing ?? null, survey: row?.survey ?? null };
}
