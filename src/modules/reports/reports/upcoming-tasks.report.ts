import { sql } from "drizzle-orm";
import { z } from "zod";
import { checkCrmRange, crmQueryShape, crmReader, defineCrmReport, tenantTz } from "../crm-report";

/** Longest list answered. */
const LIST_LIMIT = 200;

type Row = {
  interaction_type: string;
  contact_date: string;
  client_name: string | null;
  notes: string | null;
};

export const upcomingTasksReport = defineCrmReport({
  path: "/upcoming-tasks",
  summary: "Upcoming meetings, calls and follow-ups",
  description: `Point in time (now): the live interactions whose \`start_date_time\` is between now and now + \`days_ahead\` days (default 7, at most 90), soonest first, at most ${LIST_LIMIT}: \`interaction_type\`, \`contact_date\` (the start's date in the tenant's time zone), \`client_name\` (null without a client), \`notes\`. \`user_id\` (needs \`crm:read_all\`) keeps that member's (created by or assigned to them); the range filters the interactions' \`created_at\`. Reads indexed source rows (the tenant-led \`(tenant_id, start_date_time)\` index) with a LIMIT, one statement. CSV: the tasks table.`,
  permission: "crm:read",
  query: z
    .strictObject({
      ...crmQueryShape,
      days_ahead: z.coerce
        .number()
        .int()
        .min(1)
        .max(90)
        .default(7)
        .describe("Days to look ahead (default 7, at most 90)"),
    })
    .superRefine(checkCrmRange),
  data: z.object({
    tasks: z.array(
      z.object({
        interaction_type: z.string(),
        contact_date: z.iso.date(),
        client_name: z.string().nullable(),
        notes: z.string().nullable(),
      }),
    ),
  }),
  async run(ctx, q) {
    const r = await crmReader(ctx, q);
    const result = await ctx.db.execute<Row>(sql`
      select x.type as interaction_type,
        to_char((x.start_date_time at time zone ${tenantTz(ctx)})::date, 'YYYY-MM-DD') as contact_date,
        c.name as client_name, x.notes
      from interactions x
      left join clients c on c.tenant_id = x.tenant_id and c.id = x.client_id and c.deleted_at is null
      where x.tenant_id = ${ctx.tenantId} and x.deleted_at is null
        and x.start_date_time >= now() and x.start_date_time < now() + make_interval(days => ${q.days_ahead})
        and ${r.owned("x")} and ${r.created("x")}
      order by x.start_date_time, x.id
      limit ${LIST_LIMIT}`);
    return { tasks: result.rows };
  },
  csv: {
    columns: ["interaction_type", "contact_date", "client_name", "notes"],
    rows: (d) => d.tasks,
  },
});
