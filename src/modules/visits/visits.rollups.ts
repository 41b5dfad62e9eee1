import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { planCachedWrite } from "../../core/plan-cache";
import {
  clearTenantDay,
  dailyRebuilds,
  NO_SHOP_SQL,
  onRebuiltDay,
  payloadId,
  type RollupContext,
  recomputeCells,
  TENANT_TZ_SQL,
  tenantDayKeys,
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

/** The first columns of a visit's cell key: its tenant, tenant-local start day and time zone. */
const START_DAY = sql`v.tenant_id, (v.started_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz`;

/** The cell key of one visit: its start day's columns, then `columns` of the visit `v`. */
function visitCell(tenantId: string, visitId: string, columns: SQL): SQL {
  return sql`
    select ${START_DAY}, ${columns}
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${tenantId} and v.id = ${visitId}`;
}

/**
 * The cell key of the visit `v` of one photo (the shelf share's cells and the visit's activity
 * cell): the visit's start day columns, then `columns` of `v`. None for an unknown photo.
 */
export function photoVisitCell(tenantId: string, photoId: string, columns: SQL): SQL {
  return sql`
    select ${START_DAY}, ${columns}
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = ${tenantId} and p.id = ${photoId}`;
}

/**
 * A rebuild's keys (`tenantDayKeys`): every tenant's distinct `columns` of the visits `x` it
 * started on its local `day`.
 */
export function visitsStartedOn(day: SQL, columns: SQL): SQL {
  return tenantDayKeys(
    day,
    sql`select distinct ${columns} from visits x where x.tenant_id = t.id and ${onRebuiltDay("x.started_at")}`,
  );
}

const AGENT_SHOP = sql`v.agent_id, coalesce(v.shop_id, ${NO_SHOP_SQL}) as shop_id`;
const AGENT_SHOP_SURVEY = sql`${AGENT_SHOP}, v.survey_id`;

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
    withKeys(VISIT_CELLS_UPSERT, visitCell(a.tenant, a.visit, AGENT_SHOP)),
    ...ACTIVITY.map((template) => withKeys(template, visitCell(a.tenant, a.visit, AGENT_SHOP_SURVEY))),
    withKeys(SHOP_VISIT_CELLS_UPSERT, completionKey(a.tenant, a.visit)),
  ],
);

/** `visit.started`: the visit's activity cell (and its sums). */
export const visitStartedRollups = planCachedWrite(
  "visit_started_rollups",
  { tenant: "uuid", visit: "uuid" },
  (a) => ACTIVITY.map((template) => withKeys(template, visitCell(a.tenant, a.visit, AGENT_SHOP_SURVEY))),
);

/** A photo event: the activity cell of the photo's visit (an unknown photo recomputes nothing). */
export const photoActivityRollups = planCachedWrite(
  "photo_activity_rollups",
  { tenant: "uuid", photo: "uuid" },
  (a) => ACTIVITY.map((template) => withKeys(template, photoVisitCell(a.tenant, a.photo, AGENT_SHOP_SURVEY))),
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
  const completedKeys = visitsStartedOn(day, sql`x.agent_id, coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id`);
  const activityKeys = visitsStartedOn(
    day,
    sql`x.agent_id, coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id, x.survey_id`,
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

/**
 * The crons: every tenant's visit rollups of its yesterday (nightly, correct even if events were
 * lost) and of its today (every 15 minutes, a lost event heals within the quarter).
 */
export const { yesterday: rebuildYesterdayVisitRollups, today: rebuildTodayVisitRollups } =
  dailyRebuilds(rebuildVisitRollupsOf);
