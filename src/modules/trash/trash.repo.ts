import { getTableName, type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, auditRow, isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import type { AnyResource } from "../../core/resource/declaration";
import { auditValues, projection, tableSql, visible } from "../../core/resource/sql";
import type { TrashItemDto } from "./trash.schemas";

/**
 * The trash over every kit resource: soft-deleted rows of the tenant in the caller's data scope,
 * with who deleted them (the `<name>.delete` audit row, audit_logs_tenant_entity_idx) and when.
 */

function trashedRows(ctx: TenantContext, res: AnyResource): SQL {
  return sql`select ${res.name}::text as type, t.id, t.deleted_at, ${projection(res, "t")} as item,
      (select a.actor_id from audit_logs a
        where a.tenant_id = t.tenant_id and a.entity_type = ${res.name}::text and a.entity_id = t.id::text
          and a.action = ${`${res.name}.delete`}::text
        order by a.created_at desc limit 1) as deleted_by
    from ${tableSql(res)} t where ${visible(ctx, res, "t")} and t.deleted_at is not null`;
}

/** One page of the trash across `types`, newest deletion first, and the total: one query. */
export async function listTrash(
  ctx: TenantContext,
  types: readonly AnyResource[],
  page: number,
  pageSize: number,
): Promise<{ total: number; items: TrashItemDto[] }> {
  const union = sql.join(
    types.map((res) => trashedRows(ctx, res)),
    sql` union all `,
  );
  const result = await ctx.db.execute<{ total: number; items: TrashItemDto[] }>(sql`
    with trash as (${union})
    select (select count(*)::int from trash) as total,
      coalesce((select json_agg(json_build_object('type', p.type, 'id', p.id, 'deleted_at', ${isoSql(sql`p.deleted_at`)},
        'deleted_by', p.deleted_by, 'item', p.item) order by p.deleted_at desc, p.id desc)
      from (select * from trash order by deleted_at desc, id desc limit ${pageSize} offset ${(page - 1) * pageSize}) p),
      '[]'::json) as items`);
  const row = result.rows[0];
  return { total: row?.total ?? 0, items: row?.items ?? [] };
}

/**
 * Purges one trashed row (tenant, scope) for good, audited (`<name>.purge` with its last values)
 * in the same statement; false when there is no such row in the trash. A row other rows still
 * reference raises a foreign-key violation (the caller answers 409).
 */
export async function purgeRow(ctx: TenantContext, res: AnyResource, id: string): Promise<boolean> {
  const audit = auditRow(ctx, { action: `${res.name}.purge`, entityType: res.name, entityId: id });
  const result = await ctx.db.execute<{ purged: boolean }>(sql`
    with del as (
      delete from ${tableSql(res)} t
      where ${visible(ctx, res, "t")} and t.id = ${id}::uuid and t.deleted_at is not null
      returning t.*
    ),
    aud as (${auditInsertSelect(audit, { old: auditValues(res, "del"), new: sql`null::jsonb` }, sql`from del`)})
    select exists (select 1 from del) as purged`);
  return result.rows[0]?.purged === true;
}

/**
 * The nightly purge of one table: rows deleted longer ago than their tenant's
 * `trash_retention_days` (default 30), each with a `<name>.purge` audit row (no actor: the job).
 * Rows still referenced by live rows are kept (`keep`: a guard the caller adds after a refusal).
 */
export function expiredTrashPurge(res: AnyResource, now: Date, only?: string): SQL {
  const table = getTableName(res.table);
  return sql`
    with del as (
      delete from ${sql.identifier(table)} t using tenants tn
      where tn.id = t.tenant_id and t.deleted_at is not null
        and t.deleted_at < ${now.toISOString()}::timestamptz
          - make_interval(days => coalesce((tn.settings->>'trash_retention_days')::int, 30))
        ${only ? sql`and t.id = ${only}::uuid` : sql``}
      returning t.*
    ),
    aud as (
      insert into audit_logs (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values)
      select del.tenant_id, gen_random_uuid(), null, ${`${res.name}.purge`}::text, ${res.name}::text, del.id::text,
        ${auditValues(res, "del")}, null::jsonb
      from del
      returning 1
    )
    select del.id from del`;
}

/** The ids of one table's expired trash (the one-by-one fallback of the nightly purge). */
export function expiredTrashIds(res: AnyResource, now: Date): SQL {
  return sql`select t.id from ${tableSql(res)} t join tenants tn on tn.id = t.tenant_id
    where t.deleted_at is not null and t.deleted_at < ${now.toISOString()}::timestamptz
      - make_interval(days => coalesce((tn.settings->>'trash_retention_days')::int, 30))`;
}
