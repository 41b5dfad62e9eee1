import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import { contacts } from "./crm";
import { DEAL_STAGES, DEAL_STATUSES } from "./enums";

/**
 * The deals pipeline (seed 004): deals on a contact, moving qualification → proposal →
 * negotiation → closed, with an append-only activity log (every stage or status change, written
 * in the same statement as the change, and comments), and tasks. Deals and tasks are kit tables,
 * owned by `created_by` and `owner_id` / `assignee_id`.
 */

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const deals = pgTable(
  "deals",
  {
    ...tenantKey(),
    title: text("title").notNull(),
    amount: numeric("amount", { precision: 14, scale: 2, mode: "number" }).notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    contactId: uuid("contact_id"),
    stage: text("stage", { enum: DEAL_STAGES }).notNull().default("qualification"),
    status: text("status", { enum: DEAL_STATUSES }).notNull().default("open"),
    ownerId: uuid("owner_id").notNull(),
    expectedCloseDate: date("expected_close_date"),
    /** Stamped when the status becomes won or lost, cleared on reopening (the won-amount figures). */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("deals_contact_fk", [t.tenantId, t.contactId], contacts),
    check("deals_stage_check", sql`${t.stage} in (${inList(DEAL_STAGES)})`),
    check("deals_status_check", sql`${t.status} in (${inList(DEAL_STATUSES)})`),
    check("deals_amount_check", sql`${t.amount} >= 0`),
    check("deals_closed_check", sql`(${t.status} = 'open') = (${t.stage} <> 'closed')`),
    index("deals_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("deals_tenant_owner_idx").on(t.tenantId, t.ownerId, t.createdAt),
    index("deals_tenant_created_by_idx").on(t.tenantId, t.createdBy),
    index("deals_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    index("deals_tenant_contact_open_idx")
      .on(t.tenantId, t.contactId)
      .where(sql`${t.deletedAt} is null and ${t.status} = 'open'`),
    index("deals_tenant_owner_won_idx")
      .on(t.tenantId, t.ownerId, t.closedAt)
      .where(sql`${t.status} = 'won' and ${t.deletedAt} is null`),
    index("deals_tenant_close_date_idx").on(t.tenantId, t.expectedCloseDate),
    index("deals_tenant_deleted_idx").on(t.tenantId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

/**
 * What happened to a deal, append-only: `change` rows (who, from and to stage and status, when),
 * written by the statement that changes the deal, and `comment` rows. A trigger refuses UPDATE.
 */
export const dealActivities = pgTable(
  "deal_activities",
  {
    ...tenantKey(),
    dealId: uuid("deal_id").notNull(),
    kind: text("kind", { enum: ["change", "comment"] }).notNull(),
    actorId: uuid("actor_id"),
    fromStage: text("from_stage"),
    toStage: text("to_stage"),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    body: text("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("deal_activities_deal_fk", [t.tenantId, t.dealId], deals).onDelete("cascade"),
    check("deal_activities_kind_check", sql`${t.kind} in ('change', 'comment')`),
    index("deal_activities_tenant_deal_idx").on(t.tenantId, t.dealId, t.createdAt, t.id),
  ],
);

export const tasks = pgTable(
  "tasks",
  {
    ...tenantKey(),
    title: text("title").notNull(),
    description: text("description"),
    dueDate: date("due_date"),
    dealId: uuid("deal_id"),
    contactId: uuid("contact_id"),
    assigneeId: uuid("assignee_id"),
    done: boolean("done").notNull().default(false),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("tasks_deal_fk", [t.tenantId, t.dealId], deals),
    tenantFk("tasks_contact_fk", [t.tenantId, t.contactId], contacts),
    index("tasks_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("tasks_tenant_assignee_idx").on(t.tenantId, t.assigneeId, t.dueDate),
    index("tasks_tenant_created_by_idx").on(t.tenantId, t.createdBy),
    index("tasks_tenant_due_idx").on(t.tenantId, t.dueDate).where(sql`${t.done} = false`),
    index("tasks_tenant_deal_idx").on(t.tenantId, t.dealId),
    index("tasks_tenant_contact_idx").on(t.tenantId, t.contactId),
    index("tasks_tenant_deleted_idx").on(t.tenantId, t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

/**
 * Deal rollups, per tenant-local day of the deal's creation and owner (derived: the queue
 * recomputes whole cells from source rows, src/modules/deals/deals.rollups.ts): deals and amount
 * per status and current stage (the summary, the funnel's "currently in").
 */
export const dealDailyRollups = pgTable(
  "deal_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    ownerId: uuid("owner_id").notNull(),
    status: text("status").notNull(),
    stage: text("stage").notNull(),
    deals: integer("deals").notNull(),
    amount: numeric("amount", { precision: 18, scale: 2, mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.ownerId, t.status, t.stage] }),
    // An owner's cells over a range of days (a member's scope, the owner filter, the day totals).
    index("deal_daily_rollups_tenant_owner_day_idx").on(t.tenantId, t.ownerId, t.day),
  ],
);

/**
 * Per stage, for the deals created on the day by the owner: how many reached it, and their
 * finished stays in it (count and seconds) — the funnel's reach, conversion and days in stage.
 */
export const dealStageDailyRollups = pgTable(
  "deal_stage_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    ownerId: uuid("owner_id").notNull(),
    stage: text("stage").notNull(),
    reached: integer("reached").notNull(),
    stays: integer("stays").notNull(),
    staySeconds: numeric("stay_seconds", { precision: 18, scale: 0, mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.ownerId, t.stage] }),
    // An owner's cells over a range of days (a member's scope, the owner filter, the day totals).
    index("deal_stage_daily_rollups_tenant_owner_day_idx").on(t.tenantId, t.ownerId, t.day),
  ],
);

/** Won deals per tenant-local day of closing and owner: the summary's won this month / quarter. */
export const dealWonDailyRollups = pgTable(
  "deal_won_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    ownerId: uuid("owner_id").notNull(),
    deals: integer("deals").notNull(),
    amount: numeric("amount", { precision: 18, scale: 2, mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.ownerId] }),
    // An owner's cells over a range of days (a member's scope, the owner filter, the day totals).
    index("deal_won_daily_rollups_tenant_owner_day_idx").on(t.tenantId, t.ownerId, t.day),
  ],
);
