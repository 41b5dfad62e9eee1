import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import type { AttendanceRecordDto } from "./records.schemas";
import {
  employeeCte,
  faceCte,
  nearestLocationCte,
  previousPointCte,
  recordJson,
  settingsCte,
  trustCte,
} from "./sql-parts";

/** What a check-in or check-out sends, validated; `vector` is the unit-length descriptor or null. */
export interface Punch {
  employeeId: string | null;
  vector: number[] | null;
  lat: number;
  lng: number;
  accuracyM: number | null;
  clientId: string;
  takenAt: string | null;
}

/** Why a punch was refused (nothing written), decided inside the statement. */
export type PunchRefusal =
  | "employee"
  | "too_old"
  | "face_required"
  | "face_dimension"
  | "face_not_enrolled"
  | "face_mismatch"
  | "outside_geofence"
  | "no_open_check_in"
  | "already_checked_in";

export interface PunchOutcome {
  replay: AttendanceRecordDto | null;
  row: AttendanceRecordDto | null;
  refusal: PunchRefusal | null;
  faceScore: number | null;
  threshold: number;
  distanceM: number | null;
  radiusM: number | null;
  offlineHours: number;
  dimension: number;
}

type OutcomeRow = {
  replay: AttendanceRecordDto | null;
  row: AttendanceRecordDto | null;
  refusal: PunchRefusal | null;
  face_score: number | null;
  threshold: number;
  dist: number | null;
  radius: number | null;
  offline_hours: number;
  dimension: number;
};

/** The common head of both statements: settings, employee, time, face, location, previous point, trust. */
function head(ctx: TenantContext, p: Punch): SQL {
  const ts = p.takenAt === null ? sql`now()` : sql`${p.takenAt}::timestamptz`;
  return sql`${settingsCte(ctx)},
    ${employeeCte(ctx, p.employeeId)},
    at as (select ${ts} as ts, now() as now),
    ${faceCte(ctx, p.vector)},
    ${nearestLocationCte(p.lat, p.lng)},
    ${previousPointCte(ctx)},
    ${trustCte(p.lat, p.lng, p.accuracyM)}`;
}

/**
 * The refusals both statements share, in the order a client can act on them — after the replay:
 * a resend of a recorded punch returns it even when it would no longer be accepted (too old now).
 */
function commonRefusal(p: Punch): SQL {
  return sql`case
      when exists (select 1 from replay) then null
      when not exists (select 1 from emp) then 'employee'
      when (select now - ts from at) > make_interval(hours => (select offline_hours from cfg)) then 'too_old'
      when (select face_on from cfg) and ${sql.raw(String(p.vector === null))} then 'face_required'
      when (select face_on from cfg) and ${p.vector?.length ?? 0}::int <> (select dimension from cfg) then 'face_dimension'
      when (select face_on from cfg) and (select enrolled from face) = 0 then 'face_not_enrolled'
      when (select face_on from cfg) and coalesce((select score from face), -1) < (select threshold from cfg) then 'face_mismatch'
      when (select fence_required from cfg)
        and coalesce((select dist <= radius from loc), false) = false then 'outside_geofence'`;
}

const outcomeColumns = sql`(select threshold from cfg) as threshold, (select offline_hours from cfg) as offline_hours,
  (select dimension from cfg) as dimension, (select score from face) as face_score,
  (select dist from loc) as dist, (select radius from loc) as radius`;

function outcome(row: OutcomeRow | undefined): PunchOutcome {
  return {
    replay: row?.replay ?? null,
    row: row?.row ?? null,
    refusal: row?.refusal ?? null,
    faceScore: row?.face_score ?? null,
    threshold: Number(row?.threshold ?? 0),
    distanceM: row?.dist ?? null,
    radiusM: row?.radius ?? null,
    offlineHours: Number(row?.offline_hours ?? 0),
    dimension: Number(row?.dimension ?? 0),
  };
}

/** `replay`: the record an earlier punch with this client_id made (a resend returns it). */
function replay(ctx: TenantContext, p: Punch, punch: "check_in" | "check_out"): SQL {
  return sql`replay as (
    select r.* from attendance_records r join emp on r.employee_id = emp.id
    where r.tenant_id = ${ctx.tenantId}::uuid and r.${sql.raw(`${punch}_client_id`)} = ${p.clientId}::text
  )`;
}

/** The punch columns of a check-in or check-out, from the CTEs (`loc`, `face`, `trust`). */
function punchValues(p: Punch): SQL {
  return sql`${p.clientId}::text, ${p.lat}::float8, ${p.lng}::float8, ${p.accuracyM}::float8,
    (select dist from loc), (select name from loc), coalesce((select dist > radius from loc), true),
    (select score from face where (select face_on from cfg)), (select score from trust), (select factors from trust)`;
}

/**
 * Checks in, in ONE statement: the employee, the tenant's settings, the face match, the nearest
 * work location, the previous position and the shift are read by CTEs; the working day is the
 * local date of the punch in the shift's zone — for an overnight shift a punch before its end
 * time belongs to the day before, the day the shift started; late minutes count from the
 * shift's start (DST-aware: wall times become instants with `at time zone`) and only beyond the
 * grace. A resend with the same client_id returns the record it made; a second check-in on the
 * same day is refused; a day already marked (absent, on leave) by the job or a leave takes the
 * check-in. The audit row is written only with the check-in.
 */
export async function checkInStatement(ctx: TenantContext, p: Punch): Promise<PunchOutcome> {
  const id = uuidv7();
  const audit = auditRow(ctx, {
    action: "attendance.check_in",
    entityType: "attendance_record",
    entityId: null,
  });
  const result = await ctx.db.execute<OutcomeRow>(sql`
    with ${head(ctx, p)}, ${replay(ctx, p, "check_in")},
    sh as (
      select s.*, coalesce(s.timezone, cfg.tenant_tz) as tz, s.end_time <= s.start_time as overnight
      from emp join shifts s on s.tenant_id = emp.tenant_id and s.id = emp.default_shift_id and s.deleted_at is null
      cross join cfg
    ),
    local as (
      select (at.ts at time zone coalesce((select tz from sh), cfg.tenant_tz)) as wall from at cross join cfg
    ),
    wd as (
      select case when (select overnight from sh) and local.wall::time < (select end_time from sh)
        then local.wall::date - 1 else local.wall::date end as work_date
      from local
    ),
    bounds as (
      select wd.work_date,
        ((wd.work_date + sh.start_time) at time zone sh.tz) as shift_start,
        (((wd.work_date + case when sh.overnight then 1 else 0 end) + sh.end_time) at time zone sh.tz) as shift_end,
        sh.grace_late_minutes as grace
      from wd left join sh on true
    ),
    late as (
      select bounds.*, case when shift_start is null then 0
        else greatest(0, floor(extract(epoch from ((select ts from at) - shift_start)) / 60))::int end as raw
      from bounds
    ),
    plan as (
      select ${commonRefusal(p)}
        when exists (
          select 1 from attendance_records r join emp on r.employee_id = emp.id
          where r.tenant_id = ${ctx.tenantId}::uuid and r.work_date = (select work_date from wd) and r.check_in_at is not null
        ) then 'already_checked_in'
      end as refusal
    ),
    ins as (
      insert into attendance_records as r (tenant_id, id, employee_id, user_id, department_id, shift_id, work_date,
        status, shift_start, shift_end, check_in_at, check_in_client_id, check_in_lat, check_in_lng,
        check_in_accuracy_m, check_in_distance_m, check_in_location, check_in_outside_geofence,
        check_in_face_score, check_in_trust_score, check_in_trust_factors, late_minutes, created_by)
      select ${ctx.tenantId}::uuid, ${id}::uuid, emp.id, emp.user_id, emp.department_id, (select id from sh),
        late.work_date, case when late.raw > coalesce(late.grace, 0) then 'late' else 'present' end,
        late.shift_start, late.shift_end, (select ts from at), ${punchValues(p)},
        case when late.raw > coalesce(late.grace, 0) then late.raw else 0 end, ${ctx.userId}::uuid
      from emp cross join late cross join plan
      where plan.refusal is null and not exists (select 1 from replay)
      on conflict (tenant_id, employee_id, work_date) do update set
        status = case when r.status = 'half_day' then 'half_day' else excluded.status end,
        shift_id = excluded.shift_id, shift_start = excluded.shift_start, shift_end = excluded.shift_end,
        check_in_at = excluded.check_in_at, check_in_client_id = excluded.check_in_client_id,
        check_in_lat = excluded.check_in_lat, check_in_lng = excluded.check_in_lng,
        check_in_accuracy_m = excluded.check_in_accuracy_m, check_in_distance_m = excluded.check_in_distance_m,
        check_in_location = excluded.check_in_location, check_in_outside_geofence = excluded.check_in_outside_geofence,
        check_in_face_score = excluded.check_in_face_score, check_in_trust_score = excluded.check_in_trust_score,
        check_in_trust_factors = excluded.check_in_trust_factors, late_minutes = excluded.late_minutes,
        version = r.version + 1, updated_at = now()
      where r.check_in_at is null
      returning r.*
    ),
    aud as (${auditInsertSelect(audit, { old: sql`null::jsonb`, entityId: sql`ins.id::text`, new: sql`jsonb_build_object( 'employee_id', ins.employee_id, 'work_date', ins.work_date, 'status', ins.status, 'at', ins.check_in_at, 'trust_score', ins.check_in_trust_score)` }, sql`from ins`)})
    select (select ${recordJson("replay")} from replay) as replay, (select ${recordJson("ins")} from ins) as row,
      (select refusal from plan) as refusal, ${outcomeColumns}`);
  return outcome(result.rows[0]);
}

/**
 * Checks out, in ONE statement: the employee's open record (checked in, not out, within 48
 * hours before the punch) gets the check-out; worked minutes are the time between the punches
 * less the shift's break; early-leave minutes count before the shift's end beyond its grace;
 * overtime is worked time beyond the shift's scheduled minutes (end − start − break, so a DST
 * night counts its real length); a day worked less than half its scheduled minutes is a
 * half_day, else late or present by the check-in. A resend with the same client_id returns it.
 */
export async function checkOutStatement(ctx: TenantContext, p: Punch): Promise<PunchOutcome> {
  const audit = auditRow(ctx, {
    action: "attendance.check_out",
    entityType: "attendance_record",
    entityId: null,
  });
  const result = await ctx.db.execute<OutcomeRow>(sql`
    with ${head(ctx, p)}, ${replay(ctx, p, "check_out")},
    open as (
      select r.* from attendance_records r join emp on r.employee_id = emp.id
      where r.tenant_id = ${ctx.tenantId}::uuid and r.check_in_at is not null and r.check_out_at is null
        and r.check_in_at <= (select ts from at) and r.check_in_at > (select ts from at) - interval '48 hours'
      order by r.check_in_at desc limit 1
    ),
    calc as (
      select o.id, coalesce(s.break_minutes, 0) as brk, coalesce(s.grace_early_minutes, 0) as grace,
        floor(extract(epoch from ((select ts from at) - o.check_in_at)) / 60)::int as elapsed,
        case when o.shift_end is null then 0
          else greatest(0, floor(extract(epoch from (o.shift_end - (select ts from at))) / 60))::int end as early_raw,
        case when o.shift_end is null then null
          else floor(extract(epoch from (o.shift_end - o.shift_start)) / 60)::int - coalesce(s.break_minutes, 0) end as scheduled
      from open o left join shifts s on s.tenant_id = o.tenant_id and s.id = o.shift_id
    ),
    calc2 as (
      select calc.*, greatest(0, elapsed - brk) as worked from calc
    ),
    plan as (
      select ${commonRefusal(p)}
        when not exists (select 1 from open) then 'no_open_check_in'
      end as refusal
    ),
    upd as (
      update attendance_records r set
        check_out_at = (select ts from at),
        (check_out_client_id, check_out_lat, check_out_lng, check_out_accuracy_m, check_out_distance_m,
         check_out_location, check_out_outside_geofence, check_out_face_score, check_out_trust_score,
         check_out_trust_factors) = (select ${punchValues(p)}),
        worked_minutes = c.worked,
        early_leave_minutes = case when c.early_raw > c.grace then c.early_raw else 0 end,
        overtime_minutes = case when c.scheduled is null then 0 else greatest(0, c.worked - c.scheduled) end,
        status = case when r.status = 'half_day' then 'half_day'
          when c.scheduled is not null and c.worked * 2 < c.scheduled then 'half_day'
          when r.late_minutes > 0 then 'late' else 'present' end,
        version = r.version + 1, updated_at = now()
      from calc2 c, plan
      where r.tenant_id = ${ctx.tenantId}::uuid and r.id = c.id and plan.refusal is null
        and not exists (select 1 from replay)
      returning r.*
    ),
    aud as (${auditInsertSelect(audit, { old: sql`null::jsonb`, entityId: sql`upd.id::text`, new: sql`jsonb_build_object( 'employee_id', upd.employee_id, 'work_date', upd.work_date, 'status', upd.status, 'at', upd.check_out_at, 'worked_minutes', upd.worked_minutes, 'trust_score', upd.check_out_trust_score)` }, sql`from upd`)})
    select (select ${recordJson("replay")} from replay) as replay, (select ${recordJson("upd")} from upd) as row,
      (select refusal from plan) as refusal, ${outcomeColumns}`);
  return outcome(result.rows[0]);
}
