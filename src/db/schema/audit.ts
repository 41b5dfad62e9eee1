import { sql } from "drizzle-orm";
import { index, inet, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantKey, tenantPk } from "./columns";

/**
 * One row per mutation, written in the same atomic batch as the change. `old_values` /
 * `new_values` hold the changed fields only (secrets never appear).
 */
export const auditLogs = pgTable(
  "audit_logs",
  {
    ...tenantKey(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    oldValues: jsonb("old_values"),
    newValues: jsonb("new_values"),
    ip: inet("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPk(t),
    index("audit_logs_tenant_created_idx").on(t.tenantId, sql`${t.createdAt} desc`),
    index("audit_logs_tenant_entity_idx").on(t.tenantId, t.entityType, t.entityId),
    index("audit_logs_tenant_actor_idx").on(t.tenantId, t.actorId, sql`${t.createdAt} desc`),
  ],
);

/**
 * Platform-level events that belong to no single tenant or cross tenants: tenant creation,
 * super-admin actions through X-Tenant-ID, password resets. Only super admins read it.
 */
export const systemAudit = pgTable(
  "system_audit",
  {
    id: uuid("id").primaryKey(),
    actorId: uuid("actor_id"),
    tenantId: uuid("tenant_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    oldValues: jsonb("old_values"),
    newValues: jsonb("new_values"),
    ip: inet("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("system_audit_created_idx").on(sql`${t.createdAt} desc`),
    index("system_audit_tenant_idx").on(t.tenantId, sql`${t.createdAt} desc`),
  ],
);
