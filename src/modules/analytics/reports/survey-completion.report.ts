import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkRange, rangeQuery, rangeSchema } from "../range";
import { defineReport } from "../report";
import { average, percent, rangeCte } from "../sql-parts";

const surveyCompletionSchema = z.object({
  survey_id: z.uuid(),
  title: z.string(),
  is_active: z.boolean(),
  visits_started: z.number().int(),
  visits_completed: z.number().int(),
  completion_rate: z.number().nullable().describe("Percent; null without visits"),
  average_answers: z.number().nullable().describe("Answers per completed visit; null without completions"),
});

type SurveyRow = {
  survey_id: string;
  title: string;
  is_active: boolean;
  started: number;
  completed: number;
  answers: number;
};

type CompletionRow = { start_date: string; end_date: string; timezone: string; items: SurveyRow[] };

export const surveyCompletionReport = defineReport({
  path: "/surveys/completion",
  summary: "Survey completion rates (admin)",
  description:
    "Every survey of the tenant (not deleted, or with visits in the range) with, over `start_date`..`end_date` (ISO dates, inclusive, tenant's time zone; default the last 30 days), the visits started and completed, the completion rate and the average number of answers per completed visit; the most started first. From the rollups, one round trip.",
  permission: "admin:reports",
  query: z.strictObject(rangeQuery).superRefine(checkRange),
  response: z.object({ data: z.array(surveyCompletionSchema), range: rangeSchema }),
  async run(ctx, query) {
    const result = await ctx.db.execute<CompletionRow>(sql`
      with ${rangeCte(ctx, query)},
      agg as (
        select a.survey_id, sum(a.started)::float8 as started, sum(a.completed)::float8 as completed,
          sum(a.answers)::float8 as answers
        from rng join visit_activity_daily_rollups a on a.tenant_id = ${ctx.tenantId} and a.day between rng.s and rng.e
        group by a.survey_id
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        coalesce((select json_agg(json_build_object('survey_id', s.id, 'title', s.title, 'is_active', s.is_active,
            'started', coalesce(agg.started, 0), 'completed', coalesce(agg.completed, 0),
            'answers', coalesce(agg.answers, 0)) order by coalesce(agg.started, 0) desc, s.title, s.id)
          from surveys s left join agg on agg.survey_id = s.id
          where s.tenant_id = ${ctx.tenantId} and (s.deleted_at is null or agg.survey_id is not null)), '[]'::json) as items
      from rng`);
    const row = result.rows[0];
    if (!row) throw new Error("the survey completion statement returned no row");
    return {
      data: row.items.map((s) => ({
        survey_id: s.survey_id,
        title: s.title,
        is_active: s.is_active,
        visits_started: s.started,
        visits_completed: s.completed,
        completion_rate: percent(s.completed, s.started),
        average_answers: average(s.answers, s.completed),
      })),
      range: { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone },
    };
  },
});
