import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Completed visits per agent, shop and day (the tenant's local day). Derived: the queue consumer
 * recomputes the cells an event touches from source rows, and the nightly cron rebuilds yesterday
 * (src/modules/visits/visits.rollups.ts). Visits without a shop count under shop id NO_SHOP_ID
 * (src/core/rollup-sql.mjs): key columns cannot hold NULL.
 */
export const visitDailyRollups = pgTable(
  "visit_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    agentId: uuid("agent_id").notNull(),
    shopId: uuid("shop_id").notNull(),
    visits: integer("visits").notNull(),
    outsideGeofence: integer("outside_geofence").notNull(),
    durationSeconds: bigint("duration_seconds", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.agentId, t.shopId] }),
    index("visit_daily_rollups_tenant_agent_day_idx").on(t.tenantId, t.agentId, t.day),
    index("visit_daily_rollups_tenant_shop_day_idx").on(t.tenantId, t.shopId, t.day),
  ],
);

/** Shelf share per brand, shop and day: the sum of per-photo shares and the number of photos. */
export const shelfShareDailyRollups = pgTable(
  "shelf_share_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    shopId: uuid("shop_id").notNull(),
    brandId: uuid("brand_id").notNull(),
    photos: integer("photos").notNull(),
    shareSum: doublePrecision("share_sum").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.shopId, t.brandId] }),
    index("shelf_share_daily_rollups_tenant_brand_day_idx").on(t.tenantId, t.brandId, t.day),
  ],
);
