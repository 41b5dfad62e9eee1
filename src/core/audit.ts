import type { auditLogs } from "../db/schema";
import type { TenantContext } from "./context";
import { uuidv7 } from "./ids";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  oldValues?: Record<string, unknown> | null;
  newValues?: Record<string, unknown> | null;
}

/** The audit row for a mutation, to be inserted in the same batch as the change. */
export function auditRow(ctx: TenantContext, entry: AuditEntry): typeof auditLogs.$inferInsert {
  return {
    tenantId: ctx.tenantId,
    id: uuidv7(),
    actorId: ctx.userId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    oldValues: entry.oldValues ?? null,
    newValues: entry.newValues ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  };
}
