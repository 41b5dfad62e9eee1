import { sql } from "drizzle-orm";
import { z } from "zod";
import { LEAD_STATUS_OPTIONS, PROJECT_STATUS_OPTIONS } from "../../../db/schema/enums";
import {
  checkCrmRange,
  crmQueryShape,
  crmReader,
  defineCrmReport,
  jsonRows,
  money,
  onlyRow,
} from "../crm-report";

type Row = {
  leads: { status: string; n: number }[];
  projects: { status: string; n: number; v: number }[];
};

export const pipelineReport = defineCrmReport({
  path: "/pipeline",
  summary: "Sales pipeline: leads and projects per status",
  description:
    "`leads`: per lead status (every status of the list, in its order, 0 where none), `count` of live leads created in the range. `projects`: per project status, `count` and `total_value` (sum of `value`, 2 decimals) of live projects created in the range. Read from the CRM rollups (one statement; its cost does not grow with the raw tables). CSV: the projects table.",
  permission: "crm:read",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    leads: z.array(z.object({ status: z.enum(LEAD_STATUS_OPTIONS), count: z.number().int() })),
    projects: z.array(
      z.object({ status: z.enum(PROJECT_STATUS_OPTIONS), count: z.number().int(), total_value: z.number() }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const result = await ctx.db.execute<Row>(sql`
      select
        ${jsonRows(sql`select l.status, sum(l.leads)::int as n from ${r.rows("lead")} l group by l.status`)} as leads,
        ${jsonRows(sql`
          select p.status, sum(p.projects)::int as n, sum(p.value_sum)::float8 as v
          from ${r.rows("project")} p group by p.status`)} as projects`);
    const row = onlyRow(result.rows, "pipeline");
    return {
      leads: LEAD_STATUS_OPTIONS.map((status) => ({
        status,
        count: row.leads.find((l) => l.status === status)?.n ?? 0,
      })),
      projects: PROJECT_STATUS_OPTIONS.map((status) => {
        const p = row.projects.find((x) => x.status === status);
        return { status, count: p?.n ?? 0, total_value: money(p?.v ?? 0) };
      }),
    };
  },
  csv: {
    columns: ["status", "count", "total_value"],
    rows: (d) => d.projects,
  },
});
