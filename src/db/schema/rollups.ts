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

/**
 * Visit activity per agent, shop, survey and tenant-local day (the day the visit started), the
 * one table analytics and the admin reports read: visits started and completed, geofence
 * exceptions (started visits flagged outside the geofence), the completed visits' duration and
 * answers (and how many of them have any answer), the visits' photos (registered rows) and, of those, the shelf-marked ones with their
 * marked area (the denominator of an area-weighted shelf share). Derived like the tables above:
 * every write recomputes whole cells from source rows (src/modules/visits/visits.rollups.ts).
 */
export const visitActivityDailyRollups = pgTable(
  "visit_activity_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    agentId: uuid("agent_id").notNull(),
    shopId: uuid("shop_id").notNull(),
    surveyId: uuid("survey_id").notNull(),
    started: integer("started").notNull(),
    completed: integer("completed").notNull(),
    outsideGeofence: integer("outside_geofence").notNull(),
    durationSeconds: bigint("duration_seconds", { mode: "number" }).notNull(),
    answers: integer("answers").notNull(),
    /** Completed visits with at least one answer (a survey actually filled in). */
    answered: integer("answered").notNull().default(0),
    photos: integer("photos").notNull(),
    shelfPhotos: integer("shelf_photos").notNull(),
    /** Sum over the shelf-marked photos of the marked (union) area, each a fraction of its photo. */
    shelfArea: doublePrecision("shelf_area").notNull(),
    /** Latest start, completion or photo registration among the cell's visits. */
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.agentId, t.shopId, t.surveyId] }),
    index("visit_activity_daily_rollups_tenant_agent_day_idx").on(t.tenantId, t.agentId, t.day),
    index("visit_activity_daily_rollups_tenant_survey_day_idx").on(t.tenantId, t.surveyId, t.day),
  ],
);

/**
 * Shelf area per brand, agent, shop and tenant-local day: `brand_area` sums, over the day's shelf
 * photos, the brand's share × the photo's marked area, so Σ brand_area / Σ shelf_area (above) is
 * the brand's share weighted by marked area (src/modules/photos/shelf-share.rollups.ts).
 */
export const brandShelfDailyRollups = pgTable(
  "brand_shelf_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    agentId: uuid("agent_id").notNull(),
    shopId: uuid("shop_id").notNull(),
    brandId: uuid("brand_id").notNull(),
    photos: integer("photos").notNull(),
    brandArea: doublePrecision("brand_area").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.agentId, t.shopId, t.brandId] }),
    index("brand_shelf_daily_rollups_tenant_agent_day_idx").on(t.tenantId, t.agentId, t.day),
  ],
);

/** The measures of visit_activity_daily_rollups, summed over coarser keys (the two tables below). */
const visitActivityMeasures = () => ({
  started: integer("started").notNull(),
  completed: integer("completed").notNull(),
  outsideGeofence: integer("outside_geofence").notNull(),
  durationSeconds: bigint("duration_seconds", { mode: "number" }).notNull(),
  answers: integer("answers").notNull(),
  /** Completed visits with at least one answer (goals' `surveys_completed`). */
  answered: integer("answered").notNull().default(0),
  photos: integer("photos").notNull(),
  shelfPhotos: integer("shelf_photos").notNull(),
  shelfArea: doublePrecision("shelf_area").notNull(),
  lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Visit activity per agent and tenant-local day: visit_activity_daily_rollups summed over shops
 * and surveys, recomputed from it whenever one of its cells is (same event, same batch), so a
 * scoped reader's figures cost one row per agent-day, not one per visit.
 */
export const visitAgentDailyRollups = pgTable(
  "visit_agent_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    agentId: uuid("agent_id").notNull(),
    ...visitActivityMeasures(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.agentId] }),
    index("visit_agent_daily_rollups_tenant_agent_day_idx").on(t.tenantId, t.agentId, t.day),
  ],
);

/** Visit activity per tenant-local day: visit_agent_daily_rollups summed over agents (tenant-wide readers). */
export const visitTenantDailyRollups = pgTable(
  "visit_tenant_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    ...visitActivityMeasures(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);

/** brand_shelf_daily_rollups summed over agents and shops: per brand and tenant-local day (tenant-wide readers). */
export const brandShelfTenantDailyRollups = pgTable(
  "brand_shelf_tenant_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    brandId: uuid("brand_id").notNull(),
    photos: integer("photos").notNull(),
    brandArea: doublePrecision("brand_area").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.brandId] })],
);

/**
 * Completed visits per agent and shop on the tenant-local day they were COMPLETED, with the
 * first completion's local wall-clock time: what call-cycle status, coverage and adherence
 * compare with a planned call (its shop, day, assignees and time window). Derived like the
 * tables above: every write recomputes whole cells from source rows
 * (src/modules/visits/visits.rollups.ts); visits without a shop are not counted here.
 */
export const shopVisitDailyRollups = pgTable(
  "shop_visit_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    agentId: uuid("agent_id").notNull(),
    shopId: uuid("shop_id").notNull(),
    completed: integer("completed").notNull(),
    /** The day's first completion as local time in the tenant's zone (null when `completed` is 0). */
    firstCompletedAt: timestamp("first_completed_at"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.agentId, t.shopId] }),
    index("shop_visit_daily_rollups_tenant_shop_day_idx").on(t.tenantId, t.shopId, t.day),
  ],
);

/**
 * Call outcomes per tenant-local PAST day (before the tenant's today), per group of the users the
 * data scope looks at: the cycle's owner and creator, the call's agent (the owner when the location
 * has neither agent nor team) and team (NO_SHOP_ID, src/core/rollup-sql.mjs, for none: key columns
 * cannot hold NULL). Frozen by the nightly cron for yesterday and recomputed for a past day by a
 * late completion (src/modules/call-cycles/call-cycles.rollups.ts): the plan as it stood then.
 */
export const callOutcomeDailyRollups = pgTable(
  "call_outcome_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    ownerId: uuid("owner_id").notNull(),
    createdBy: uuid("created_by").notNull(),
    agentId: uuid("agent_id").notNull(),
    teamId: uuid("team_id").notNull(),
    due: integer("due").notNull(),
    done: integer("done").notNull(),
    late: integer("late").notNull(),
    missed: integer("missed").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.ownerId, t.createdBy, t.agentId, t.teamId] }),
    // Every column a scoped reader needs, so a range of days is an index-only scan: the rows of
    // one tenant-day are written together, but a range of days reads one heap page per few rows.
    index("call_outcome_daily_rollups_tenant_day_cover_idx").on(
      t.tenantId,
      t.day,
      t.ownerId,
      t.createdBy,
      t.agentId,
      t.teamId,
      t.done,
      t.late,
      t.missed,
    ),
  ],
);

/** call_outcome_daily_rollups summed per tenant and day (a row, zeros included, per frozen day). */
export const callOutcomeTenantDailyRollups = pgTable(
  "call_outcome_tenant_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    due: integer("due").notNull(),
    done: integer("done").notNull(),
    late: integer("late").notNull(),
    missed: integer("missed").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);
