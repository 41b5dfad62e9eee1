import { sql } from "drizzle-orm";
import { z } from "zod";
import { CLIENT_STATUS_OPTIONS } from "../../../db/schema/enums";
import {
  checkCrmRange,
  crmQueryShape,
  crmReader,
  defineCrmReport,
  jsonRows,
  onlyRow,
  percent,
  tenantTz,
} from "../crm-report";

type Row = { clients: { status: string; n: number }[]; recent: { status: string; n: number }[] };

export const clientRetentionReport = defineCrmReport({
  path: "/client-retention",
  summary: "Client retention and churn",
  description:
    "Over the live clients created in the range. `status_breakdown`: per client status (every status of the list, in its order), `count` of clients and `recent_interactions`, the live interactions logged (created) in the last 30 days (the tenant's today and the 29 days before) with clients that have that status now. `retention_rate` = active ÷ (active + inactive) × 100, `churn_rate` = 100 − retention_rate (0–100, 2 decimals; both 0 when there are neither active nor inactive clients). Read from the CRM rollups (one statement). CSV: the status breakdown.",
  permission: "crm:read",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    retention_rate: z.number(),
    churn_rate: z.number(),
    status_breakdown: z.array(
      z.object({
        status: z.enum(CLIENT_STATUS_OPTIONS),
        count: z.number().int(),
        recent_interactions: z.number().int(),
      }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const result = await ctx.db.execute<Row>(sql`
      select
        ${jsonRows(sql`select c.status, sum(c.clients)::int as n from ${r.rows("client")} c group by c.status`)} as clients,
        ${jsonRows(sql`
          select i.client_status as status, sum(i.interactions)::int as n
          from ${r.rows("interaction", { start: sql`((now() at time zone ${tenantTz(ctx)})::date - 29)`, end: null })} i
          where i.client_status <> ''
          group by i.client_status`)} as recent`);
    const row = onlyRow(result.rows, "client-retention");
    const count = (status: string) => row.clients.find((c) => c.status === status)?.n ?? 0;
    const active = count("active");
    const inactive = count("inactive");
    const retention = percent(active, active + inactive);
    return {
      retention_rate: retention,
      churn_rate: active + inactive > 0 ? Math.round((100 - retention) * 100) / 100 : 0,
      status_breakdown: CLIENT_STATUS_OPTIONS.map((status) => ({
        status,
        count: count(status),
        recent_interactions: row.recent.find((x) => x.status === status)?.n ?? 0,
      })),
    };
  },
  csv: {
    columns: ["status", "count", "recent_interactions"],
    rows: (d) => d.status_breakdown,
  },
});
