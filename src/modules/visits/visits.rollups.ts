import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { planCachedWrite } from "../../core/plan-cache";
import {
  clearTenantDay,
  NO_SHOP_SQL,
  onRebuiltDay,
  payloadId,
  type RollupContext,
  recomputeCells,
  TENANT_TZ_SQL,
  tenantDayKeys,
  tenantToday,
  tenantYesterday,
  withKeys,
} from "../../core/rollups";
import {
  SHOP_VISIT_CELLS_UPSERT,
  VISIT_ACTIVITY_UPSERT,
  VISIT_AGENT_DAY_UPSERT,
  VISIT_CELLS_UPSERT,
  VISIT_TENANT_DAY_UPSERT,
} from "./visits.rollups.sql.mjs";

/**
 * Visit rollups per tenant-local day: completed visits per agent and shop (visit_daily_rollups)
 * and visit activity per agent, shop and survey (visit_activity_daily_rollups, what analytics
 * reads), and completions per agent and shop on the local day of completion
 * (shop_visit_daily_rollups, what call-cycle status, coverage and adherence read). The queue
 * applies the events that touch a visit, the `*\/15` cron rebuilds today and
 * the nightly cron yesterday. The statements are the ones in visits.rollups.sql.mjs; this file
 * only chooses which cells they recompute.
 */

/**
 * The statements that recompute activity cells and, from them, their agent-day and tenant-day
 * sums (run in order: each reads what the previous one wrote).
 */
const ACTIVITY = [VISIT_ACTIVITY_UPSERT, VISIT_AGENT_DAY_UPSERT, VISIT_TENANT_DAY_UPSERT] as const;

function activityRecompute(db: RollupContext["db"], keys: SQL) {
  return recomputeCells(db, keys, ACTIVITY);
}

/** The completed-visits cell of one visit. */
function visitKey(tenantId: string, visitId: string): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, v.agent_id,
      coalesce(v.shop_id, ${NO_SHOP_SQL}) as shop_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${tenantId} and v.id = ${visitId}`;
}

/** The activity cell of one visit. */
function activityKey(tenantId: string, visitId: string): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, v.agent_id,
      coalesce(v.shop_id, ${NO_SHOP_SQL}) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${tenantId} and v.id = ${visitId}`;
}

/** The per-shop completion cell of one visit (none for a visit without a shop or not completed). */
function completionKey(tenantId: string, visitId: string): SQL {
  return sql`
    select v.tenant_id, (v.completed_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, v.agent_id, v.shop_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${tenantId} and v.id = ${visitId} and v.shop_id is not null and v.completed_at is not null`;
}

/**
 * The per-event recomputes as plan-cached functions (core/plan-cache.ts): the queue runs them for
 * every visit and photo, and planning their statements cost about as much as running them.
 */

/** `visit.completed`: the visit's agent/shop/day cell, its activity cell (and sums) and its per-shop completion cell. */
export const visitCompletedRollups = planCachedWrite(
  "visit_completed_rollups",
  { tenant: "uuid", visit: "uuid" },
  (a) => [
    withKeys(VISIT_CELLS_UPSERT, visitKey(a.tenant, a.visit)),
    ...ACTIVITY.map((template) => withKeys(template, activityKey(a.tenant, a.visit))),
    withKeys(SHOP_VISIT_CELLS_UPSERT, completionKey(a.tenant, a.visit)),
  ],
);

/** `visit.started`: the visit's activity cell (and its sums). */
export const visitStartedRollups = planCachedWrite(
  "visit_started_rollups",
  { tenant: "uuid", visit: "uuid" },
  (a) => ACTIVITY.map((template) => withKeys(template, activityKey(a.tenant, a.visit))),
);

/** A photo event: the activity cell of the photo's visit (an unknown photo recomputes nothing). */
export const photoActivityRollups = planCachedWrite(
  "photo_activity_rollups",
  { tenant: "uuid", photo: "uuid" },
  (a) => {
    const key = sql`
    select v.tenant_id, (v.started_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, v.agent_id,
      coalesce(v.shop_id, ${NO_SHOP_SQL}) as shop_id, v.survey_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = ${a.tenant} and p.id = ${a.photo}`;
    return ACTIVITY.map((template) => withKeys(template, key));
  },
);

/**
 * `visit.completed`: recompute the visit's agent/shop/day cell, its activity cell (and sums) and
 * its per-shop completion cell. One atomic round trip.
 */
export async function applyVisitCompleted(event: DomainEvent, rc: RollupContext): Promise<void> {
  await rc.db.execute(
    visitCompletedRollups.call({ tenant: event.tenant_id, visit: payloadId(event, "visit_id") }),
  );
}

/** `visit.started` (a `visit_id`): recompute the visit's activity cell (and its sums). One round trip. */
export async function applyVisitActivity(event: DomainEvent, rc: RollupContext): Promise<void> {
  await rc.db.execute(
    visitStartedRollups.call({ tenant: event.tenant_id, visit: payloadId(event, "visit_id") }),
  );
}

/**
 * An event about a photo (`photo.registered`, `shelf_quadrants.submitted`, each with a
 * `photo_id`): recompute the activity cell of the photo's visit (its photos and shelf area).
 * One round trip; an unknown photo recomputes nothing.
 */
export async function applyPhotoActivity(event: DomainEvent, rc: RollupContext): Promise<void> {
  await rc.db.execute(
    photoActivityRollups.call({ tenant: event.tenant_id, photo: payloadId(event, "photo_id") }),
  );
}

/**
 * Rebuilds the visit rollups of every tenant's local `day` (a SQL expression over the `tenants`
 * row `t`) from the source rows: the day's old cells are deleted first, so a visit that moved
 * (or vanished) leaves nothing behind. One atomic round trip; running it twice gives the same rows.
 */
async function rebuildVisitRollupsOf(rc: RollupContext, day: SQL): Promise<void> {
  const { db } = rc;
  const visitsOnDay = sql`from visits x where x.tenant_id = t.id and ${onRebuiltDay("x.started_at")}`;
  const completedKeys = tenantDayKeys(
    day,
    sql`select distinct x.agent_id, coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id ${visitsOnDay}`,
  );
  const activityKeys = tenantDayKeys(
    day,
    sql`select distinct x.agent_id, coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id, x.survey_id ${visitsOnDay}`,
  );
  const completionKeys = tenantDayKeys(
    day,
    sql`select distinct x.agent_id, x.shop_id
      from visits x
      where x.tenant_id = t.id and x.status = 'completed' and x.shop_id is not null and ${onRebuiltDay("x.completed_at")}`,
  );
  await db.batch([
    ...clearTenantDay(db, day, ["visit_daily_rollups", "shop_visit_daily_rollups"]),
    db.execute(withKeys(SHOP_VISIT_CELLS_UPSERT, completionKeys)),
    ...clearTenantDay(db, day, [
      "visit_activity_daily_rollups",
      "visit_agent_daily_rollups",
      "visit_tenant_daily_rollups",
    ]),
    db.execute(withKeys(VISIT_CELLS_UPSERT, completedKeys)),
    ...activityRecompute(db, activityKeys),
  ]);
}

/** Nightly: rebuilds every tenant's visit rollups for its yesterday, correct even if events were lost. */
export async function rebuildYesterdayVisitRollups(rc: RollupContext, now: Date): Promise<{ rebuilt: true }> {
  await rebuildVisitRollupsOf(rc, tenantYesterday(now));
  return { rebuilt: true };
}

/** Every 15 minutes: rebuilds every tenant's visit rollups for its today (a lost event heals within the quarter). */
export async function rebuildTodayVisitRollups(rc: RollupContext, now: Date): Promise<{ rebuilt: true }> {
  await rebuildVisitRollupsOf(rc, tenantToday(now));
  return { rebuilt: true };
}
