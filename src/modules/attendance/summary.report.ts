import { sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { dataEnvelope } from "../../core/openapi";
import { uuidParam } from "../../core/resource/params";
import { NO_DEPARTMENT_ID } from "./attendance.rollups.sql.mjs";
import { calendarDate } from "./attendance.schemas";

/** `GET /api/attendance/summary`: counts per department and per day, from the rollups only. */

export const summaryQuery = z
  .strictObject({
    from: calendarDate.describe("First day (inclusive, tenant time zone); default 6 days before to"),
    to: calendarDate.optional().describe("Last day (inclusive); default from + 6 days"),
    department_id: uuidParam.optional(),
  })
  .partial({ from: true })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "Must not be before from" });
    if (q.from && q.to && Date.parse(q.to) - Date.parse(q.from) > 366 * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "At most 367 days" });
    }
  });

export type SummaryQuery = z.infer<typeof summaryQuery>;

const counts = {
  employees: z.number().int().describe("Records counted (employee-days)"),
  present: z.number().int(),
  late: z.number().int(),
  absent: z.number().int(),
  on_leave: z.number().int(),
  half_day: z.number().int(),
  missing_checkout: z.number().int(),
  worked_minutes: z.number().int(),
  late_minutes: z.number().int(),
  overtime_minutes: z.number().int(),
};

export const summaryResponse = dataEnvelope(
  z.object({
    from: z.string(),
    to: z.string(),
    totals: z.object(counts),
    by_department: z.array(z.object({ department_id: z.uuid().nullable(), ...counts })),
    by_day: z.array(z.object({ day: z.string(), ...counts })),
  }),
);

type Counts = { [K in keyof typeof counts]: number };
type SummaryRow = {
  from: string;
  to: string;
  totals: Counts;
  by_department: (Counts & { department_id: string | null })[];
  by_day: (Counts & { day: string })[];
};

const sums = sql.raw(
  Object.keys(counts)
    .map((k) => `'${k}', coalesce(sum(x.${k}), 0)::int`)
    .join(", "),
);

/**
 * One statement over `attendance_daily_rollups` (kept by the hourly cron), never the records.
 * Tenant-wide readers only: a summary of everyone is not for an own-scope employee.
 */
export async function attendanceSummary(ctx: TenantContext, query: SummaryQuery): Promise<SummaryRow> {
  if (ctx.scope !== "tenant") throw ApiError.forbidden("The attendance summary is for tenant-wide readers");
  const dept = query.department_id ? sql`and r.department_id = ${query.department_id}::uuid` : sql``;
  const result = await ctx.db.execute<{ s: SummaryRow }>(sql`
    with tz as (
      select coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz from tenants t where t.id = ${ctx.tenantId}::uuid
    ),
    rng as (
      select coalesce(${query.from ?? null}::date, coalesce(${query.to ?? null}::date, (now() at time zone tz.tz)::date) - 6) as f,
        coalesce(${query.to ?? null}::date, coalesce(${query.from ?? null}::date, (now() at time zone tz.tz)::date - 6) + 6) as t
      from tz
    ),
    x as (
      select r.* from attendance_daily_rollups r, rng
      where r.tenant_id = ${ctx.tenantId}::uuid and r.day between rng.f and rng.t ${dept}
    )
    select json_build_object(
      'from', (select f::text from rng), 'to', (select t::text from rng),
      'totals', (select json_build_object(${sums}) from x),
      'by_department', coalesce((select json_agg(d order by d->>'department_id') from (
        select (jsonb_build_object('department_id', nullif(x.department_id, ${NO_DEPARTMENT_ID}::uuid)) || jsonb_build_object(${sums})) as d
        from x group by x.department_id) q), '[]'::json),
      'by_day', coalesce((select json_agg(d order by d->>'day') from (
        select (jsonb_build_object('day', x.day::text) || jsonb_build_object(${sums})) as d
        from x group by x.day) q), '[]'::json)
    ) as s`);
  const row = result.rows[0];
  if (!row) throw new Error("summary returned nothing");
  return row.s;
}
