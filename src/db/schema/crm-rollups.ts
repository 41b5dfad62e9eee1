import {
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The CRM report rollups (seed 003 Part 2). Derived: every cell is recomputed from source rows by
 * src/modules/reports/crm.rollups.ts — per group `(tenant, created-at local day, creator)`, which
 * never changes for a row, so a status, owner or value change, a delete or a restore recomputes
 * exactly the group it lives in, and a redelivered event or a second cron run writes the same rows.
 * Key columns cannot hold NULL: no user / client is NONE_ID (the zero uuid), no status, source or
 * month is ''. Every primary key is led by tenant_id.
 */

/** Leads per creator, assignee, status and source, on the local day they were created. */
export const crmLeadRollups = pgTable(
  "crm_lead_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    createdBy: uuid("created_by").notNull(),
    assignedTo: uuid("assigned_to").notNull(),
    status: text("status").notNull(),
    source: text("source").notNull(),
    leads: integer("leads").notNull(),
    /** Converted leads with a `converted_at`, and the sum of their `converted_at − created_at` in days. */
    timedConversions: integer("timed_conversions").notNull(),
    conversionDays: doublePrecision("conversion_days").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.createdBy, t.assignedTo, t.status, t.source] }),
    index("crm_lead_rollups_tenant_assigned_idx").on(t.tenantId, t.assignedTo),
  ],
);

/** Clients per creator, assignee and status, on the local day they were created. */
export const crmClientRollups = pgTable(
  "crm_client_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    createdBy: uuid("created_by").notNull(),
    assignedTo: uuid("assigned_to").notNull(),
    status: text("status").notNull(),
    clients: integer("clients").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.createdBy, t.assignedTo, t.status] }),
    index("crm_client_rollups_tenant_assigned_idx").on(t.tenantId, t.assignedTo),
  ],
);

/**
 * Projects per creator, assignee, client, status and forecast month (the month of the end date, or
 * of the start without one; '' with neither), on the local day they were created.
 */
export const crmProjectRollups = pgTable(
  "crm_project_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    createdBy: uuid("created_by").notNull(),
    assignedTo: uuid("assigned_to").notNull(),
    clientId: uuid("client_id").notNull(),
    status: text("status").notNull(),
    month: text("month").notNull(),
    projects: integer("projects").notNull(),
    /** Projects with a value, and the sum of their values. */
    valued: integer("valued").notNull(),
    valueSum: numeric("value_sum", { precision: 18, scale: 2, mode: "number" }).notNull(),
    /** Projects with both dates, and the sum of `end_date − start_date` in days. */
    timed: integer("timed").notNull(),
    durationDays: integer("duration_days").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      columns: [t.tenantId, t.day, t.createdBy, t.assignedTo, t.clientId, t.status, t.month],
    }),
    index("crm_project_rollups_tenant_client_idx").on(t.tenantId, t.clientId),
    index("crm_project_rollups_tenant_creator_day_idx").on(t.tenantId, t.createdBy, t.day),
  ],
);

/**
 * Interactions per creator, assignee and the current status of their client ('' without one), on
 * the local day they were logged (created).
 */
export const crmInteractionRollups = pgTable(
  "crm_interaction_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    createdBy: uuid("created_by").notNull(),
    assignedTo: uuid("assigned_to").notNull(),
    clientStatus: text("client_status").notNull(),
    interactions: integer("interactions").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.createdBy, t.assignedTo, t.clientStatus] }),
    index("crm_interaction_rollups_tenant_creator_day_idx").on(t.tenantId, t.createdBy, t.day),
  ],
);
