// @ts-check
import { KEYS } from "../../core/rollup-sql.mjs";

/**
 * Attendance rollup SQL as plain statement text, the one copy: attendance.jobs.ts runs it from the
 * crons, scripts/bench/seed.mjs runs it to fill the benchmark dataset's rollups.
 */

/** Rollup key of employees without a department (rollup keys cannot hold NULL). */
export const NO_DEPARTMENT_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Counts the records of each window `win(tenant_id, first, last)` (the KEYS query: work dates,
 * inclusive) per department and day into attendance_daily_rollups. The caller deletes the
 * windows' old cells first (in the same batch), so the cells are recomputed, never incremented.
 */
export const ATTENDANCE_ROLLUP_INSERT = `
  with win as (${KEYS})
  insert into attendance_daily_rollups (tenant_id, department_id, day, employees, present, late, absent, on_leave,
    half_day, missing_checkout, worked_minutes, late_minutes, overtime_minutes)
  select r.tenant_id, coalesce(r.department_id, '${NO_DEPARTMENT_ID}'::uuid), r.work_date, count(*)::int,
    count(*) filter (where r.status = 'present')::int, count(*) filter (where r.status = 'late')::int,
    count(*) filter (where r.status = 'absent')::int, count(*) filter (where r.status = 'on_leave')::int,
    count(*) filter (where r.status = 'half_day')::int, count(*) filter (where r.status = 'missing_checkout')::int,
    coalesce(sum(r.worked_minutes), 0)::int, coalesce(sum(r.late_minutes), 0)::int,
    coalesce(sum(r.overtime_minutes), 0)::int
  from attendance_records r join win on r.tenant_id = win.tenant_id and r.work_date between win.first and win.last
  group by 1, 2, 3`;

/** Every cell of the dataset (for a full rebuild: the bench seed). */
export const ALL_ATTENDANCE_DAYS = `select id as tenant_id, '-infinity'::date as first, 'infinity'::date as last from tenants`;
