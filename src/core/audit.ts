import { type SQL, sql } from "drizzle-orm";
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

/** An audit row ready to insert. */
export type AuditInsert = typeof auditLogs.$inferInsert;

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

/**
 * `INSERT INTO audit_logs … SELECT … <from>`: the audit row of a write expressed inside the same
 * statement as the write, so it exists only when `from` yields the changed row (a refused or
 * stale write leaves no trace) and old values can be read from the row as it was. `action` and
 * `entityId` may be SQL expressions (e.g. "added" or "updated", or the id of the row an upsert
 * hit, decided by the statement itself).
 */
export function auditInsertSelect(
  audit: typeof auditLogs.$inferInsert,
  values: { old: SQL; new: SQL; action?: SQL; entityId?: SQL },
  from: SQL,
): SQL {
  return sql`insert into audit_logs
      (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values, ip, user_agent, request_id)
    select ${audit.tenantId}::uuid, ${audit.id}::uuid, ${audit.actorId ?? null}::uuid,
      ${values.action ?? sql`${audit.action}::text`}, ${audit.entityType}::text,
      ${values.entityId ?? sql`${audit.entityId ?? null}::text`},
      ${values.old}, ${values.new}, ${audit.ip ?? null}::inet, ${audit.userAgent ?? null}::text,
      ${audit.requestId ?? null}::text
    ${from}
    returning 1`;
}

/** A JSON value as a jsonb parameter. */
export function jsonb(value: unknown): SQL {
  return sql`${JSON.stringify(value ?? null)}::jsonb`;
}

/** A timestamptz as RFC 3339 UTC text with milliseconds, whatever the session time zone. */
export function isoSql(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
