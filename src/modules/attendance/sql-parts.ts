import { type SQL, sql } from "drizzle-orm";
import { isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";

/**
 * SQL pieces shared by the attendance statements: the tenant's attendance settings, the
 * employee acting, distances, the face match, the trust score and the record's JSON. Each is a
 * fragment of ONE statement (a check-in or check-out is a single round trip).
 */

/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres between two points given as SQL float8 expressions. */
export function distanceSql(lat1: SQL, lng1: SQL, lat2: SQL, lng2: SQL): SQL {
  return sql`(2 * ${EARTH_RADIUS_M}::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(${lat2} - ${lat1}) / 2), 2)
    + cos(radians(${lat1})) * cos(radians(${lat2})) * power(sin(radians(${lng2} - ${lng1}) / 2), 2)))))`;
}

/**
 * The tenant's attendance settings with their defaults (as tenants.service.ts applies them), as
 * the one-row CTE `cfg`.
 */
export function settingsCte(ctx: TenantContext): SQL {
  return sql`cfg as (
    select coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tenant_tz,
      coalesce((t.settings->>'face_check_in')::boolean, false) as face_on,
      coalesce((t.settings->>'face_match_threshold')::float8, 0.8) as threshold,
      coalesce((t.settings->>'face_embedding_dimension')::int, 128) as dimension,
      coalesce((t.settings->>'offline_check_in_limit_hours')::int, 72) as offline_hours,
      coalesce((t.settings->>'attendance_geofence_required')::boolean, false) as fence_required
    from tenants t where t.id = ${ctx.tenantId}::uuid)`;
}

/**
 * The employee acting, as the CTE `emp`: the caller's own employee record, or — for a kiosk —
 * the one named (live, not terminated, in the tenant).
 */
export function employeeCte(ctx: TenantContext, employeeId: string | null): SQL {
  const who = employeeId === null ? sql`e.user_id = ${ctx.userId}::uuid` : sql`e.id = ${employeeId}::uuid`;
  return sql`emp as (
    select e.* from employees e
    where e.tenant_id = ${ctx.tenantId}::uuid and ${who} and e.deleted_at is null and e.status <> 'terminated')`;
}

/** A unit-length descriptor as a `real[]` literal parameter (numbers only: validated finite). */
export function vectorParam(vector: readonly number[]): SQL {
  return sql`${`{${vector.join(",")}}`}::real[]`;
}

/**
 * Cosine similarity of the stored descriptor `fe.vector` with `query`: both are unit length (the
 * API normalises before storing and before matching), so it is their dot product.
 */
export function cosineSql(query: SQL): SQL {
  return sql`(select sum(a::float8 * b::float8) from unnest(fe.vector, ${query}) as u(a, b))`;
}

/** The best face match of `emp` for `query` (or nulls), as the CTE `face`. */
export function faceCte(ctx: TenantContext, vector: readonly number[] | null): SQL {
  if (vector === null) {
    return sql`face as (
      select (select count(*)::int from face_embeddings fe join emp on fe.employee_id = emp.id
        where fe.tenant_id = ${ctx.tenantId}::uuid) as enrolled, null::float8 as score)`;
  }
  return sql`face as (
    select count(*)::int as enrolled, max(${cosineSql(vectorParam(vector))}) as score
    from face_embeddings fe join emp on fe.employee_id = emp.id
    where fe.tenant_id = ${ctx.tenantId}::uuid and fe.dimension = ${vector.length}::int)`;
}

/** The nearest of the employee's work locations to the point (none: no row), as the CTE `loc`. */
export function nearestLocationCte(lat: number, lng: number): SQL {
  const d = distanceSql(
    sql`(l->>'lat')::float8`,
    sql`(l->>'lng')::float8`,
    sql`${lat}::float8`,
    sql`${lng}::float8`,
  );
  return sql`loc as (
    select l->>'name' as name, (l->>'radius_m')::float8 as radius, ${d} as dist
    from emp cross join lateral jsonb_array_elements(emp.work_locations) l
    order by 3 limit 1)`;
}

/**
 * The employee's previous known position before `at` (a check-in or check-out, or a visit of
 * their user), as the CTE `prev` — for the implied travel speed.
 */
export function previousPointCte(ctx: TenantContext): SQL {
  return sql`prev as (
    select p.at, p.lat, p.lng from (
      select r.check_in_at as at, r.check_in_lat as lat, r.check_in_lng as lng
      from attendance_records r join emp on r.employee_id = emp.id
      where r.tenant_id = ${ctx.tenantId}::uuid and r.check_in_at < (select ts from at) and r.check_in_lat is not null
      union all
      select r.check_out_at, r.check_out_lat, r.check_out_lng
      from attendance_records r join emp on r.employee_id = emp.id
      where r.tenant_id = ${ctx.tenantId}::uuid and r.check_out_at < (select ts from at) and r.check_out_lat is not null
      union all
      select v.started_at, v.lat, v.lng
      from visits v join emp on v.agent_id = emp.user_id
      where v.tenant_id = ${ctx.tenantId}::uuid and v.started_at < (select ts from at)
    ) p order by p.at desc limit 1)`;
}

/**
 * The trust factors of a punch at (lat, lng) with `accuracy`, as the CTE `trust` (one row:
 * `factors` jsonb and `score` 0..100). Each factor is a value and the points it costs, so a
 * manager sees why (`checkin.ts` documents the rule; the tests recompute it):
 * - gps_accuracy: unknown 10; ≤ 50 m 0; else floor((m − 50) / 10), at most 25;
 * - distance: no work location 10; inside its radius 0; else 10 + floor(metres outside / 100), at most 30;
 * - travel_speed: no previous point or ≤ 120 km/h 0; ≤ 300 km/h 15; faster 30;
 * - face: not used 0; else round((1 − cosine) × 50), at most 20;
 * - backdated: ≤ 5 minutes before the request 0; else 5 + floor(minutes / 60), at most 20.
 */
export function trustCte(lat: number, lng: number, accuracy: number | null): SQL {
  const moved = distanceSql(sql`prev.lat`, sql`prev.lng`, sql`${lat}::float8`, sql`${lng}::float8`);
  return sql`trust0 as (
    select
      ${accuracy}::float8 as accuracy,
      (select dist from loc) as dist, (select radius from loc) as radius,
      (select case when extract(epoch from (at.ts - prev.at)) <= 0 then null
        else ${moved} / 1000 / (extract(epoch from (at.ts - prev.at)) / 3600) end from prev) as speed,
      (select score from face) as face_score,
      floor(extract(epoch from (at.now - at.ts)) / 60)::int as backdated_minutes
    from at
  ),
  trust1 as (
    select trust0.*,
      case when accuracy is null then 10 when accuracy <= 50 then 0
        else least(25, floor((accuracy - 50) / 10))::int end as p_accuracy,
      case when dist is null then 10 when dist <= radius then 0
        else least(30, 10 + floor((dist - radius) / 100))::int end as p_distance,
      case when speed is null or speed <= 120 then 0 when speed <= 300 then 15 else 30 end as p_speed,
      case when face_score is null then 0 else least(20, round((1 - face_score) * 50))::int end as p_face,
      case when backdated_minutes <= 5 then 0 else least(20, 5 + floor(backdated_minutes / 60))::int end as p_backdated
    from trust0
  ),
  trust as (
    select greatest(0, 100 - p_accuracy - p_distance - p_speed - p_face - p_backdated)::int as score,
      jsonb_build_object(
        'gps_accuracy', jsonb_build_object('value', accuracy, 'penalty', p_accuracy),
        'distance', jsonb_build_object('value', round(dist::numeric, 1), 'radius', radius, 'penalty', p_distance),
        'travel_speed', jsonb_build_object('value', round(speed::numeric, 1), 'penalty', p_speed),
        'face', jsonb_build_object('value', round(face_score::numeric, 4), 'penalty', p_face),
        'backdated', jsonb_build_object('value', greatest(0, backdated_minutes), 'penalty', p_backdated)
      ) as factors
    from trust1)`;
}

/** One punch (check-in or check-out) of the record under `alias`, or null. */
function punchJson(a: SQL, prefix: "check_in" | "check_out"): SQL {
  const c = (name: string) => sql`${a}.${sql.identifier(`${prefix}_${name}`)}`;
  return sql`case when ${c("at")} is null then null else json_build_object(
    'at', ${isoSql(c("at"))}, 'client_id', ${c("client_id")}, 'lat', ${c("lat")}, 'lng', ${c("lng")},
    'accuracy_m', ${c("accuracy_m")}, 'distance_m', round(${c("distance_m")}::numeric, 1),
    'location', ${c("location")}, 'outside_geofence', ${c("outside_geofence")},
    'face_score', round(${c("face_score")}::numeric, 4), 'trust_score', ${c("trust_score")},
    'trust_factors', ${c("trust_factors")}) end`;
}

/** An attendance record under `alias` as the API's JSON. */
export function recordJson(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`json_build_object(
    'id', ${a}.id, 'employee_id', ${a}.employee_id, 'user_id', ${a}.user_id, 'department_id', ${a}.department_id,
    'shift_id', ${a}.shift_id, 'work_date', ${a}.work_date::text, 'status', ${a}.status,
    'shift_start', ${isoSql(sql`${a}.shift_start`)}, 'shift_end', ${isoSql(sql`${a}.shift_end`)},
    'check_in', ${punchJson(a, "check_in")}, 'check_out', ${punchJson(a, "check_out")},
    'worked_minutes', ${a}.worked_minutes, 'late_minutes', ${a}.late_minutes,
    'early_leave_minutes', ${a}.early_leave_minutes, 'overtime_minutes', ${a}.overtime_minutes,
    'leave_request_id', ${a}.leave_request_id, 'version', ${a}.version,
    'created_at', ${isoSql(sql`${a}.created_at`)}, 'updated_at', ${isoSql(sql`${a}.updated_at`)})`;
}

/**
 * A UUIDv7 made by the database (48-bit millisecond time, version 7, RFC 9562 variant, random
 * bits), for statements that insert many rows at once (the absence job, leave days).
 */
export const uuidv7Sql = sql`(lpad(to_hex(floor(extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
  || '7' || substr(md5(random()::text), 1, 3) || to_hex(8 + floor(random() * 4)::int)
  || substr(md5(random()::text), 1, 15))::uuid`;

/**
 * The working days of the employee `e` between two dates, as a set-returning SQL over the
 * employee's default shift `s` (a left-joined shifts row): the shift's weekdays, or every day
 * when the employee has no shift.
 */
export function workingDay(day: SQL): SQL {
  return sql`(s.id is null or s.weekdays @> to_jsonb(extract(isodow from ${day})::int))`;
}
