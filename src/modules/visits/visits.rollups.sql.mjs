// @ts-check
import { KEYS, NO_SHOP, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * Visit rollup SQL as plain statement text, the one copy: src/modules/visits/visits.rollups.ts runs
 * it from the queue and the nightly cron, scripts/bench/seed.mjs runs it to fill the benchmark
 * dataset's rollups, so the two can never compute different numbers (templates with one KEYS
 * hole, see src/core/rollup-sql.mjs).
 *
 * "Day" is the tenant's local day of the visit's start. Every write RECOMPUTES the cells from the
 * source rows instead of incrementing them, so applying an event twice, out of order, or after
 * the nightly rebuild always leaves the same numbers.
 */

/**
 * Recomputes the visit rollup cells `k(tenant_id, day, tz, agent_id, shop_id)` (the KEYS query)
 * from the completed visits; a cell with no visit left is written with zeros.
 */
export const VISIT_CELLS_UPSERT = `
  with k as (${KEYS})
  insert into visit_daily_rollups (tenant_id, day, agent_id, shop_id, visits, outside_geofence, duration_seconds)
  select k.tenant_id, k.day, k.agent_id, k.shop_id,
    count(x.id), count(x.id) filter (where x.outside_geofence),
    coalesce(sum(extract(epoch from x.completed_at - x.started_at)), 0)::bigint
  from k
  left join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
    and coalesce(x.shop_id, ${NO_SHOP}) = k.shop_id and x.status = 'completed'
    and ${onLocalDay("x.started_at", "k.day", "k.tz")}
  group by k.tenant_id, k.day, k.agent_id, k.shop_id
  on conflict (tenant_id, day, agent_id, shop_id) do update
    set visits = excluded.visits, outside_geofence = excluded.outside_geofence,
        duration_seconds = excluded.duration_seconds, updated_at = now()`;

/** KEYS for every cell that has a completed visit, in every tenant (a full rebuild, the bench seed). */
export const ALL_VISIT_CELLS = `
  select distinct x.tenant_id, (x.started_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz,
    x.agent_id, coalesce(x.shop_id, ${NO_SHOP}) as shop_id
  from visits x join tenants t on t.id = x.tenant_id
  where x.status = 'completed'`;

/**
 * Recomputes the visit activity cells `k(tenant_id, day, tz, agent_id, shop_id, survey_id)` (the
 * KEYS query) from the visits started that local day, their answers, photos and shelf marks; a
 * cell with no visit left is written with zeros. A shelf photo's marked area is its rectangles'
 * `marked_area` (1, the whole photo, on rows stored before that column existed).
 */
export const VISIT_ACTIVITY_UPSERT = `
  with k as (${KEYS}),
  v as (
    select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id, x.id, x.status, x.outside_geofence,
      x.started_at, x.completed_at
    from k
    join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
      and coalesce(x.shop_id, ${NO_SHOP}) = k.shop_id and x.survey_id = k.survey_id
      and ${onLocalDay("x.started_at", "k.day", "k.tz")}
  ),
  per_visit as (
    select v.*,
      (select count(*) from visit_answers a where a.tenant_id = v.tenant_id and a.visit_id = v.id) as answers,
      ph.photos, ph.shelf_photos, ph.shelf_area, ph.last_photo_at
    from v
    cross join lateral (
      select count(*) as photos, count(*) filter (where s.marks > 0) as shelf_photos,
        coalesce(sum(s.area) filter (where s.marks > 0), 0) as shelf_area, max(p.created_at) as last_photo_at
      from photos p
      cross join lateral (
        select count(*) as marks, coalesce(max(q.marked_area), 1) as area
        from shelf_quadrants q where q.tenant_id = p.tenant_id and q.photo_id = p.id
      ) s
      where p.tenant_id = v.tenant_id and p.visit_id = v.id
    ) ph
  )
  insert into visit_activity_daily_rollups (tenant_id, day, agent_id, shop_id, survey_id, started, completed,
    outside_geofence, duration_seconds, answers, answered, photos, shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id,
    count(pv.id), count(pv.id) filter (where pv.status = 'completed'),
    count(pv.id) filter (where pv.outside_geofence),
    coalesce(sum(extract(epoch from pv.completed_at - pv.started_at)) filter (where pv.status = 'completed'), 0)::bigint,
    coalesce(sum(pv.answers) filter (where pv.status = 'completed'), 0),
    count(pv.id) filter (where pv.status = 'completed' and pv.answers > 0),
    coalesce(sum(pv.photos), 0), coalesce(sum(pv.shelf_photos), 0), coalesce(sum(pv.shelf_area), 0),
    max(greatest(pv.started_at, pv.completed_at, pv.last_photo_at))
  from k
  left join per_visit pv on pv.tenant_id = k.tenant_id and pv.day = k.day and pv.agent_id = k.agent_id
    and pv.shop_id = k.shop_id and pv.survey_id = k.survey_id
  group by k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id
  on conflict (tenant_id, day, agent_id, shop_id, survey_id) do update
    set started = excluded.started, completed = excluded.completed, outside_geofence = excluded.outside_geofence,
        duration_seconds = excluded.duration_seconds, answers = excluded.answers, answered = excluded.answered,
        photos = excluded.photos,
        shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
        last_activity_at = excluded.last_activity_at, updated_at = now()`;

/** KEYS for every visit activity cell (any visit), in every tenant (a full rebuild, the bench seed). */
export const ALL_VISIT_ACTIVITY_CELLS = `
  select distinct x.tenant_id, (x.started_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz,
    x.agent_id, coalesce(x.shop_id, ${NO_SHOP}) as shop_id, x.survey_id
  from visits x join tenants t on t.id = x.tenant_id`;

const MEASURES = `started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at`;

/** The measures summed over the rows of `a` (zeros when there are none). */
const SUMS = `coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)`;

const SET_MEASURES = `started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now()`;

/**
 * Recomputes the agent-day cells of the activity cells `k(tenant_id, day, …, agent_id, …)` (the
 * KEYS query, the same one VISIT_ACTIVITY_UPSERT just ran with) from visit_activity_daily_rollups.
 */
export const VISIT_AGENT_DAY_UPSERT = `
  with k as (select distinct k0.tenant_id, k0.day, k0.agent_id from (${KEYS}) k0)
  insert into visit_agent_daily_rollups (tenant_id, day, agent_id, ${MEASURES})
  select k.tenant_id, k.day, k.agent_id, ${SUMS}
  from k
  left join visit_activity_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day and a.agent_id = k.agent_id
  group by k.tenant_id, k.day, k.agent_id
  on conflict (tenant_id, day, agent_id) do update set ${SET_MEASURES}`;

/** Recomputes the tenant-day cells of the keys `k(tenant_id, day, …)` from visit_agent_daily_rollups. */
export const VISIT_TENANT_DAY_UPSERT = `
  with k as (select distinct k0.tenant_id, k0.day from (${KEYS}) k0)
  insert into visit_tenant_daily_rollups (tenant_id, day, ${MEASURES})
  select k.tenant_id, k.day, ${SUMS}
  from k
  left join visit_agent_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update set ${SET_MEASURES}`;

/**
 * Recomputes the per-shop completion cells `k(tenant_id, day, tz, agent_id, shop_id)` (the KEYS
 * query) of shop_visit_daily_rollups from the visits the agent COMPLETED at the shop on that
 * local day: their number and the first completion's local wall-clock time (what call-cycle
 * status compares with a call's window). A cell with no visit left is written with zero and null.
 */
export const SHOP_VISIT_CELLS_UPSERT = `
  with k as (${KEYS})
  insert into shop_visit_daily_rollups (tenant_id, day, agent_id, shop_id, completed, first_completed_at)
  select k.tenant_id, k.day, k.agent_id, k.shop_id, count(x.id), min(x.completed_at at time zone k.tz)
  from k
  left join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id and x.shop_id = k.shop_id
    and x.status = 'completed' and ${onLocalDay("x.completed_at", "k.day", "k.tz")}
  group by k.tenant_id, k.day, k.agent_id, k.shop_id
  on conflict (tenant_id, day, agent_id, shop_id) do update
    set completed = excluded.completed, first_completed_at = excluded.first_completed_at, updated_at = now()`;

/** KEYS for every per-shop completion cell, in every tenant (a full rebuild, the bench seed). */
export const ALL_SHOP_VISIT_CELLS = `
  select distinct x.tenant_id, (x.completed_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz,
    x.agent_id, x.shop_id
  from visits x join tenants t on t.id = x.tenant_id
  where x.status = 'completed' and x.shop_id is not null and x.completed_at is not null`;
