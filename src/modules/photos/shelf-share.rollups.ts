import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { NO_SHOP, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";
import { payloadId, type RollupContext, tenantYesterday, withKeys } from "../../core/rollups";
import { SHELF_CELLS_DELETE, SHELF_CELLS_UPSERT } from "./shelf-share.rollups.sql.mjs";

/**
 * Shelf share per brand, shop and tenant-local day (shelf_share_daily_rollups): the queue applies
 * `shelf_quadrants.submitted`, the nightly cron rebuilds yesterday. The statements are the ones in
 * shelf-share.rollups.sql.mjs; this file only chooses which shop-days they recompute.
 */

const TZ = sql.raw(TENANT_TZ);
const NO_SHOP_KEY = sql.raw(NO_SHOP);

/** The shop-day of one photo's visit. */
function photoShopDayKey(tenantId: string, photoId: string): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TZ})::date as day, ${TZ} as tz,
      coalesce(v.shop_id, ${NO_SHOP_KEY}) as shop_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = ${tenantId} and p.id = ${photoId}`;
}

/** `shelf_quadrants.submitted`: recompute the photo's shop/day shelf share. One atomic round trip. */
export async function applyShelfQuadrantsSubmitted(event: DomainEvent, rc: RollupContext): Promise<void> {
  const { db } = rc;
  const key = photoShopDayKey(event.tenant_id, payloadId(event, "photo_id"));
  await db.batch([
    db.execute(withKeys(SHELF_CELLS_DELETE, key)),
    db.execute(withKeys(SHELF_CELLS_UPSERT, key)),
  ]);
}

/**
 * Nightly: rebuilds every tenant's shelf share rollups for its yesterday from the source rows
 * (old rows of that day deleted first). One atomic round trip; running it twice gives the same rows.
 */
export async function rebuildYesterdayShelfShareRollups(
  rc: RollupContext,
  now: Date,
): Promise<{ rebuilt: true }> {
  const { db } = rc;
  const day = tenantYesterday(now);
  const keys = sql`
    select t.id as tenant_id, d.day, ${TZ} as tz, c.*
    from tenants t
    cross join lateral (select ${day} as day) d
    cross join lateral (
      select distinct coalesce(x.shop_id, ${NO_SHOP_KEY}) as shop_id
      from visits x
      where x.tenant_id = t.id and ${sql.raw(onLocalDay("x.started_at", "d.day", TENANT_TZ))}
    ) c`;
  await db.batch([
    db.execute(
      sql`delete from shelf_share_daily_rollups r using tenants t where r.tenant_id = t.id and r.day = ${day}`,
    ),
    db.execute(withKeys(SHELF_CELLS_UPSERT, keys)),
  ]);
  return { rebuilt: true };
}
