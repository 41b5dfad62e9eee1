import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { ownerVisible } from "../../core/scope";
import type { AttendanceRecordDto } from "./records.schemas";
import { recordJson } from "./sql-parts";

export interface RecordFilters {
  employeeId?: string | undefined;
  departmentId?: string | undefined;
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: { workDate: string; id: string } | undefined;
  limit: number;
  offset: number;
  includeTotal: boolean;
}

/** The tenant and the caller's data scope over records `r` (an employee's user owns their records). */
function visible(ctx: TenantContext): SQL {
  return sql`r.tenant_id = ${ctx.tenantId}::uuid and coalesce(${ownerVisible(ctx, sql`r.user_id`)}, false)`;
}

/** One page of records, newest working day first, with the filters; the total when asked. One query. */
export async function selectRecords(
  ctx: TenantContext,
  f: RecordFilters,
): Promise<{ rows: AttendanceRecordDto[]; total: number | null }> {
  const where: SQL[] = [visible(ctx)];
  if (f.employeeId) where.push(sql`r.employee_id = ${f.employeeId}::uuid`);
  if (f.departmentId) where.push(sql`r.department_id = ${f.departmentId}::uuid`);
  if (f.status) where.push(sql`r.status = ${f.status}::text`);
  if (f.from) where.push(sql`r.work_date >= ${f.from}::date`);
  if (f.to) where.push(sql`r.work_date <= ${f.to}::date`);
  const filtered = sql.join(where, sql` and `);
  const after = f.after
    ? sql`and (r.work_date, r.id) < (${f.after.workDate}::date, ${f.after.id}::uuid)`
    : sql``;
  const result = await ctx.db.execute<{ rows: AttendanceRecordDto[]; total: number | null }>(sql`
    select coalesce((select json_agg(p.j order by p.work_date desc, p.id desc) from (
        select ${recordJson("r")} as j, r.work_date, r.id from attendance_records r
        where ${filtered} ${after}
        order by r.work_date desc, r.id desc limit ${f.limit} offset ${f.offset}
      ) p), '[]'::json) as rows,
      ${f.includeTotal ? sql`(select count(*)::int from attendance_records r where ${filtered})` : sql`null::int`} as total`);
  const row = result.rows[0];
  return { rows: row?.rows ?? [], total: row?.total ?? null };
}

export async function selectRecord(ctx: TenantContext, id: string): Promise<AttendanceRecordDto | undefined> {
  const result = await ctx.db.execute<{ r: AttendanceRecordDto }>(sql`
    select ${recordJson("r")} as r from attendance_records r where ${visible(ctx)} and r.id = ${id}::uuid`);
  return result.rows[0]?.r;
}
