import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { NO_SHOP, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";
import { payloadId, type RollupContext, tenantYesterday, withKeys } from "../../core/rollups";
import { VISIT_CELLS_UPSERT } from "./visits.rollups.sql.mjs";

/**
 * Completed visits per agent, shop and tenant-local day (visit_daily_rollups): the queue applies
 * `visit.completed`, the nightly cron rebuilds yesterday. The statement is the one in
 * visits.rollups.sql.mjs; this file only chooses which cells it recomputes.
 */

const TZ = sql.raw(TENANT_TZ);
const NO_SHOP_KEY = sql.raw(NO_SHOP);

/** The rollup cell of one visit. */
function visitKey(tenantId: string, visitId: string): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TZ})::date as day, ${TZ} as tz, v.agent_id,
      coalesce(v.shop_id, ${NO_SHOP_KEY}) as shop_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${tenantId} and v.id = ${visitId}`;
}

/** `visit.completed`: recompute the visit's agent/shop/day cell. One round trip. */
export async function applyVisitCompleted(event: DomainEvent, rc: RollupContext): Promise<void> {
  await rc.db.execute(withKeys(VISIT_CELLS_UPSERT, visitKey(event.tenant_id, payloadId(event, "visit_id"))));
}

/**
 * Nightly: rebuilds every tenant's visit rollups for its yesterday from the source rows, correct
 * even if events were lost. The day's old cells are deleted first, so a visit that moved (or
 * vanished) leaves nothing behind. One atomic round trip; running it twice gives the same rows.
 */
export async function rebuildYesterdayVisitRollups(rc: RollupContext, now: Date): Promise<{ rebuilt: true }> {
  const { db } = rc;
  const day = tenantYesterday(now);
  const keys = sql`
    select t.id as tenant_id, d.day, ${TZ} as tz, c.*
    from tenants t
    cross join lateral (select ${day} as day) d
    cross join lateral (
      select distinct x.agent_id, coalesce(x.shop_id, ${NO_SHOP_KEY}) as shop_id
      from visits x
      where x.tenant_id = t.id and ${sql.raw(onLocalDay("x.started_at", "d.day", TENANT_TZ))}
    ) c`;
  await db.batch([
    db.execute(
      sql`delete from visit_daily_rollups r using tenants t where r.tenant_id = t.id and r.day = ${day}`,
    ),
    db.execute(withKeys(VISIT_CELLS_UPSERT, keys)),
  ]);
  return { rebuilt: true };
}
