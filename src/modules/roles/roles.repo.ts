import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, isoSql, jsonb } from "../../core/audit";
import type { DataScope } from "../../core/auth/permissions";
import type { TenantContext } from "../../core/context";
import { auditLogs, roles } from "../../db/schema";
import { grantableSql } from "./grantable";

/** A role row straight from SQL (timestamps already RFC 3339 text). */
export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  scope: DataScope;
  is_system: boolean;
  version: number;
  user_count: number;
  created_at: string;
  updated_at: string;
}

type AuditInsert = typeof auditLogs.$inferInsert;

/** The role columns of `r` plus how many members hold it (an indexed count in the same statement). */
function roleColumns(alias: string): SQL {
  const r = sql.raw(alias);
  return sql`${r}.id, ${r}.name, ${r}.description, ${r}.permissions, ${r}.scope, ${r}.is_system, ${r}.version,
    (select count(*)::int from user_roles dto_ur where dto_ur.tenant_id = ${r}.tenant_id and dto_ur.role_id = ${r}.id) as user_count,
    ${isoSql(sql`${r}.created_at`)} as created_at, ${isoSql(sql`${r}.updated_at`)} as updated_at`;
}

/** Every role of the tenant, system roles first, then by name: one round trip. */
export async function listRoles(ctx: TenantContext): Promise<RoleRow[]> {
  const result = await ctx.db.execute<RoleRow & Record<string, unknown>>(sql`
    select ${roleColumns("r")} from roles r
    where r.tenant_id = ${ctx.tenantId}
    order by r.is_system desc, r.name`);
  return result.rows;
}

export async function findRole(ctx: TenantContext, id: string): Promise<RoleRow | undefined> {
  const result = await ctx.db.execute<RoleRow & Record<string, unknown>>(sql`
    select ${roleColumns("r")} from roles r where r.tenant_id = ${ctx.tenantId} and r.id = ${id}`);
  return result.rows[0];
}

/** The role and its audit row in one atomic round trip. */
export async function insertRole(
  ctx: TenantContext,
  row: typeof roles.$inferInsert,
  audit: AuditInsert,
): Promise<typeof roles.$inferSelect | undefined> {
  const db = ctx.db;
  const [inserted] = await db.batch([
    db.insert(roles).values(row).returning(),
    db.insert(auditLogs).values(audit),
  ]);
  return inserted[0];
}

export type RoleWriteOutcome<T> =
  | { kind: "not_found" }
  | { kind: "system" }
  | { kind: "forbidden" }
  | { kind: "assigned" }
  | { kind: "stale" }
  | { kind: "ok"; row: T };

/** What a write found, named apart from the role's own columns (`is_system`) in the same row. */
interface TargetFlags {
  flag_system: boolean;
  flag_grantable: boolean;
  flag_assigned?: boolean;
  flag_done: boolean;
}

function outcome<T>(flags: TargetFlags | undefined, row: T): RoleWriteOutcome<T> {
  if (!flags) return { kind: "not_found" };
  if (flags.flag_system) return { kind: "system" };
  if (!flags.flag_grantable) return { kind: "forbidden" };
  if (flags.flag_assigned) return { kind: "assigned" };
  if (!flags.flag_done) return { kind: "stale" };
  return { kind: "ok", row };
}

export interface RolePatch {
  name?: string;
  description?: string | null;
  permissions?: string[];
  scope?: DataScope;
}

/**
 * Updates a custom role in ONE statement: refused for system roles and for roles granting more
 * than the caller has; `version + 1` under If-Match inside the UPDATE's WHERE; audit row with the
 * old and new values. Flags tell 404, 409, 403 and 412 apart.
 */
export async function updateRole(
  ctx: TenantContext,
  id: string,
  patch: RolePatch,
  options: { ifMatch: number | undefined; audit: AuditInsert },
): Promise<RoleWriteOutcome<RoleRow>> {
  const sets: SQL[] = [];
  const old: SQL[] = [];
  if (patch.name !== undefined) {
    sets.push(sql`name = ${patch.name}`);
    old.push(sql`'name', t.name`);
  }
  if (patch.description !== undefined) {
    sets.push(sql`description = ${patch.description}`);
    old.push(sql`'description', t.description`);
  }
  if (patch.permissions !== undefined) {
    sets.push(sql`permissions = ${sql.param(patch.permissions)}::text[]`);
    old.push(sql`'permissions', to_jsonb(t.permissions)`);
  }
  if (patch.scope !== undefined) {
    sets.push(sql`scope = ${patch.scope}`);
    old.push(sql`'scope', t.scope`);
  }
  const ifMatch = options.ifMatch === undefined ? sql`` : sql` and r.version = ${options.ifMatch}`;
  const result = await ctx.db.execute<Partial<RoleRow> & TargetFlags & Record<string, unknown>>(sql`
    with target as (
      select r.tenant_id, r.id, r.name, r.description, r.permissions, r.scope, r.is_system,
        ${grantableSql(ctx, "r")} as grantable
      from roles r where r.tenant_id = ${ctx.tenantId} and r.id = ${id}
    ), updated as (
      update roles r set ${sql.join([...sets, sql`version = r.version + 1`, sql`updated_at = now()`], sql`, `)}
      from target t
      where r.tenant_id = t.tenant_id and r.id = t.id and not t.is_system and t.grantable${ifMatch}
      returning r.*
    ), audit as (
      ${auditInsertSelect(
        options.audit,
        { old: sql`jsonb_build_object(${sql.join(old, sql`, `)})`, new: jsonb(patch) },
        sql`from target t join updated on true`,
      )}
    )
    select t.is_system as flag_system, t.grantable as flag_grantable, u.id is not null as flag_done,
      ${roleColumns("u")}
    from target t left join updated u on true`);
  const row = result.rows[0];
  return outcome(row, row as RoleRow);
}

/**
 * Deletes a custom role in ONE statement, only while nobody holds it (409 otherwise: reassign
 * first — a delete never silently strips rights), with If-Match and the audit row.
 */
export async function deleteRole(
  ctx: TenantContext,
  id: string,
  options: { ifMatch: number | undefined; audit: AuditInsert },
): Promise<RoleWriteOutcome<null>> {
  const ifMatch = options.ifMatch === undefined ? sql`` : sql` and r.version = ${options.ifMatch}`;
  const result = await ctx.db.execute<TargetFlags & Record<string, unknown>>(sql`
    with target as (
      select r.tenant_id, r.id, r.name, r.permissions, r.scope, r.is_system,
        ${grantableSql(ctx, "r")} as grantable,
        exists (select 1 from user_roles ur where ur.tenant_id = r.tenant_id and ur.role_id = r.id) as assigned
      from roles r where r.tenant_id = ${ctx.tenantId} and r.id = ${id}
    ), deleted as (
      delete from roles r using target t
      where r.tenant_id = t.tenant_id and r.id = t.id and not t.is_system and t.grantable and not t.assigned${ifMatch}
      returning r.id
    ), audit as (
      ${auditInsertSelect(
        options.audit,
        {
          old: sql`jsonb_build_object('name', t.name, 'permissions', to_jsonb(t.permissions), 'scope', t.scope)`,
          new: sql`null::jsonb`,
        },
        sql`from target t join deleted on true`,
      )}
    )
    select t.is_system as flag_system, t.grantable as flag_grantable, t.assigned as flag_assigned,
      exists (select 1 from deleted) as flag_done
    from target t`);
  return outcome(result.rows[0], null);
}
