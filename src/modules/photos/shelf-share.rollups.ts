import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
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
  BRAND_SHELF_CELLS_DELETE,
  BRAND_SHELF_CELLS_UPSERT,
  BRAND_SHELF_TENANT_DAY_REFRESH,
  SHELF_CELLS_DELETE,
  SHELF_CELLS_UPSERT,
} from "./shelf-share.rollups.sql.mjs";

/**
 * Shelf share per tenant-local day: per brand and shop (shelf_share_daily_rollups) and per brand,
 * agent and shop with area weights (brand_shelf_daily_rollups, what analytics reads). The queue
 * applies `shelf_quadrants.submitted`, the `*\/15` cron rebuilds today and the nightly cron
 * yesterday. The statements are the ones in shelf-share.rollups.sql.mjs; this file only chooses
 * which cells they recompute.
 */

/** The shop-day (with `withAgent`, the agent-shop-day) of one photo's visit. */
function photoCellKey(tenantId: string, photoId: string, withAgent: boolean): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz,
      ${withAgent ? sql`v.agent_id,` : sql``} coalesce(v.shop_id, ${NO_SHOP_SQL}) as shop_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = ${tenantId} and p.id = ${photoId}`;
}

/** `shelf_quadrants.submitted`: recompute the photo's shelf share cells. One atomic round trip. */
export async function applyShelfQuadrantsSubmitted(event: DomainEvent, rc: RollupContext): Promise<void> {
  const { db } = rc;
  const photoId = payloadId(event, "photo_id");
  const key = photoCellKey(event.tenant_id, photoId, false);
  const agentKey = photoCellKey(event.tenant_id, photoId, true);
  await db.batch([
    ...recomputeCells(db, key, [SHELF_CELLS_DELETE, SHELF_CELLS_UPSERT]),
    ...recomputeCells(db, agentKey, [
      BRAND_SHELF_CELLS_DELETE,
      BRAND_SHELF_CELLS_UPSERT,
      BRAND_SHELF_TENANT_DAY_REFRESH,
    ]),
  ]);
}

/**
 * Rebuilds every tenant's shelf share rollups of its local `day` from the source rows (old rows
 * of that day deleted first). One atomic round trip; running it twice gives the same rows.
 */
async function rebuildShelfShareRollupsOf(rc: RollupContext, day: SQL): Promise<void> {
  const { db } = rc;
  const onDay = onRebuiltDay("x.started_at");
  const keys = (columns: SQL) =>
    tenantDayKeys(day, sql`select distinct ${columns} from visits x where x.tenant_id = t.id and ${onDay}`);
  await db.batch([
    ...clearTenantDay(db, day, [
      "shelf_share_daily_rollups",
      "brand_shelf_daily_rollups",
      "brand_shelf_tenant_daily_rollups",
    ]),
    db.execute(withKeys(SHELF_CELLS_UPSERT, keys(sql`coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id`))),
    db.execute(
      withKeys(
        BRAND_SHELF_CELLS_UPSERT,
        keys(sql`x.agent_id, coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id`),
      ),
    ),
    db.execute(withKeys(BRAND_SHELF_TENANT_DAY_REFRESH, keys(sql`x.agent_id`))),
  ]);
}

/** Nightly: rebuilds every tenant's shelf share rollups for its yesterday. */
export async function rebuildYesterdayShelfShareRollups(
  rc: RollupContext,
  now: Date,
): Promise<{ rebuilt: true }> {
  await rebuildShelfShareRollupsOf(rc, tenantYesterday(now));
  return { rebuilt: true };
}

/** Every 15 minutes: rebuilds every tenant's shelf share rollups for its today. */
export async function rebuildTodayShelfShareRollups(
  rc: RollupContext,
  now: Date,
): Promise<{ rebuilt: true }> {
  await rebuildShelfShareRollupsOf(rc, tenantToday(now));
  return { rebuilt: true };
}
