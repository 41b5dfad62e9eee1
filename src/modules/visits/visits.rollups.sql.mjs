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
