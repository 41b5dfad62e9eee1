import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkCrmRange, crmQueryShape, crmReader, defineCrmReport, money, NONE_ID } from "../crm-report";

type Row = {
  client_name: string;
  total_projects: number;
  total_value: number;
  won_value: number;
  pending_value: number;
};

export const revenueByClientReport = defineCrmReport({
  path: "/revenue-by-client",
  summary: "Project value per client",
  description:
    "Per live client with live projects created in the range: `client_name`, `total_projects` (every status), `total_value` (the value of all its projects except cancelled), `won_value` (completed), `pending_value` (pending + active); money to 2 decimals. Sorted by total_value descending, then name; the top `limit` clients (default 100, at most 1000). Read from the CRM rollups (one statement; the whole tenant over all time reads the per-client totals down their value index). CSV: the clients table.",
  permission: "crm:read",
  query: z
    .strictObject({
      ...crmQueryShape,
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(100)
        .describe("The top clients answered (default 100, at most 1000)"),
    })
    .superRefine(checkCrmRange),
  data: z.object({
    clients: z.array(
      z.object({
        client_name: z.string(),
        total_projects: z.number().int(),
        total_value: z.number(),
        won_value: z.number(),
        pending_value: z.number(),
      }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const t = ctx.tenantId;
    const live = (alias: string) =>
      sql`(select c.deleted_at is null from clients c where c.tenant_id = ${t} and c.id = ${sql.raw(alias)}.client_id)`;
    // The whole tenant, all time: the per-client totals, read down their (tenant_id, total_value
    // desc) index — the `limit`-th live client's value first, then the live clients from it on.
    // Otherwise (a range, a member, a team): the day cells.
    const result =
      r.member === NONE_ID && r.range.start === null && r.range.end === null
        ? await ctx.db.execute<Row>(sql`
      select c.name as client_name, v.total_projects, v.total_value::float8 as total_value,
        v.won_value::float8 as won_value, v.pending_value::float8 as pending_value
      from crm_client_revenue v
      cross join lateral (select c.name from clients c
        where c.tenant_id = v.tenant_id and c.id = v.client_id and c.deleted_at is null limit 1) c
      where v.tenant_id = ${t} and v.total_projects > 0 and v.total_value >= (
        select min(y.total_value) from (
          select r.total_value from crm_client_revenue r
          where r.tenant_id = ${t} and r.total_projects > 0 and ${live("r")}
          order by r.total_value desc nulls last limit ${q.limit}) y)
      order by v.total_value desc, c.name, v.client_id
      limit ${q.limit}`)
        : await ctx.db.execute<Row>(sql`
      select c.name as client_name, g.total_projects, g.total_value, g.won_value, g.pending_value
      from (
        select p.client_id, sum(p.projects)::int as total_projects,
          coalesce(sum(p.value_sum) filter (where p.status <> 'cancelled'), 0)::float8 as total_value,
          coalesce(sum(p.value_sum) filter (where p.status = 'completed'), 0)::float8 as won_value,
          coalesce(sum(p.value_sum) filter (where p.status in ('pending', 'active')), 0)::float8 as pending_value
        from crm_project_rollups p
        where p.tenant_id = ${t} and p.client_id <> ${NONE_ID}::uuid and ${r.owned("p")} and ${r.days("p")}
        group by p.client_id) g
      join clients c on c.tenant_id = ${t} and c.id = g.client_id and c.deleted_at is null
      order by g.total_value desc, c.name, c.id
      limit ${q.limit}`);
    return {
      clients: result.rows.map((c) => ({
        ...c,
        total_value: money(c.total_value),
        won_value: money(c.won_value),
        pending_value: money(c.pending_value),
      })),
    };
  },
  csv: {
    columns: ["client_name", "total_projects", "total_value", "won_value", "pending_value"],
    rows: (d) => d.clients,
  },
});
