import { sql } from "drizzle-orm";
import {
  date,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
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

/*
 * The coarse cells the reports read (kept from the day cells above by crm.rollups.ts: every change
 * of a day cell adds its difference here, in the same transaction). A cell is per `member` — the
 * zero uuid for the whole tenant, else one member, counting the records they created or are
 * assigned (once when both) — and per `grain`: 0 all time (`period` is -infinity), 1 a month
 * (`period` its first day), 2 a day. A report over a range reads the whole months in it and the
 * days of its partial edge months. A cell may hold zeros (until the nightly rebuild drops it).
 */
const cellKey = {
  tenantId: uuid("tenant_id").notNull(),
  member: uuid("member").notNull(),
  grain: smallint("grain").notNull(),
  period: date("period").notNull(),
};

/** Leads per member, period, status and source. */
export const crmLeadCells = pgTable(
  "crm_lead_cells",
  {
    ...cellKey,
    status: text("status").notNull(),
    source: text("source").notNull(),
    leads: integer("leads").notNull(),
    timedConversions: integer("timed_conversions").notNull(),
    /** Exact (numeric), so that adding and taking away a day cell's days leaves no drift. */
    conversionDays: numeric("conversion_days", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.member, t.grain, t.period, t.status, t.source] })],
);

/** Clients per member, period and status. */
export const crmClientCells = pgTable(
  "crm_client_cells",
  {
    ...cellKey,
    status: text("status").notNull(),
    clients: integer("clients").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.member, t.grain, t.period, t.status] })],
);

/** Projects per member, period, status and forecast month. */
export const crmProjectCells = pgTable(
  "crm_project_cells",
  {
    ...cellKey,
    status: text("status").notNull(),
    month: text("month").notNull(),
    projects: integer("projects").notNull(),
    valued: integer("valued").notNull(),
    valueSum: numeric("value_sum", { precision: 18, scale: 2, mode: "number" }).notNull(),
    timed: integer("timed").notNull(),
    durationDays: integer("duration_days").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.member, t.grain, t.period, t.status, t.month] })],
);

/** Interactions per member, period and the current status of their client. */
export const crmInteractionCells = pgTable(
  "crm_interaction_cells",
  {
    ...cellKey,
    clientStatus: text("client_status").notNull(),
    interactions: integer("interactions").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.member, t.grain, t.period, t.clientStatus] })],
);

/**
 * Per member and period (grains as above): the leads assigned to them (and of those, converted),
 * the clients assigned to them, the interactions and projects they created.
 */
export const crmMemberCells = pgTable(
  "crm_member_cells",
  {
    tenantId: uuid("tenant_id").notNull(),
    userId: uuid("user_id").notNull(),
    grain: smallint("grain").notNull(),
    period: date("period").notNull(),
    assignedLeads: integer("assigned_leads").notNull(),
    assignedConverted: integer("assigned_converted").notNull(),
    assignedClients: integer("assigned_clients").notNull(),
    interactionsCreated: integer("interactions_created").notNull(),
    projectsCreated: integer("projects_created").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.grain, t.period, t.userId] }),
    // The all-time cells with every counter in the key: conversion-rate's by_user and
    // user-activity read a tenant's members from this index alone (an index-only scan) instead of
    // one heap page per member (the cells are upserted four times a rebuild, so they scatter).
    index("crm_member_cells_all_time_idx")
      .on(
        t.tenantId,
        t.grain,
        t.userId,
        t.assignedLeads,
        t.assignedConverted,
        t.assignedClients,
        t.interactionsCreated,
        t.projectsCreated,
      )
      .where(sql`${t.grain} = 0`),
  ],
);

/**
 * All-time project value per client (the whole tenant), kept the same way: revenue-by-client's top
 * clients are the first rows of the `(tenant_id, total_value desc)` index.
 */
export const crmClientRevenue = pgTable(
  "crm_client_revenue",
  {
    tenantId: uuid("tenant_id").notNull(),
    clientId: uuid("client_id").notNull(),
    totalProjects: integer("total_projects").notNull(),
    totalValue: numeric("total_value", { precision: 18, scale: 2, mode: "number" }).notNull(),
    wonValue: numeric("won_value", { precision: 18, scale: 2, mode: "number" }).notNull(),
    pendingValue: numeric("pending_value", { precision: 18, scale: 2, mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.clientId] }),
    index("crm_client_revenue_tenant_value_idx").on(t.tenantId, t.totalValue.desc(), t.clientId),
  ],
);
