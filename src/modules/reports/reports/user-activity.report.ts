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
    "Per member of the tenant (or only `user_id`), by email: `assigned_leads` and `assigned_clients`, the live leads and clients currently assigned to them (whenever created); `interactions_logged` and `projects_created`, the live interactions and projects they created in the range. Read from the CRM rollups (one statement per member-indexed rollup read). CSV: the users table.",
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
    const result = await ctx.db.execute<Row>(sql`
      select u.email as user_email,
        (select coalesce(sum(l.leads), 0)::int from crm_lead_rollups l
          where l.tenant_id = ${t} and l.assigned_to = m.user_id) as assigned_leads,
        (select coalesce(sum(c.clients), 0)::int from crm_client_rollups c
          where c.tenant_id = ${t} and c.assigned_to = m.user_id) as assigned_clients,
        (select coalesce(sum(i.interactions), 0)::int from crm_interaction_rollups i
          where i.tenant_id = ${t} and i.created_by = m.user_id and ${r.days("i")}) as interactions_logged,
        (select coalesce(sum(p.projects), 0)::int from crm_project_rollups p
          where p.tenant_id = ${t} and p.created_by = m.user_id and ${r.days("p")}) as projects_created
      from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${t} ${q.user_id === undefined ? sql`` : sql`and m.user_id = ${q.user_id}`}
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
