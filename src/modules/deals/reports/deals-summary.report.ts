import { sql } from "drizzle-orm";
import { z } from "zod";
import { DEAL_STATUSES } from "../../../db/schema";
import { rangeSchema } from "../../analytics";
import { CREATED_IN_RANGE, cellsInRange, dealCellsVisible, defineDealReport, round2 } from "./parts";

const won = z.object({ count: z.number().int(), amount: z.number() });

const summarySchema = z
  .object({
    range: rangeSchema,
    by_status: z.array(
      z.object({
        status: z.enum(DEAL_STATUSES),
        count: z.number().int(),
        total_amount: z.number(),
        average_amount: z
          .number()
          .nullable()
          .describe("total_amount / count, two decimals; null without deals"),
      }),
    ),
    won_this_month: won.describe(
      "Deals won (closed as won) in the current calendar month, tenant's time zone",
    ),
    won_this_quarter: won.describe("Deals won in the current calendar quarter"),
  })
  .openapi("DealsSummary");

type SummaryRow = {
  start_date: string;
  end_date: string;
  timezone: string;
  statuses: { status: string; n: number; amount: number }[] | null;
  month_n: number;
  month_amount: number;
  quarter_n: number;
  quarter_amount: number;
};

/** `GET /api/analytics/deals/summary` (seed 004). One statement over the deal rollups. */
export const dealsSummaryReport = defineDealReport({
  path: "/summary",
  summary: "Deals summary by status",
  description: `Per status (open, won, lost): ${CREATED_IN_RANGE}, their total and average amount; and the deals won this month and this quarter (by the day they were won, whatever the range). \`owner_id\` narrows both.`,
  response: z.object({ data: summarySchema }),
  statement: (ctx, query) => sql`
      per as (
        select (date_trunc('month', now() at time zone rng.tz))::date as m,
          (date_trunc('quarter', now() at time zone rng.tz))::date as q,
          (now() at time zone rng.tz)::date as today from rng
      ),
      st as (
        select x.status, sum(x.deals)::int as n, sum(x.amount)::float8 as amount
        from ${cellsInRange(ctx, query, "deal_daily_rollups")}
        group by x.status
      ),
      w as (
        select coalesce(sum(x.deals) filter (where x.day >= per.m), 0)::int as month_n,
          coalesce(sum(x.amount) filter (where x.day >= per.m), 0)::float8 as month_amount,
          coalesce(sum(x.deals), 0)::int as quarter_n, coalesce(sum(x.amount), 0)::float8 as quarter_amount
        from per left join deal_won_daily_rollups x
          on ${dealCellsVisible(ctx, "x", query)} and x.day >= per.q and x.day <= per.today
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        (select json_agg(json_build_object('status', st.status, 'n', st.n, 'amount', st.amount)) from st) as statuses,
        w.month_n, w.month_amount, w.quarter_n, w.quarter_amount
      from rng, w`,
  answer(row: SummaryRow, range) {
    const byStatus = DEAL_STATUSES.map((status) => {
      const s = row.statuses?.find((x) => x.status === status);
      const count = s?.n ?? 0;
      const total = round2(s?.amount ?? 0) ?? 0;
      return { status, count, total_amount: total, average_amount: count ? round2(total / count) : null };
    });
    return {
      data: {
        range,
        by_status: byStatus,
        won_this_month: { count: row.month_n, amount: round2(row.month_amount) ?? 0 },
        won_this_quarter: { count: row.quarter_n, amount: round2(row.quarter_amount) ?? 0 },
      },
    };
  },
});
