// @ts-check
import { KEYS, NO_SHOP, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * Shelf-share rollup SQL as plain statement text, the one copy: src/modules/photos/
 * shelf-share.rollups.ts runs it from the queue and the nightly cron, scripts/bench/seed.mjs runs
 * it to fill the benchmark dataset's rollups. A photo's day and shop are those of its visit
 * (templates with one KEYS hole, see src/core/rollup-sql.mjs).
 */

/**
 * Recomputes the shelf share rows of the shop-days `k(tenant_id, day, tz, shop_id)` (the KEYS
 * query): per brand, the sum of its share over the shelf photos of that shop-day, and how many
 * such photos there were (a brand absent from a photo contributes 0, so share_sum / photos is its
 * average share). Run after SHELF_CELLS_DELETE over the same keys, so a brand no longer marked
 * anywhere that day leaves no row behind.
 */
export const SHELF_CELLS_UPSERT = `
  with k as (${KEYS}),
  per_photo as (
    select k.tenant_id, k.day, k.shop_id, q.photo_id, q.brand_id, max(q.area_percentage) as share
    from k
    join visits x on x.tenant_id = k.tenant_id and coalesce(x.shop_id, ${NO_SHOP}) = k.shop_id
      and ${onLocalDay("x.started_at", "k.day", "k.tz")}
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

/** Deletes the shelf share rows of the shop-days `k(tenant_id, day, tz, shop_id)` (the KEYS query). */
export const SHELF_CELLS_DELETE = `
  with k as (${KEYS})
  delete from shelf_share_daily_rollups r using k
  where r.tenant_id = k.tenant_id and r.day = k.day and r.shop_id = k.shop_id`;

/**
 * KEYS for every shop-day (with `withAgent`, agent-shop-day) with a shelf-marked photo, in every
 * tenant (a full rebuild: the bench seed).
 * @param {boolean} withAgent
 */
const allShelfCells = (withAgent) => `
  select distinct x.tenant_id, (x.started_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz,
    ${withAgent ? "x.agent_id," : ""} coalesce(x.shop_id, ${NO_SHOP}) as shop_id
  from visits x join tenants t on t.id = x.tenant_id
  where exists (
    select 1 from photos p join shelf_quadrants q on q.tenant_id = p.tenant_id and q.photo_id = p.id
    where p.tenant_id = x.tenant_id and p.visit_id = x.id
  )`;
export const ALL_SHELF_SHOP_DAYS = allShelfCells(false);

/**
 * Recomputes the brand shelf rows of the agent-shop-days `k(tenant_id, day, tz, agent_id, shop_id)`
 * (the KEYS query): per brand, how many of the cell's shelf photos mark it and the sum of its
 * share × the photo's marked area (1 on rectangles stored before `marked_area` existed). Run
 * after BRAND_SHELF_CELLS_DELETE over the same keys.
 */
export const BRAND_SHELF_CELLS_UPSERT = `
  with k as (${KEYS}),
  per_photo as (
    select k.tenant_id, k.day, k.agent_id, k.shop_id, q.photo_id, q.brand_id,
      max(q.area_percentage) / 100 * coalesce(max(q.marked_area), 1) as brand_area
    from k
    join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
      and coalesce(x.shop_id, ${NO_SHOP}) = k.shop_id and ${onLocalDay("x.started_at", "k.day", "k.tz")}
    join photos p on p.tenant_id = x.tenant_id and p.visit_id = x.id
    join shelf_quadrants q on q.tenant_id = p.tenant_id and q.photo_id = p.id
    group by k.tenant_id, k.day, k.agent_id, k.shop_id, q.photo_id, q.brand_id
  )
  insert into brand_shelf_daily_rollups (tenant_id, day, agent_id, shop_id, brand_id, photos, brand_area)
  select tenant_id, day, agent_id, shop_id, brand_id, count(*)::int, sum(brand_area)
  from per_photo
  group by tenant_id, day, agent_id, shop_id, brand_id
  on conflict (tenant_id, day, agent_id, shop_id, brand_id) do update
    set photos = excluded.photos, brand_area = excluded.brand_area, updated_at = now()`;

/** Deletes the brand shelf rows of the agent-shop-days `k(tenant_id, day, tz, agent_id, shop_id)`. */
export const BRAND_SHELF_CELLS_DELETE = `
  with k as (${KEYS})
  delete from brand_shelf_daily_rollups r using k
  where r.tenant_id = k.tenant_id and r.day = k.day and r.agent_id = k.agent_id and r.shop_id = k.shop_id`;

export const ALL_BRAND_SHELF_CELLS = allShelfCells(true);

/**
 * Recomputes the tenant-day brand rows of the keys `k(tenant_id, day, …)` from
 * brand_shelf_daily_rollups: a brand no longer marked that day loses its row. Run after the
 * brand shelf cells of the same keys.
 */
export const BRAND_SHELF_TENANT_DAY_REFRESH = `
  with k as (select distinct k0.tenant_id, k0.day from (${KEYS}) k0),
  fresh as (
    select b.tenant_id, b.day, b.brand_id, sum(b.photos)::int as photos, sum(b.brand_area) as brand_area
    from k join brand_shelf_daily_rollups b on b.tenant_id = k.tenant_id and b.day = k.day
    group by b.tenant_id, b.day, b.brand_id
  ),
  gone as (
    delete from brand_shelf_tenant_daily_rollups r using k
    where r.tenant_id = k.tenant_id and r.day = k.day
      and not exists (select 1 from fresh f where f.tenant_id = r.tenant_id and f.day = r.day and f.brand_id = r.brand_id)
  )
  insert into brand_shelf_tenant_daily_rollups (tenant_id, day, brand_id, photos, brand_area)
  select tenant_id, day, brand_id, photos, brand_area from fresh
  on conflict (tenant_id, day, brand_id) do update
    set photos = excluded.photos, brand_area = excluded.brand_area, updated_at = now()`;
