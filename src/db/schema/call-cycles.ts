import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  pgTable,
  smallint,
  text,
  time,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { shops } from "./catalogue";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import { memberships, teams } from "./identity";

/** How often a location of a call cycle is due (src/modules/call-cycles/plan.ts expands them). */
export const CALL_FREQUENCIES = ["weekly", "every_n_weeks", "monthly"] as const;

/**
 * A call cycle (route plan): the shops an agent or team must call on, and how often, from
 * `start_date` to `end_date` (open-ended without one). `owner_id` is the agent or manager
 * responsible: the default assignee of its locations and, with `created_by`, the scope owner.
 */
export const callCycles = pgTable(
  "call_cycles",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    description: text("description"),
    ownerId: uuid("owner_id").notNull(),
    teamId: uuid("team_id"),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    isActive: boolean("is_active").notNull().default(true),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("call_cycles_owner_fk", [t.tenantId, t.ownerId], {
      tenantId: memberships.tenantId,
      id: memberships.userId,
    }),
    tenantFk("call_cycles_team_fk", [t.tenantId, t.teamId], teams),
    check("call_cycles_dates_check", sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    index("call_cycles_tenant_owner_idx").on(t.tenantId, t.ownerId),
    index("call_cycles_tenant_created_by_idx").on(t.tenantId, t.createdBy),
    index("call_cycles_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/**
 * A shop in a call cycle with its frequency: `weekly` on ISO weekdays (1 = Monday … 7 = Sunday),
 * `every_n_weeks` (`interval_weeks` 2–12, on weekdays, counted from the cycle's start week) or
 * `monthly` on `month_day` 1–31 (clamped to the month's last day); an optional local time window;
 * assigned to an agent or a team (neither: the cycle's owner). One live row per (cycle, shop).
 */
export const callCycleLocations = pgTable(
  "call_cycle_locations",
  {
    ...tenantKey(),
    callCycleId: uuid("call_cycle_id").notNull(),
    shopId: uuid("shop_id").notNull(),
    frequency: text("frequency", { enum: CALL_FREQUENCIES }).notNull(),
    weekdays: smallint("weekdays").array(),
    intervalWeeks: smallint("interval_weeks"),
    monthDay: smallint("month_day"),
    windowStart: time("window_start"),
    windowEnd: time("window_end"),
    agentId: uuid("agent_id"),
    teamId: uuid("team_id"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("call_cycle_locations_cycle_fk", [t.tenantId, t.callCycleId], callCycles).onDelete("cascade"),
    tenantFk("call_cycle_locations_shop_fk", [t.tenantId, t.shopId], shops),
    tenantFk("call_cycle_locations_agent_fk", [t.tenantId, t.agentId], {
      tenantId: memberships.tenantId,
      id: memberships.userId,
    }),
    tenantFk("call_cycle_locations_team_fk", [t.tenantId, t.teamId], teams),
    uniqueIndex("call_cycle_locations_cycle_shop_key")
      .on(t.tenantId, t.callCycleId, t.shopId)
      .where(sql`${t.deletedAt} is null`),
    // Every location of a cycle, deleted ones too (offline sync's tombstones): the probe by cycle
    // that the partial unique key above cannot serve.
    index("call_cycle_locations_tenant_cycle_idx").on(t.tenantId, t.callCycleId),
    index("call_cycle_locations_tenant_agent_idx").on(t.tenantId, t.agentId),
    index("call_cycle_locations_tenant_team_idx").on(t.tenantId, t.teamId),
    index("call_cycle_locations_tenant_shop_idx").on(t.tenantId, t.shopId),
    check(
      "call_cycle_locations_frequency_check",
      sql`(${t.frequency} = 'weekly' and ${t.weekdays} is not null and ${t.intervalWeeks} is null and ${t.monthDay} is null)
        or (${t.frequency} = 'every_n_weeks' and ${t.weekdays} is not null and ${t.intervalWeeks} between 2 and 12 and ${t.monthDay} is null)
        or (${t.frequency} = 'monthly' and ${t.weekdays} is null and ${t.intervalWeeks} is null and ${t.monthDay} between 1 and 31)`,
    ),
    check(
      "call_cycle_locations_window_check",
      sql`${t.windowStart} is null or ${t.windowEnd} is null or ${t.windowStart} < ${t.windowEnd}`,
    ),
    check("call_cycle_locations_assignee_check", sql`${t.agentId} is null or ${t.teamId} is null`),
  ],
);
