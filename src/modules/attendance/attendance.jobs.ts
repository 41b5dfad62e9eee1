import { sql } from "drizzle-orm";
import { type RollupContext, withKeys } from "../../core/rollups";
import { ATTENDANCE_ROLLUP_INSERT } from "./attendance.rollups.sql.mjs";
import { uuidv7Sql } from "./sql-parts";

/**
 * The attendance jobs. Both work on every tenant in ONE statement (or one atomic batch) and are
 * idempotent: running them twice leaves the same rows.
 */

/** How many local days behind today the rollup rebuild covers (late offline punches, late approvals). */
const REBUILD_DAYS = 7;

/** Each tenant's zone and the local day that ended most recently at `now` (its yesterday). */
const tenantDays = (now: Date) => sql`td as (
  select t.id as tenant_id, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz,
    ((${now.toISOString()}::timestamptz at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date - 1) as day
  from tenants t where t.status = 'active')`;

export interface DayCloseCounts {
  absent: number;
  on_leave: number;
  missing_checkout: number;
}

/**
 * Closes each tenant's local yesterday at `now` (the hourly cron runs it, so every tenant's day is
 * closed within an hour of its local midnight, whatever its offset or DST): every active
 * employee hired by then whose default shift works that weekday and who has no record for it
 * gets one — `on_leave` / `half_day` under an approved leave, else `absent`; and every open
 * check-in whose shift (or, without a shift, whose day) ended before `now` becomes
 * `missing_checkout` (an overnight shift is closed once it ended the next morning). Existing
 * records are never overwritten, so a second run changes nothing.
 */
export async function closeAttendanceDays(rc: RollupContext, now: Date): Promise<DayCloseCounts> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await rc.db.execute<{ absent: number; on_leave: number; missing_checkout: number }>(sql`
    with ${tenantDays(now)},
    cand as (
      select td.tenant_id, e.id as employee_id, e.user_id, e.department_id, s.id as shift_id, td.day,
        ((td.day + s.start_time) at time zone coalesce(s.timezone, td.tz)) as shift_start,
        (((td.day + case when s.end_time <= s.start_time then 1 else 0 end) + s.end_time)
          at time zone coalesce(s.timezone, td.tz)) as shift_end,
        lv.id as leave_id, lv.half_day
      from td
      join employees e on e.tenant_id = td.tenant_id and e.deleted_at is null and e.status = 'active'
        and (e.hire_date is null or e.hire_date <= td.day)
      join shifts s on s.tenant_id = e.tenant_id and s.id = e.default_shift_id and s.deleted_at is null
      left join lateral (
        select l.id, l.half_day from leave_requests l
        where l.tenant_id = e.tenant_id and l.employee_id = e.id and l.status = 'approved'
          and td.day between l.start_date and l.end_date
        order by l.created_at limit 1
      ) lv on true
      where s.weekdays @> to_jsonb(extract(isodow from td.day)::int)
    ),
    marked as (
      insert into attendance_records (tenant_id, id, employee_id, user_id, department_id, shift_id, work_date,
        status, shift_start, shift_end, leave_request_id)
      select tenant_id, ${uuidv7Sql}, employee_id, user_id, department_id, shift_id, day,
        case when leave_id is null then 'absent' when half_day then 'half_day' else 'on_leave' end,
        shift_start, shift_end, leave_id
      from cand
      on conflict (tenant_id, employee_id, work_date) do nothing
      returning status
    ),
    missing as (
      update attendance_records r set status = 'missing_checkout', version = r.version + 1, updated_at = now()
      from td
      where r.tenant_id = td.tenant_id and r.check_in_at is not null and r.check_out_at is null
        and r.status <> 'missing_checkout' and r.work_date <= td.day and r.work_date > td.day - 14
        and coalesce(r.shift_end, ((r.work_date + 1)::timestamp at time zone td.tz)) < ${at}
      returning 1
    )
    select (select count(*)::int from marked where status = 'absent') as absent,
      (select count(*)::int from marked where status <> 'absent') as on_leave,
      (select count(*)::int from missing) as missing_checkout`);
  const row = result.rows[0];
  return {
    absent: row?.absent ?? 0,
    on_leave: row?.on_leave ?? 0,
    missing_checkout: row?.missing_checkout ?? 0,
  };
}

/**
 * Rebuilds the attendance rollups (per tenant, department and local day) of the last
 * REBUILD_DAYS days up to each tenant's today from the records: the window's cells are deleted
 * and recounted in one atomic batch, so a moved or changed record leaves nothing stale behind.
 */
export async function rebuildAttendanceRollups(rc: RollupContext, now: Date): Promise<void> {
  const { db } = rc;
  const window = sql`
    with ${tenantDays(now)}
    select tenant_id, day - ${REBUILD_DAYS - 1}::int as first, day + 1 as last from td`;
  await db.batch([
    db.execute(sql`
      with win as (${window})
      delete from attendance_daily_rollups x using win
      where x.tenant_id = win.tenant_id and x.day between win.first and win.last`),
    db.execute(withKeys(ATTENDANCE_ROLLUP_INSERT, window)),
  ]);
}

/** The hourly job: close yesterday everywhere, then bring the rollups up to date. */
export async function attendanceHourly(rc: RollupContext, now: Date): Promise<DayCloseCounts> {
  const counts = await closeAttendanceDays(rc, now);
  await rebuildAttendanceRollups(rc, now);
  return counts;
}
