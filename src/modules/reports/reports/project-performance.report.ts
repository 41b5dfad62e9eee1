import { sql } from "drizzle-orm";
import { z } from "zod";
import {
  checkCrmRange,
  crmQueryShape,
  crmReader,
  dayAverage,
  defineCrmReport,
  moneyAverage,
  onlyRow,
  percent,
} from "../crm-report";

type Row = {
  total: number;
  won: number;
  lost: number;
  pending: number;
  valued: number;
  value_sum: number;
  timed: number;
  duration_days: number;
};

export const projectPerformanceReport = defineCrmReport({
  path: "/project-performance",
  summary: "Project outcomes and win rate",
  description:
    "Over the live projects created in the range. `summary`: `total_projects`; `won` (completed), `lost` (cancelled), `pending` (pending + active); `win_rate` = won ÷ total_projects × 100 (0–100, 2 decimals); `avg_value`, the mean `value` of the projects that have one (2 decimals; null when none); `avg_duration_days`, the mean of `end_date − start_date` in days over the completed projects with both dates (1 decimal; null when none). Read from the CRM rollups (one statement). CSV: the summary as one row.",
  permission: "crm:read",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    summary: z.object({
      total_projects: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      pending: z.number().int(),
      win_rate: z.number(),
      avg_value: z.number().nullable(),
      avg_duration_days: z.number().nullable(),
    }),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const result = await ctx.db.execute<Row>(sql`
      select coalesce(sum(p.projects), 0)::int as total,
        coalesce(sum(p.projects) filter (where p.status = 'completed'), 0)::int as won,
        coalesce(sum(p.projects) filter (where p.status = 'cancelled'), 0)::int as lost,
        coalesce(sum(p.projects) filter (where p.status in ('pending', 'active')), 0)::int as pending,
        coalesce(sum(p.valued), 0)::int as valued, coalesce(sum(p.value_sum), 0)::float8 as value_sum,
        coalesce(sum(p.timed) filter (where p.status = 'completed'), 0)::int as timed,
        coalesce(sum(p.duration_days) filter (where p.status = 'completed'), 0)::int as duration_days
      from ${r.rows("project")} p`);
    const row = onlyRow(result.rows, "project-performance");
    return {
      summary: {
        total_projects: row.total,
        won: row.won,
        lost: row.lost,
        pending: row.pending,
        win_rate: percent(row.won, row.total),
        avg_value: moneyAverage(row.value_sum, row.valued),
        avg_duration_days: dayAverage(row.duration_days, row.timed),
      },
    };
  },
  csv: {
    columns: ["total_projects", "won", "lost", "pending", "win_rate", "avg_value", "avg_duration_days"],
    rows: (d) => [d.summary],
  },
});
