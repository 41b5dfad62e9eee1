import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkCrmRange, crmQueryShape, crmReader, defineCrmReport, percent } from "../crm-report";

type Row = { source: string; total_leads: number; converted: number; qualified: number };

export const leadSourceReport = defineCrmReport({
  path: "/lead-source",
  summary: "Leads and conversions per lead source",
  description:
    "Per `lead_source` of the live leads created in the range (leads without a source count under `Unknown`): `total_leads`; `converted`, the leads whose status is converted; `qualified`, those whose status is qualified now; `conversion_rate` = converted ÷ total_leads × 100 (0–100, 2 decimals). Sorted by total_leads descending, then source. Read from the CRM rollups (one statement). CSV: the sources table.",
  permission: "crm:read",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    sources: z.array(
      z.object({
        source: z.string(),
        total_leads: z.number().int(),
        converted: z.number().int(),
        qualified: z.number().int(),
        conversion_rate: z.number(),
      }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const result = await ctx.db.execute<Row>(sql`
      select coalesce(nullif(l.source, ''), 'Unknown') as source, sum(l.leads)::int as total_leads,
        coalesce(sum(l.leads) filter (where l.status = 'converted'), 0)::int as converted,
        coalesce(sum(l.leads) filter (where l.status = 'qualified'), 0)::int as qualified
      from ${r.rows("lead")} l
      group by 1 having sum(l.leads) > 0 order by 2 desc, 1`);
    return {
      sources: result.rows.map((s) => ({ ...s, conversion_rate: percent(s.converted, s.total_leads) })),
    };
  },
  csv: {
    columns: ["source", "total_leads", "converted", "qualified", "conversion_rate"],
    rows: (d) => d.sources,
  },
});
