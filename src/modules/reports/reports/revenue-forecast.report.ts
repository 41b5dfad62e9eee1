import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkCrmRange, crmQueryShape, crmReader, defineCrmReport, money, onlyRow } from "../crm-report";

type Row = {
  pipeline: number;
  weighted: number;
  won: number;
  pending: number;
  by_month: { month: string; weighted_forecast: number }[];
};

/** The forecast weight of a project status (seed 003): pending 30 %, active 60 %, completed 100 %, cancelled 0. */
const WEIGHTED = `case p.status when 'pending' then 0.3 when 'active' then 0.6 when 'completed' then 1.0 else 0 end * p.value_sum`;

export const revenueForecastReport = defineCrmReport({
  path: "/revenue-forecast",
  summary: "Weighted revenue forecast",
  description:
    'Over the live projects created in the range. `forecast`: `total_pipeline_value` (the value of all projects except cancelled), `weighted_forecast` = pending × 0.3 + active × 0.6 + completed × 1.0 (cancelled 0), `won_value` (completed), `pending_value` (pending); money to 2 decimals. `by_month`: per month of the project\'s end date (or its start date without an end; projects with neither are left out) that has projects other than cancelled, `month` "YYYY-MM" and its `weighted_forecast`, in month order. Read from the CRM rollups (one statement). CSV: the by_month table.',
  permission: "crm:read",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    forecast: z.object({
      total_pipeline_value: z.number(),
      weighted_forecast: z.number(),
      won_value: z.number(),
      pending_value: z.number(),
    }),
    by_month: z.array(z.object({ month: z.string(), weighted_forecast: z.number() })),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const weighted = sql.raw(WEIGHTED);
    const result = await ctx.db.execute<Row>(sql`
      with p as (select * from ${r.rows("project")} p)
      select coalesce(sum(p.value_sum) filter (where p.status <> 'cancelled'), 0)::float8 as pipeline,
        coalesce(sum(${weighted}), 0)::float8 as weighted,
        coalesce(sum(p.value_sum) filter (where p.status = 'completed'), 0)::float8 as won,
        coalesce(sum(p.value_sum) filter (where p.status = 'pending'), 0)::float8 as pending,
        (select coalesce(json_agg(json_build_object('month', g.month, 'weighted_forecast', g.w) order by g.month), '[]'::json)
          from (select p.month, sum(${weighted})::float8 as w from p
            where p.month <> '' and p.status <> 'cancelled' group by p.month
            having sum(p.projects) > 0) g) as by_month
      from p`);
    const row = onlyRow(result.rows, "revenue-forecast");
    return {
      forecast: {
        total_pipeline_value: money(row.pipeline),
        weighted_forecast: money(row.weighted),
        won_value: money(row.won),
        pending_value: money(row.pending),
      },
      by_month: row.by_month.map((m) => ({ month: m.month, weighted_forecast: money(m.weighted_forecast) })),
    };
  },
  csv: {
    columns: ["month", "weighted_forecast"],
    rows: (d) => d.by_month,
  },
});
