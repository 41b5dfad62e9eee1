import { sql } from "drizzle-orm";
import { z } from "zod";
import {
  checkCrmRange,
  crmQueryShape,
  crmReader,
  dayAverage,
  defineCrmReport,
  memberTuples,
  NONE_ID,
  onlyRow,
  percent,
  textOrder,
} from "../crm-report";

type Row = {
  total: number;
  converted: number;
  timed: number;
  days: number;
  /**
   * Per assignee, unordered: `"email",total,converted` joined by commas (the email as a JSON
   * string), the body of a flat JSON array; null without one.
   */
  by_user: string | null;
};

export const conversionRateReport = defineCrmReport({
  path: "/conversion-rate",
  summary: "Lead conversion: overall and per assigned user",
  description:
    "Over the live leads created in the range. `overall`: `total_leads`, `converted` (status converted), `conversion_rate` = converted ÷ total_leads × 100 (0–100, 2 decimals), `avg_days_to_convert` = the mean of `converted_at − created_at` in days over the converted leads with a `converted_at` (1 decimal; null when none). `by_user`: per assigned user (leads without an assignee are only in `overall`), `user_email`, `total_leads`, `converted`, `conversion_rate`; sorted by total_leads descending, then email. Read from the CRM rollups (one statement; the whole tenant's per-assignee figures from the all-time member cells' index). CSV: the by_user table.",
  permission: "crm:read",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    overall: z.object({
      total_leads: z.number().int(),
      converted: z.number().int(),
      conversion_rate: z.number(),
      avg_days_to_convert: z.number().nullable(),
    }),
    by_user: z.array(
      z.object({
        user_email: z.string(),
        total_leads: z.number().int(),
        converted: z.number().int(),
        conversion_rate: z.number(),
      }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    // Per assignee: the tenant's all-time member cells (one per member, from their covering
    // index) or the range's member cells; one member's or a team's records: their day cells.
    const byUser =
      r.member === NONE_ID
        ? r.range.start === null && r.range.end === null
          ? sql`(select m.user_id as assigned_to, m.assigned_leads as total, m.assigned_converted as converted
              from crm_member_cells m where m.tenant_id = ${ctx.tenantId} and m.grain = 0 and m.assigned_leads > 0)`
          : sql`(select m.user_id as assigned_to, sum(m.assigned_leads)::int as total,
                sum(m.assigned_converted)::int as converted
              from crm_member_cells m where m.tenant_id = ${ctx.tenantId} and ${r.periods("m")}
              group by m.user_id having sum(m.assigned_leads) > 0)`
        : sql`(select l.assigned_to, sum(l.leads)::int as total,
              coalesce(sum(l.leads) filter (where l.status = 'converted'), 0)::int as converted
            from crm_lead_rollups l
            where l.tenant_id = ${ctx.tenantId} and ${r.owned("l")} and ${r.days("l")}
              and l.assigned_to <> ${NONE_ID}::uuid
            group by l.assigned_to)`;
    // Two one-row aggregates. The members as one text value (a flat JSON array's body, built by
    // one string_agg: cheaper than a json_build_array per member) parsed here; each email by its
    // primary key (a hash join would hash every user of every tenant).
    const result = await ctx.db.execute<Row>(sql`
      select a.total, a.converted, a.timed, a.days, g.by_user
      from (select coalesce(sum(l.leads), 0)::int as total,
          coalesce(sum(l.leads) filter (where l.status = 'converted'), 0)::int as converted,
          coalesce(sum(l.timed_conversions), 0)::int as timed, coalesce(sum(l.conversion_days), 0)::float8 as days
        from ${r.rows("lead")} l) a
      cross join (select string_agg(concat(coalesce(to_json((select u.email from users u where u.id = g.assigned_to))::text, 'null'),
          ',', g.total, ',', g.converted), ',') as by_user
        from ${byUser} g) g`);
    const row = onlyRow(result.rows, "conversion-rate");
    return {
      overall: {
        total_leads: row.total,
        converted: row.converted,
        conversion_rate: percent(row.converted, row.total),
        avg_days_to_convert: dayAverage(row.days, row.timed),
      },
      by_user: memberTuples(row.by_user, 3)
        .map(([user_email, total_leads, converted]) => ({
          user_email: String(user_email),
          total_leads: Number(total_leads),
          converted: Number(converted),
          conversion_rate: percent(Number(converted), Number(total_leads)),
        }))
        .sort((a, b) => b.total_leads - a.total_leads || textOrder(a.user_email, b.user_email)),
    };
  },
  csv: {
    columns: ["user_email", "total_leads", "converted", "conversion_rate"],
    rows: (d) => d.by_user,
  },
});
