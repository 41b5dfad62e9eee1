import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import {
  clearTenantDay,
  dailyRebuilds,
  NO_SHOP_SQL,
  payloadId,
  type RollupContext,
  recomputeCells,
  withKeys,
} from "../../core/rollups";
import { photoVisitCell, visitsStartedOn } from "../visits";
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
  const shop = sql`coalesce(v.shop_id, ${NO_SHOP_SQL}) as shop_id`;
  return photoVisitCell(tenantId, photoId, withAgent ? sql`v.agent_id, ${shop}` : shop);
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
  await db.batch([
    ...clearTenantDay(db, day, [
      "shelf_share_daily_rollups",
      "brand_shelf_daily_rollups",
      "brand_shelf_tenant_daily_rollups",
    ]),
    db.execute(
      withKeys(SHELF_CELLS_UPSERT, visitsStartedOn(day, sql`coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id`)),
    ),
    db.execute(
      withKeys(
        BRAND_SHELF_CELLS_UPSERT,
        visitsStartedOn(day, sql`x.agent_id, coalesce(x.shop_id, ${NO_SHOP_SQL}) as shop_id`),
      ),
    ),
    db.execute(withKeys(BRAND_SHELF_TENANT_DAY_REFRESH, visitsStartedOn(day, sql`x.agent_id`))),
  ]);
}

/** The crons: every tenant's shelf share rollups of its yesterday (nightly) and of its today (every 15 minutes). */
export const { yesterday: rebuildYesterdayShelfShareRollups, today: rebuildTodayShelfShareRollups } =
  dailyRebuilds(rebuildShelfShareRollupsOf);
