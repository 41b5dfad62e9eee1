import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkCrmRange, crmQueryShape, crmReader, defineCrmReport } from "../crm-report";

type Row = {
  user_email: string;
  assigned_leads: number;
  assigned_clients: number;
  interactions_logged: number;
  projects_created: number;
};

export const userActivityReport = defineCrmReport({
  path: "/user-activity",
  summary: "CRM activity per member (admin)",
  description:
    "Per member of the tenant (or only `user_id`), by email: `assigned_leads` and `assigned_clients`, the live leads and clients currently assigned to them (whenever created); `interactions_logged` and `projects_created`, the live interactions and projects they created in the range. Read from the CRM rollups (one statement, one grouped pass over each rollup). CSV: the users table.",
  permission: "admin:reports",
  query: z.strictObject(crmQueryShape).superRefine(checkCrmRange),
  data: z.object({
    users: z.array(
      z.object({
        user_email: z.string(),
        assigned_leads: z.number().int(),
        assigned_clients: z.number().int(),
        interactions_logged: z.number().int(),
        projects_created: z.number().int(),
      }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const t = ctx.tenantId;
    const member = (column: string) =>
      q.user_id === undefined ? sql`true` : sql`${sql.raw(column)} = ${q.user_id}`;
    // One grouped pass over each rollup (not one lookup per member): the cost is the tenant's
    // cells, read once, whatever the number of members.
    const result = await ctx.db.execute<Row>(sql`
      with al as (
        select l.assigned_to as user_id, sum(l.leads)::int as n from crm_lead_rollups l
        where l.tenant_id = ${t} and ${member("l.assigned_to")} group by 1),
      ac as (
        select c.assigned_to as user_id, sum(c.clients)::int as n from crm_client_rollups c
        where c.tenant_id = ${t} and ${member("c.assigned_to")} group by 1),
      il as (
        select i.created_by as user_id, sum(i.interactions)::int as n from crm_interaction_rollups i
        where i.tenant_id = ${t} and ${member("i.created_by")} and ${r.days("i")} group by 1),
      pc as (
        select p.created_by as user_id, sum(p.projects)::int as n from crm_project_rollups p
        where p.tenant_id = ${t} and ${member("p.created_by")} and ${r.days("p")} group by 1)
      select u.email as user_email, coalesce(al.n, 0) as assigned_leads, coalesce(ac.n, 0) as assigned_clients,
        coalesce(il.n, 0) as interactions_logged, coalesce(pc.n, 0) as projects_created
      from memberships m join users u on u.id = m.user_id
      left join al on al.user_id = m.user_id left join ac on ac.user_id = m.user_id
      left join il on il.user_id = m.user_id left join pc on pc.user_id = m.user_id
      where m.tenant_id = ${t} and ${member("m.user_id")}
      order by u.email, u.id`);
    return { users: result.rows };
  },
  csv: (d) => ({
    columns: ["user_email", "assigned_leads", "assigned_clients", "interactions_logged", "projects_created"],
    rows: d.users.map((u) => [
      u.user_email,
      u.assigned_leads,
      u.assigned_clients,
      u.interactions_logged,
      u.projects_created,
    ]),
  }),
});
