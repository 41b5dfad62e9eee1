import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { planCachedWrite } from "../../core/plan-cache";
import { TENANT_TZ } from "../../core/rollup-sql.mjs";
import { payloadId, type RollupContext, recomputeCells, tenantYesterday, withKeys } from "../../core/rollups";
import {
  CALL_OUTCOME_CELLS_DELETE,
  CALL_OUTCOME_CELLS_INSERT,
  CALL_OUTCOME_TENANT_DAY_UPSERT,
} from "./call-cycles.rollups.sql.mjs";

/**
 * Call outcomes per tenant-local past day (call_outcome_daily_rollups and its tenant-day sums),
 * what the overview's adherence reads for the days before the tenant's yesterday. "As planned on
 * the day": the nightly cron freezes every tenant's yesterday from the plan as it stands then, and
 * a completion that arrives late for a past day recomputes that day; a plan edit rewrites no
 * past day. Every write recomputes whole days from the source (the statements in
 * call-cycles.rollups.sql.mjs), so a redelivered event or a second run changes nothing.
 */

const TZ = sql.raw(TENANT_TZ);

/** The statements that recompute the call outcomes of the days `keys(tenant_id, day)`, in order. */
const RECOMPUTE = [
  CALL_OUTCOME_CELLS_DELETE,
  CALL_OUTCOME_CELLS_INSERT,
  CALL_OUTCOME_TENANT_DAY_UPSERT,
] as const;

/** Recomputes the call outcomes of the days `keys(tenant_id, day)`: one atomic round trip. */
async function recomputeDays(rc: RollupContext, keys: SQL): Promise<void> {
  await rc.db.batch(recomputeCells(rc.db, keys, RECOMPUTE));
}

/**
 * A visit's completion day, when it is a past local day (an offline visit synced late): a
 * plan-cached function (core/plan-cache.ts) — the queue runs it for every completion, and
 * planning its statements took longer than running them, which for today's completions is nothing.
 */
export const callOutcomesOnCompletion = planCachedWrite(
  "call_outcomes_on_completion",
  { tenant: "uuid", visit: "uuid" },
  (a) => {
    const keys = sql`
      select v.tenant_id, (v.completed_at at time zone ${TZ})::date as day
      from visits v join tenants t on t.id = v.tenant_id
      where v.tenant_id = ${a.tenant} and v.id = ${a.visit}
        and v.shop_id is not null and v.completed_at is not null
        and (v.completed_at at time zone ${TZ})::date < (now() at time zone ${TZ})::date`;
    return RECOMPUTE.map((template) => withKeys(template, keys));
  },
);

/**
 * `visit.completed` (after the visit rollups have applied it): a completion on a past local day
 * (an offline visit synced late) recomputes that day's call outcomes; one on today changes none
 * (today is read live). One round trip.
 */
export async function applyVisitCompletedToCallOutcomes(
  event: DomainEvent,
  rc: RollupContext,
): Promise<void> {
  await rc.db.execute(
    callOutcomesOnCompletion.call({ tenant: event.tenant_id, visit: payloadId(event, "visit_id") }),
  );
}

/** Nightly (after the visit rollups' rebuild): freezes every tenant's yesterday. */
export async function freezeYesterdayCallOutcomes(rc: RollupContext, now: Date): Promise<{ frozen: true }> {
  await recomputeDays(rc, sql`select t.id as tenant_id, ${tenantYesterday(now)} as day from tenants t`);
  return { frozen: true };
}
