import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";

/**
 * Audit reads. Newest first by (created_at desc, id desc); keyset paging compares against the last
 * row seen. The predicates are written so the indexes serve them: `tenant_id = $t` and
 * `created_at <= $cursor` as the range of `audit_logs_tenant_created_idx` (or of
 * `audit_logs_tenant_actor_idx` with an actor, `audit_logs_tenant_entity_idx` with an entity), and
 * `system_audit_created_idx` for platform events.
 */

export interface AuditRecord {
  id: string;
  source: "tenant" | "system";
  tenant_id: string | null;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  old_values: Record<string, unknown> | null;
  new_values: Record<string, unknown> | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: string;
  /** created_at with microseconds: the keyset position of this row. */
  position: string;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Rows strictly after this position in the (created_at desc, id desc) order. */
  after?: { createdAt: string; id: string };
  limit: number;
  offset: number;
  includeSystem: boolean;
  includeTotal: boolean;
}

function conditions(filter: AuditFilter, withKeyset: boolean): SQL[] {
  const where: SQL[] = [];
  if (filter.entityType !== undefined) where.push(sql`a.entity_type = ${filter.entityType}::text`);
  if (filter.entityId !== undefined) where.push(sql`a.entity_id = ${filter.entityId}::text`);
  if (filter.actorId !== undefined) where.push(sql`a.actor_id = ${filter.actorId}::uuid`);
  if (filter.action !== undefined) where.push(sql`a.action = ${filter.action}::text`);
  if (filter.from !== undefined) where.push(sql`a.created_at >= ${filter.from}::timestamptz`);
  if (filter.to !== undefined) where.push(sql`a.created_at <= ${filter.to}::timestamptz`);
  if (withKeyset && filter.after) {
    const { createdAt, id } = filter.after;
    where.push(
      sql`a.created_at <= ${createdAt}::timestamptz`,
      sql`(a.created_at < ${createdAt}::timestamptz or a.id < ${id}::uuid)`,
    );
  }
  return where;
}

function scoped(
  table: "audit_logs" | "system_audit",
  tenantId: string,
  filter: AuditFilter,
  keyset: boolean,
) {
  const where = conditions(filter, keyset);
  if (table === "audit_logs") where.unshift(sql`a.tenant_id = ${tenantId}::uuid`);
  return where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
}

function branch(table: "audit_logs" | "system_audit", tenantId: string, filter: AuditFilter, limit: number) {
  const source = table === "audit_logs" ? "tenant" : "system";
  return sql`select ${source}::text as source, a.id, a.tenant_id, a.actor_id, a.action, a.entity_type,
      a.entity_id, a.old_values, a.new_values, host(a.ip) as ip, a.user_agent, a.request_id, a.created_at
    from ${sql.raw(table)} a ${scoped(table, tenantId, filter, true)}
    order by a.created_at desc, a.id desc
    limit ${limit}`;
}

/**
 * The page query alone (newest first, `offset` then `limit` rows), for `listAudit` and for checking
 * its plans: with system events, each branch is limited on its own index before the merge.
 */
export function auditPageSql(tenantId: string, filter: AuditFilter): SQL {
  const reach = filter.offset + filter.limit;
  const union = filter.includeSystem
    ? sql`(${branch("audit_logs", tenantId, filter, reach)}) union all (${branch("system_audit", tenantId, filter, reach)})`
    : branch("audit_logs", tenantId, filter, reach);
  return sql`select * from (${union}) u
    order by u.created_at desc, u.id desc
    limit ${filter.limit} offset ${filter.offset}`;
}

/**
 * One page of the tenant's audit log (plus, when asked, the platform's system events merged in the
 * same order) and the total when asked: one round trip.
 */
export async function listAudit(
  db: Db,
  tenantId: string,
  filter: AuditFilter,
): Promise<{ total: number | null; items: AuditRecord[] }> {
  const count = (table: "audit_logs" | "system_audit") =>
    sql`(select count(*)::int from ${sql.raw(table)} a ${scoped(table, tenantId, filter, false)})`;
  const total = !filter.includeTotal
    ? sql`null::int`
    : filter.includeSystem
      ? sql`${count("audit_logs")} + ${count("system_audit")}`
      : count("audit_logs");
  const result = await db.execute<{ total: number | null; items: AuditRecord[] }>(sql`
    with page as (${auditPageSql(tenantId, filter)})
    select ${total} as total,
      coalesce((
        select json_agg(json_build_object(
          'id', p.id, 'source', p.source, 'tenant_id', p.tenant_id, 'actor_id', p.actor_id,
          'action', p.action, 'entity_type', p.entity_type, 'entity_id', p.entity_id,
          'old_values', p.old_values, 'new_values', p.new_values, 'ip', p.ip,
          'user_agent', p.user_agent, 'request_id', p.request_id,
          'created_at', to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'position', to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        ) order by p.created_at desc, p.id desc)
        from page p
      ), '[]'::json) as items`);
  const row = result.rows[0];
  return { total: row?.total ?? null, items: row?.items ?? [] };
}
