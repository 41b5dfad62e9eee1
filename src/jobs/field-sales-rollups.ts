import { type SQL, sql } from "drizzle-orm";
import { NO_SHOP_ID } from "../db/schema";
import type { DomainEvent, EventHandlers } from "./events";
import type { JobContext } from "./job-context";

/**
 * Field-sales rollups (visits per agent/shop/day, shelf share per brand/shop/day), where "day" is
 * the tenant's local day of the visit's start. Every write RECOMPUTES the affected cells from the
 * source rows instead of incrementing them, so applying an event twice, out of order, or after
 * the nightly rebuild always leaves the same numbers.
 */

const TZ = sql`coalesce(nullif(t.settings->>'timezone', ''), 'UTC')`;
const NO_SHOP = sql`${NO_SHOP_ID}::uuid`;

/** Start and end (exclusive) of local day `day` in zone `tz`, as timestamptz. */
const dayStart = (day: SQL, tz: SQL) => sql`((${day})::timestamp at time zone ${tz})`;
const dayEnd = (day: SQL, tz: SQL) => sql`(((${day}) + 1)::timestamp at time zone ${tz})`;

/** Visit rollup rows for the cells in CTE `k(tenant_id, day, tz, agent_id, shop_id)`. */
function visitCellsInsert(keys: SQL): SQL {
  return sql`
    with k as (${keys})
    insert into visit_daily_rollups (tenant_id, day, agent_id, shop_id, visits, outside_geofence, duration_seconds)
    select k.tenant_id, k.day, k.agent_id, k.shop_id,
      count(x.id), count(x.id) filter (where x.outside_geofence),
      coalesce(sum(extract(epoch from x.completed_at - x.started_at)), 0)::bigint
    from k
    left join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
      and coalesce(x.shop_id, ${NO_SHOP}) = k.shop_id and x.status = 'completed'
      and x.started_at >= ${dayStart(sql`k.day`, sql`k.tz`)} and x.started_at < ${dayEnd(sql`k.day`, sql`k.tz`)}
    group by k.tenant_id, k.day, k.agent_id, k.shop_id
    on conflict (tenant_id, day, agent_id, shop_id) do update
      set visits = excluded.visits, outside_geofence = excluded.outside_geofence,
          duration_seconds = excluded.duration_seconds, updated_at = now()`;
}

/**
 * Shelf share rows for the shop-days in CTE `k(tenant_id, day, tz, shop_id)`: per brand, the sum of
 * its share over the shelf photos of that shop-day, and how many such photos there were (a brand
 * absent from a photo contributes 0, so share_sum / photos is its average share).
 */
function shelfCellsInsert(keys: SQL): SQL {
  return sql`
    with k as (${keys}),
    per_photo as (
      select k.tenant_id, k.day, k.shop_id, q.photo_id, q.brand_id, max(q.area_percentage) as share
      from k
      join visits x on x.tenant_id = k.tenant_id and coalesce(x.shop_id, ${NO_SHOP}) = k.shop_id
        and x.started_at >= ${dayStart(sql`k.day`, sql`k.tz`)} and x.started_at < ${dayEnd(sql`k.day`, sql`k.tz`)}
      join photos p on p.tenant_id = x.tenant_id and p.visit_id = x.id
      join shelf_quadrants q on q.tenant_id = p.tenant_id and q.photo_id = p.id
      group by k.tenant_id, k.day, k.shop_id, q.photo_id, q.brand_id
    ),
    counted as (
      select tenant_id, day, shop_id, count(distinct photo_id)::int as photos
      from per_photo group by tenant_id, day, shop_id
    )
    insert into shelf_share_daily_rollups (tenant_id, day, shop_id, brand_id, photos, share_sum)
    select pp.tenant_id, pp.day, pp.shop_id, pp.brand_id, c.photos, sum(pp.share)
    from per_photo pp join counted c using (tenant_id, day, shop_id)
    group by pp.tenant_id, pp.day, pp.shop_id, pp.brand_id, c.photos
    on conflict (tenant_id, day, shop_id, brand_id) do update
      set photos = excluded.photos, share_sum = excluded.share_sum, updated_at = now()`;
}

function shelfCellsDelete(keys: SQL): SQL {
  return sql`
    with k as (${keys})
    delete from shelf_share_daily_rollups r using k
    where r.tenant_id = k.tenant_id and r.day = k.day and r.shop_id = k.shop_id`;
}

/** The rollup cell of one visit. */
function visitKey(tenantId: string, visitId: string): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TZ})::date as day, ${TZ} as tz, v.agent_id,
      coalesce(v.shop_id, ${NO_SHOP}) as shop_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = ${tenantId} and v.id = ${visitId}`;
}

/** The shop-day of one photo's visit. */
function photoShopDayKey(tenantId: string, photoId: string): SQL {
  return sql`
    select v.tenant_id, (v.started_at at time zone ${TZ})::date as day, ${TZ} as tz,
      coalesce(v.shop_id, ${NO_SHOP}) as shop_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = ${tenantId} and p.id = ${photoId}`;
}

function payloadId(event: DomainEvent, field: string): string {
  const value = event.payload[field];
  if (typeof value !== "string" || !/^[0-9a-f-]{36}$/i.test(value)) {
    throw new Error(`${event.type} event without a valid ${field}`);
  }
  return value;
}

/** `visit.completed`: recompute the visit's agent/shop/day cell. One round trip. */
export async function onVisitCompleted(event: DomainEvent, jc: JobContext): Promise<void> {
  await jc.db.execute(visitCellsInsert(visitKey(event.tenant_id, payloadId(event, "visit_id"))));
}

/** `shelf_quadrants.submitted`: recompute the photo's shop/day shelf share. One atomic round trip. */
export async function onShelfQuadrantsSubmitted(event: DomainEvent, jc: JobContext): Promise<void> {
  const key = photoShopDayKey(event.tenant_id, payloadId(event, "photo_id"));
  await jc.db.batch([jc.db.execute(shelfCellsDelete(key)), jc.db.execute(shelfCellsInsert(key))]);
}

export const fieldSalesEventHandlers: EventHandlers = {
  "visit.completed": onVisitCompleted,
  "shelf_quadrants.submitted": onShelfQuadrantsSubmitted,
};

/** Every tenant's "yesterday" (in its own time zone) relative to `now`. */
function yesterdayKeys(now: Date, withAgents: boolean): SQL {
  const day = sql`((${now.toISOString()}::timestamptz at time zone ${TZ})::date - 1)`;
  const cells = withAgents
    ? sql`select distinct x.agent_id, coalesce(x.shop_id, ${NO_SHOP}) as shop_id`
    : sql`select distinct coalesce(x.shop_id, ${NO_SHOP}) as shop_id`;
  return sql`
    select t.id as tenant_id, ${day} as day, ${TZ} as tz, c.*
    from tenants t
    cross join lateral (${cells} from visits x
      where x.tenant_id = t.id and x.started_at >= ${dayStart(day, TZ)} and x.started_at < ${dayEnd(day, TZ)}) c`;
}

/**
 * Nightly: rebuilds every tenant's rollups for its yesterday from the source rows, correct even if
 * events were lost. Old cells of that day are deleted first, so a visit that moved (or vanished)
 * leaves nothing behind. One atomic round trip; running it twice gives the same rows.
 */
export async function rebuildYesterdayRollups(jc: JobContext, now: Date): Promise<{ rebuilt: true }> {
  const day = sql`((${now.toISOString()}::timestamptz at time zone ${TZ})::date - 1)`;
  const { db } = jc;
  await db.batch([
    db.execute(
      sql`delete from visit_daily_rollups r using tenants t where r.tenant_id = t.id and r.day = ${day}`,
    ),
    db.execute(visitCellsInsert(yesterdayKeys(now, true))),
    db.execute(
      sql`delete from shelf_share_daily_rollups r using tenants t where r.tenant_id = t.id and r.day = ${day}`,
    ),
    db.execute(shelfCellsInsert(yesterdayKeys(now, false))),
  ]);
  return { rebuilt: true };
}
