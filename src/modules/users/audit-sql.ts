import { type SQL, sql } from "drizzle-orm";
import type { auditLogs } from "../../db/schema";

/**
 * `INSERT INTO audit_logs … SELECT … <from>`: the audit row of a write expressed inside the same
 * statement as the write, so it is inserted only when `from` yields the changed row (a refused or
 * stale write leaves no audit trace) and `oldValues` can be read from the row as it was.
 */
export function auditInsertSelect(
  audit: typeof auditLogs.$inferInsert,
  values: { old: SQL; new: SQL },
  from: SQL,
): SQL {
  return sql`insert into audit_logs
      (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values, ip, user_agent, request_id)
    select ${audit.tenantId}, ${audit.id}, ${audit.actorId ?? null}, ${audit.action}, ${audit.entityType},
      ${audit.entityId ?? null}, ${values.old}, ${values.new}, ${audit.ip ?? null}::inet, ${audit.userAgent ?? null},
      ${audit.requestId ?? null}
    ${from}
    returning 1`;
}

/** A JSON value as a jsonb parameter. */
export function jsonb(value: unknown): SQL {
  return sql`${JSON.stringify(value ?? null)}::jsonb`;
}

/** `to_char` of a timestamptz as RFC 3339 UTC with milliseconds, whatever the session time zone. */
export function isoSql(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
