import { sql } from "drizzle-orm";
import { z } from "zod";
import {
  checkCrmRange,
  crmQueryShape,
  crmReader,
  defineCrmReport,
  memberTuples,
  onlyRow,
  textOrder,
} from "../crm-report";

/**
 * Per member, unordered: `"email",assigned leads,assigned clients,interactions logged,projects
 * created` joined by commas (the email as a JSON string), the body of a flat JSON array; null: none.
 */
type Row = { users: string | null };

export const userActivityReport = defineCrmReport({
  path: "/user-activity",
  summary: "CRM activity per member (admin)",
  description:
    "Per member of the tenant (or only `user_id`), by email: `assigned_leads` and `assigned_clients`, the live leads and clients currently assigned to them (whenever created); `interactions_logged` and `projects_created`, the live interactions and projects they created in the range. Read from the CRM rollups (one statement, one grouped pass over the member cells; the whole tenant over all time from the all-time member cells' index). CSV: the users table.",
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
    // All time: each member's one all-time cell, from its covering index. A range: one grouped
    // pass over the member cells (all time for the assignments, the range's months and edge days
    // for what they created): a few cells per member, whatever the data.
    const inRange = r.periods("c");
    const cells =
      r.range.start === null && r.range.end === null
        ? sql`(select c.user_id, c.assigned_leads as al, c.assigned_clients as ac,
              c.interactions_created as il, c.projects_created as pc
            from crm_member_cells c where c.tenant_id = ${t} and ${member("c.user_id")} and c.grain = 0)`
        : sql`(select c.user_id,
              coalesce(sum(c.assigned_leads) filter (where c.grain = 0), 0)::int as al,
              coalesce(sum(c.assigned_clients) filter (where c.grain = 0), 0)::int as ac,
              coalesce(sum(c.interactions_created) filter (where ${inRange}), 0)::int as il,
              coalesce(sum(c.projects_created) filter (where ${inRange}), 0)::int as pc
            from crm_member_cells c
            where c.tenant_id = ${t} and ${member("c.user_id")} and (c.grain = 0 or ${inRange})
            group by c.user_id)`;
    // One row: the members as one text value (a flat JSON array's body, built by one string_agg:
    // cheaper than a json_build_array per member), parsed and sorted here.
    const result = await ctx.db.execute<Row>(sql`
      select string_agg(concat(to_json(u.email)::text, ',', coalesce(mc.al, 0), ',', coalesce(mc.ac, 0), ',',
          coalesce(mc.il, 0), ',', coalesce(mc.pc, 0)), ',') as users
      from memberships m join users u on u.id = m.user_id
      left join ${cells} mc on mc.user_id = m.user_id
      where m.tenant_id = ${t} and ${member("m.user_id")}`);
    const users = memberTuples(onlyRow(result.rows, "user-activity").users, 5).map(
      ([user_email, assigned_leads, assigned_clients, interactions_logged, projects_created]) => ({
        user_email: String(user_email),
        assigned_leads: Number(assigned_leads),
        assigned_clients: Number(assigned_clients),
        interactions_logged: Number(interactions_logged),
        projects_created: Number(projects_created),
      }),
    );
    // Emails are unique (users_email_key), so the email alone orders the members.
    return { users: users.sort((a, b) => textOrder(a.user_email, b.user_email)) };
  },
  csv: {
    columns: ["user_email", "assigned_leads", "assigned_clients", "interactions_logged", "projects_created"],
    rows: (d) => d.users,
  },
});
