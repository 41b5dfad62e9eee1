import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, auditRow, isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import { pgErrorOf } from "../../core/pg-errors";
import { ownerVisible } from "../../core/scope";
import type { CreateLeaveInput, LeaveRequestDto } from "./leave.schemas";
import { uuidv7Sql, workingDay } from "./sql-parts";

function leaveJson(alias: string): SQL {
  const l = sql.raw(alias);
  return sql`json_build_object('id', ${l}.id, 'employee_id', ${l}.employee_id, 'user_id', ${l}.user_id,
    'leave_type', ${l}.leave_type, 'start_date', ${l}.start_date::text, 'end_date', ${l}.end_date::text,
    'half_day', ${l}.half_day, 'reason', ${l}.reason, 'status', ${l}.status, 'decided_by', ${l}.decided_by,
    'decided_at', ${isoSql(sql`${l}.decided_at`)}, 'decision_note', ${l}.decision_note, 'version', ${l}.version,
    'created_by', ${l}.created_by, 'created_at', ${isoSql(sql`${l}.created_at`)},
    'updated_at', ${isoSql(sql`${l}.updated_at`)})`;
}

const auditValues = (alias: string) =>
  sql`jsonb_build_object('status', ${sql.raw(alias)}.status, 'decision_note', ${sql.raw(alias)}.decision_note)`;

/** SQL boolean: the caller manages the department of the employee `employeeId` (a SQL expression). */
function managesSql(ctx: TenantContext, employeeId: SQL): SQL {
  return sql`exists (
    select 1 from employees e
    join departments d on d.tenant_id = e.tenant_id and d.id = e.department_id and d.deleted_at is null
    join employees me on me.tenant_id = d.tenant_id and me.id = d.manager_employee_id and me.deleted_at is null
    where e.tenant_id = ${ctx.tenantId}::uuid and e.id = ${employeeId} and me.user_id = ${ctx.userId}::uuid)`;
}

/** Leave requests the caller may see: their data scope (the employee's user), or their department's as its manager. */
export function visibleLeaveSql(ctx: TenantContext, alias: string): SQL {
  const l = sql.raw(alias);
  return sql`(${l}.tenant_id = ${ctx.tenantId}::uuid
    and (coalesce(${ownerVisible(ctx, sql`${l}.user_id`)}, false) or ${managesSql(ctx, sql`${l}.employee_id`)}))`;
}

export type CreateRefusal = "employee" | "forbidden" | "overlap";

/**
 * Files a leave request in one statement: the employee is the caller's own (or, with
 * leave:approve, the one named); refused when a pending or approved request of the employee
 * overlaps the dates (and, should two race, by the `leave_requests_no_overlap` exclusion
 * constraint). Audited.
 */
export async function insertLeave(
  ctx: TenantContext,
  input: CreateLeaveInput,
): Promise<{ row: LeaveRequestDto | null; refusal: CreateRefusal | null }> {
  const id = uuidv7();
  const audit = auditRow(ctx, { action: "leave_request.create", entityType: "leave_request", entityId: id });
  const mayFileForOthers = ctx.permissions.has("leave:approve");
  const who = input.employee_id
    ? sql`e.id = ${input.employee_id}::uuid`
    : sql`e.user_id = ${ctx.userId}::uuid`;
  const statement = ctx.db.execute<{ row: LeaveRequestDto | null; refusal: CreateRefusal | null }>(sql`
    with emp as (
      select e.* from employees e where e.tenant_id = ${ctx.tenantId}::uuid and ${who} and e.deleted_at is null
    ),
    plan as (
      select case
        when not exists (select 1 from emp) then 'employee'
        when not (${sql.raw(String(mayFileForOthers))} or (select user_id from emp) = ${ctx.userId}::uuid) then 'forbidden'
        when exists (
          select 1 from leave_requests l join emp on l.employee_id = emp.id
          where l.tenant_id = ${ctx.tenantId}::uuid and l.status in ('pending', 'approved')
            and daterange(l.start_date, l.end_date, '[]') && daterange(${input.start_date}::date, ${input.end_date}::date, '[]')
        ) then 'overlap'
      end as refusal
    ),
    ins as (
      insert into leave_requests (tenant_id, id, employee_id, user_id, leave_type, start_date, end_date, half_day,
        reason, created_by)
      select ${ctx.tenantId}::uuid, ${id}::uuid, emp.id, emp.user_id, ${input.leave_type}::text,
        ${input.start_date}::date, ${input.end_date}::date, ${input.half_day ?? false}::boolean,
        ${input.reason ?? null}::text, ${ctx.userId}::uuid
      from emp cross join plan where plan.refusal is null
      returning *
    ),
    aud as (${auditInsertSelect(audit, { old: sql`null::jsonb`, new: sql`jsonb_build_object('employee_id', ins.employee_id, 'leave_type', ins.leave_type, 'start_date', ins.start_date, 'end_date', ins.end_date, 'half_day', ins.half_day, 'status', ins.status)` }, sql`from ins`)})
    select (select ${leaveJson("ins")} from ins) as row, (select refusal from plan) as refusal`);
  // A concurrent overlapping request that the check above could not yet see: the exclusion
  // constraint refuses the second one.
  const result = await statement.catch((err: unknown) => {
    if (pgErrorOf(err)?.constraint === "leave_requests_no_overlap") {
      return { rows: [{ row: null, refusal: "overlap" as const }] };
    }
    throw err;
  });
  const row = result.rows[0];
  return { row: row?.row ?? null, refusal: row?.refusal ?? null };
}

export type Decision = "approve" | "reject" | "cancel";
export type DecideRefusal = "not_found" | "forbidden" | "state";

const NEXT_STATUS: Record<Decision, string> = {
  approve: "approved",
  reject: "rejected",
  cancel: "cancelled",
};

/**
 * Approves, rejects or cancels a request in one statement. Approving and rejecting need
 * leave:approve or being the manager of the employee's department (never one's own request
 * without leave:approve) and a pending request; cancelling is for the employee, a manager or an
 * approver, of a pending or approved request. An approval marks each working day of the leave
 * (the shift's weekdays) `on_leave` (`half_day` for a half day) unless the day has a check-in;
 * a cancellation takes those marks away. Audited with the old and new status.
 */
export async function decideLeave(
  ctx: TenantContext,
  id: string,
  decision: Decision,
  note: string | null,
): Promise<{ row: LeaveRequestDto | null; refusal: DecideRefusal | null; status: string | null }> {
  const audit = auditRow(ctx, {
    action: `leave_request.${decision}`,
    entityType: "leave_request",
    entityId: id,
  });
  const approver = sql.raw(String(ctx.permissions.has("leave:approve")));
  const deciding = decision !== "cancel";
  const rule = deciding
    ? sql`when not (${approver} or (select manages and not own from r)) then 'forbidden'
          when (select status from req) <> 'pending' then 'state'`
    : sql`when not (${approver} or (select manages or own from r)) then 'forbidden'
          when (select status from req) not in ('pending', 'approved') then 'state'`;
  const marks =
    decision === "approve"
      ? sql`, marks as (
          insert into attendance_records as ar (tenant_id, id, employee_id, user_id, department_id, shift_id, work_date,
            status, leave_request_id)
          select upd.tenant_id, ${uuidv7Sql}, upd.employee_id, e.user_id, e.department_id, s.id, d::date,
            case when upd.half_day then 'half_day' else 'on_leave' end, upd.id
          from upd
          join employees e on e.tenant_id = upd.tenant_id and e.id = upd.employee_id
          left join shifts s on s.tenant_id = e.tenant_id and s.id = e.default_shift_id and s.deleted_at is null
          cross join generate_series(upd.start_date::timestamp, upd.end_date::timestamp, interval '1 day') d
          where ${workingDay(sql`d`)}
          on conflict (tenant_id, employee_id, work_date) do update set status = excluded.status,
            leave_request_id = excluded.leave_request_id, version = ar.version + 1, updated_at = now()
          where ar.check_in_at is null
          returning 1)`
      : decision === "cancel"
        ? sql`, unmarks as (
            delete from attendance_records ar using upd
            where ar.tenant_id = upd.tenant_id and ar.leave_request_id = upd.id and ar.check_in_at is null
            returning 1)`
        : sql``;
  const result = await ctx.db.execute<{
    row: LeaveRequestDto | null;
    refusal: DecideRefusal | null;
    status: string | null;
  }>(sql`
    with req as (
      select l.* from leave_requests l where l.tenant_id = ${ctx.tenantId}::uuid and l.id = ${id}::uuid
    ),
    r as (
      select coalesce(${ownerVisible(ctx, sql`req.user_id`)}, false) as visible,
        ${managesSql(ctx, sql`req.employee_id`)} as manages,
        req.user_id is not distinct from ${ctx.userId}::uuid as own
      from req
    ),
    plan as (
      select case
        when not exists (select 1 from r) then 'not_found'
        when not (select visible or manages from r) then 'not_found'
        ${rule}
      end as refusal
    ),
    upd as (
      update leave_requests l set status = ${NEXT_STATUS[decision]}::text,
        decided_by = case when ${sql.raw(String(deciding))} then ${ctx.userId}::uuid else l.decided_by end,
        decided_at = case when ${sql.raw(String(deciding))} then now() else l.decided_at end,
        decision_note = coalesce(${note}::text, l.decision_note),
        version = l.version + 1, updated_at = now()
      from plan where l.tenant_id = ${ctx.tenantId}::uuid and l.id = ${id}::uuid and plan.refusal is null
      returning l.*
    )${marks},
    aud as (${auditInsertSelect(audit, { old: sql`(select ${auditValues("req")} from req)`, new: auditValues("upd") }, sql`from upd`)})
    select (select ${leaveJson("upd")} from upd) as row, (select refusal from plan) as refusal,
      (select status from req) as status`);
  const row = result.rows[0];
  return { row: row?.row ?? null, refusal: row?.refusal ?? null, status: row?.status ?? null };
}

export interface LeaveFilters {
  employeeId?: string | undefined;
  status?: string | undefined;
  after?: { createdAt: string; id: string } | undefined;
  limit: number;
  offset: number;
  includeTotal: boolean;
}

/** Requests the caller may see, newest first, with the total when asked. One query. */
export async function selectLeave(
  ctx: TenantContext,
  f: LeaveFilters,
): Promise<{ rows: (LeaveRequestDto & { key: string })[]; total: number | null }> {
  const where: SQL[] = [visibleLeaveSql(ctx, "l")];
  if (f.employeeId) where.push(sql`l.employee_id = ${f.employeeId}::uuid`);
  if (f.status) where.push(sql`l.status = ${f.status}::text`);
  const filtered = sql.join(where, sql` and `);
  const after = f.after
    ? sql`and (l.created_at, l.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`
    : sql``;
  const result = await ctx.db.execute<{
    rows: (LeaveRequestDto & { key: string })[];
    total: number | null;
  }>(sql`
    select coalesce((select json_agg(p.j order by p.created_at desc, p.id desc) from (
        select (${leaveJson("l")})::jsonb || jsonb_build_object('key', l.created_at::text) as j, l.created_at, l.id
        from leave_requests l where ${filtered} ${after}
        order by l.created_at desc, l.id desc limit ${f.limit} offset ${f.offset}
      ) p), '[]'::json) as rows,
      ${f.includeTotal ? sql`(select count(*)::int from leave_requests l where ${filtered})` : sql`null::int`} as total`);
  const row = result.rows[0];
  return { rows: row?.rows ?? [], total: row?.total ?? null };
}

export async function selectLeaveRequest(
  ctx: TenantContext,
  id: string,
): Promise<LeaveRequestDto | undefined> {
  const result = await ctx.db.execute<{ l: LeaveRequestDto }>(sql`
    select ${leaveJson("l")} as l from leave_requests l where ${visibleLeaveSql(ctx, "l")} and l.id = ${id}::uuid`);
  return result.rows[0]?.l;
}
