import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkCrmRange, crmQueryShape, crmReader, defineCrmReport, onlyRow, tenantTz } from "../crm-report";

/** Inactive clients / leads answered by default, and at most. */
const LIST_DEFAULT = 100;
const LIST_MAX = 1000;

const since = {
  days_since_interaction: z
    .number()
    .int()
    .nullable()
    .describe("Whole days since the last interaction; null when never"),
  last_interaction_date: z.iso
    .date()
    .nullable()
    .describe("Its date in the tenant's time zone; null when never"),
};

/** [name, days_since_interaction, last_interaction_date], in list order. */
type Item = [string, number | null, string | null];
type Row = { overdue: number; clients: Item[]; leads: Item[] };

export const followUpsReport = defineCrmReport({
  path: "/follow-ups",
  summary: "Overdue follow-ups and inactive clients and leads",
  description: `Point in time (now). \`overdue_interactions\`: live interactions whose \`follow_up_at\` is before now and that are not \`done\`. \`inactive_clients\` / \`inactive_leads\`: live clients / leads whose last interaction (the latest start of their live interactions, the \`last_interaction_at\` summary column the queue keeps) is more than \`inactive_days\` (default 30) days ago, or who never had one: \`client_name\` / \`lead_name\`, \`days_since_interaction\` (whole days; null when never), \`last_interaction_date\` (tenant's time zone); never-contacted first, then oldest first; the first \`limit\` of each (default ${LIST_DEFAULT}, at most ${LIST_MAX}). The range filters the rows' \`created_at\`. Reads indexed source rows (tenant-led partial indexes on follow_up_at and last_interaction_at) with a LIMIT, one statement. CSV: the inactive clients and leads, with a \`kind\` column.`,
  permission: "crm:read",
  query: z
    .strictObject({
      ...crmQueryShape,
      inactive_days: z.coerce
        .number()
        .int()
        .min(1)
        .max(3650)
        .default(30)
        .describe("Days without an interaction (default 30)"),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(LIST_MAX)
        .default(LIST_DEFAULT)
        .describe(
          `The first inactive clients and leads answered, each (default ${LIST_DEFAULT}, at most ${LIST_MAX})`,
        ),
    })
    .superRefine(checkCrmRange),
  data: z.object({
    overdue_interactions: z.number().int(),
    inactive_clients: z.array(z.object({ client_name: z.string(), ...since })),
    inactive_leads: z.array(z.object({ lead_name: z.string(), ...since })),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const t = ctx.tenantId;
    const tz = tenantTz(ctx);
    const list = (table: "clients" | "leads") => sql`
      (select coalesce(json_agg(json_build_array(e.name,
          floor(extract(epoch from now() - e.last_interaction_at) / 86400)::int,
          to_char((e.last_interaction_at at time zone ${tz})::date, 'YYYY-MM-DD'))
          order by e.last_interaction_at nulls first, e.id), '[]'::json)
        from (select x.id, x.name, x.last_interaction_at from ${sql.identifier(table)} x
          where x.tenant_id = ${t} and x.deleted_at is null and ${r.owned("x")} and ${r.created("x")}
            and (x.last_interaction_at is null or x.last_interaction_at < now() - make_interval(days => ${q.inactive_days}))
          order by x.last_interaction_at nulls first, x.id limit ${q.limit}) e)`;
    const result = await ctx.db.execute<Row>(sql`
      select (select count(*)::int from interactions x
          where x.tenant_id = ${t} and x.follow_up_at is not null and not x.done and x.follow_up_at < now()
            and x.deleted_at is null and ${r.owned("x")} and ${r.created("x")}) as overdue,
        ${list("clients")} as clients, ${list("leads")} as leads`);
    const row = onlyRow(result.rows, "follow-ups");
    return {
      overdue_interactions: row.overdue,
      inactive_clients: row.clients.map(([client_name, days_since_interaction, last_interaction_date]) => ({
        client_name,
        days_since_interaction,
        last_interaction_date,
      })),
      inactive_leads: row.leads.map(([lead_name, days_since_interaction, last_interaction_date]) => ({
        lead_name,
        days_since_interaction,
        last_interaction_date,
      })),
    };
  },
  csv: {
    columns: ["kind", "name", "days_since_interaction", "last_interaction_date"],
    rows: (d) => [
      ...d.inactive_clients.map(({ client_name, ...since }) => ({
        kind: "client",
        name: client_name,
        ...since,
      })),
      ...d.inactive_leads.map(({ lead_name, ...since }) => ({ kind: "lead", name: lead_name, ...since })),
    ],
  },
});
