import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, jsonb } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ownerVisible } from "../../core/scope";
import { grantableSql, manageableSql } from "../roles";
import { type AuditInsert, type UserRow, userColumns } from "./users.repo";

export type WriteOutcome<T> =
  | { kind: "not_found" }
  | { kind: "forbidden" }
  /** The person also belongs to another tenant: their global identity is not this tenant's to change. */
  | { kind: "shared_identity" }
  | { kind: "stale" }
  | { kind: "ok"; row: T };

export interface UserPatch {
  first_name?: string;
  last_name?: string;
  phone?: string | null;
  username?: string | null;
  email?: string;
  is_active?: boolean;
}

const USER_COLUMNS = ["first_name", "last_name", "phone", "username", "email"] as const;

/**
 * Applies a partial update to a member in ONE statement: the target is read (scope and
 * manageability included), the users row is updated with `version + 1` only if If-Match still
 * holds (inside the UPDATE's WHERE, so of two concurrent writers with the same version one wins),
 * the membership status follows `is_active` (disabling also revokes this tenant's refresh tokens)
 * and the audit row records old and new values. Unless `mayChangeIdentity`, a change to the global
 * identity (names, phone, email) applies only while the person belongs to no other tenant — checked
 * inside the same statement. The returned flags tell 404, 403, 409 and 412 apart.
 */
export async function updateUser(
  ctx: TenantContext,
  id: string,
  patch: UserPatch,
  options: { ifMatch: number | undefined; isSelf: boolean; mayChangeIdentity: boolean; audit: AuditInsert },
): Promise<WriteOutcome<UserRow>> {
  const sets: SQL[] = [];
  const oldValues: SQL[] = [];
  for (const column of USER_COLUMNS) {
    const value = patch[column];
    if (value === undefined) continue;
    sets.push(sql`${sql.raw(column)} = ${value}`);
    oldValues.push(sql`${column}::text, t.${sql.raw(column)}`);
  }
  if (patch.is_active !== undefined) oldValues.push(sql`'is_active', t.status = 'active'`);
  const guarded = !options.mayChangeIdentity && sets.length > 0;
  const identityGuard = guarded ? sql` and not t.shared_identity` : sql``;
  const status = patch.is_active === undefined ? undefined : patch.is_active ? "active" : "disabled";
  const ifMatch = options.ifMatch === undefined ? sql`` : sql` and u.version = ${options.ifMatch}`;
  const membershipCte =
    status === undefined
      ? sql``
      : sql`, membership as (
          update memberships m set status = ${status}, updated_at = now()
          from updated where m.tenant_id = ${ctx.tenantId} and m.user_id = updated.id
          returning m.status)`;
  const revokeCte =
    status === "disabled"
      ? sql`, revoked as (
          update refresh_tokens rt set revoked_at = now()
          from updated where rt.user_id = updated.id and rt.tenant_id = ${ctx.tenantId} and rt.revoked_at is null
          returning 1)`
      : sql``;
  const isActive =
    status === undefined
      ? undefined
      : sql`(u.is_active and coalesce((select status from membership), t.status) = 'active')`;
  const result = await ctx.db.execute<
    Partial<UserRow> & { visible: boolean; manageable: boolean; updated: boolean } & Record<string, unknown>
  >(sql`
    with target as (
      select u.id, u.email, u.first_name, u.last_name, u.phone, u.username, m.tenant_id, m.user_id, m.status,
        ${ownerVisible(ctx, sql`u.id`)} as visible,
        ${options.isSelf ? sql`true` : manageableSql(ctx, sql`u.id`)} as manageable,
        ${sharedIdentitySql(ctx, sql`u.id`)} as shared_identity
      from users u join memberships m on m.user_id = u.id and m.tenant_id = ${ctx.tenantId}
      where u.id = ${id}
    ), updated as (
      update users u set ${sql.join([...sets, sql`version = u.version + 1`, sql`updated_at = now()`], sql`, `)}
      from target t
      where u.id = t.id and t.visible and t.manageable${identityGuard}${ifMatch}
      returning u.*
    )${membershipCte}${revokeCte}, audit as (
      ${auditInsertSelect(
        options.audit,
        { old: sql`jsonb_build_object(${sql.join(oldValues, sql`, `)})`, new: jsonb(patch) },
        sql`from target t join updated on true`,
      )}
    )
    select t.visible, t.manageable, ${guarded ? sql`t.shared_identity` : sql`false`} as refused_identity,
      u.id is not null as updated, ${userColumns("u", "t", isActive)}
    from target t left join updated u on true`);
  return writeOutcome(result.rows[0]);
}

/** Whether the person `userId` also belongs (in any status) to a tenant other than the caller's. */
function sharedIdentitySql(ctx: TenantContext, userId: SQL): SQL {
  return sql`exists (select 1 from memberships other
    where other.user_id = ${userId} and other.tenant_id <> ${ctx.tenantId})`;
}

function writeOutcome(
  row:
    | (Partial<UserRow> & {
        visible: boolean;
        manageable: boolean;
        updated: boolean;
        refused_identity?: boolean;
      })
    | undefined,
): WriteOutcome<UserRow> {
  if (!row?.visible) return { kind: "not_found" };
  if (!row.manageable) return { kind: "forbidden" };
  if (row.refused_identity) return { kind: "shared_identity" };
  if (!row.updated) return { kind: "stale" };
  return { kind: "ok", row: row as UserRow };
}

/**
 * Disables a membership in ONE statement: status → disabled, the user's version bumped (If-Match
 * honoured), every live refresh token of the user in this tenant revoked, audit row written.
 * `already` = the membership was disabled before (nothing written).
 */
export async function disableUser(
  ctx: TenantContext,
  id: string,
  options: { ifMatch: number | undefined; audit: AuditInsert },
): Promise<WriteOutcome<{ already: boolean }>> {
  const ifMatch = options.ifMatch === undefined ? sql`` : sql` and u.version = ${options.ifMatch}`;
  const result = await ctx.db.execute<
    { visible: boolean; manageable: boolean; updated: boolean; status: string } & Record<string, unknown>
  >(sql`
    with target as (
      select u.id, m.status,
        ${ownerVisible(ctx, sql`u.id`)} as visible,
        ${manageableSql(ctx, sql`u.id`)} as manageable
      from users u join memberships m on m.user_id = u.id and m.tenant_id = ${ctx.tenantId}
      where u.id = ${id}
    ), updated as (
      update users u set version = u.version + 1, updated_at = now()
      from target t
      where u.id = t.id and t.visible and t.manageable and t.status = 'active'${ifMatch}
      returning u.id
    ), membership as (
      update memberships m set status = 'disabled', updated_at = now()
      from updated where m.tenant_id = ${ctx.tenantId} and m.user_id = updated.id
      returning 1
    ), revoked as (
      update refresh_tokens rt set revoked_at = now()
      from updated where rt.user_id = updated.id and rt.tenant_id = ${ctx.tenantId} and rt.revoked_at is null
      returning 1
    ), audit as (
      ${auditInsertSelect(
        options.audit,
        {
          old: sql`jsonb_build_object('is_active', true)`,
          new: sql`jsonb_build_object('is_active', false, 'refresh_tokens_revoked', (select count(*) from revoked))`,
        },
        sql`from updated`,
      )}
    )
    select t.visible, t.manageable, t.status, exists (select 1 from updated) as updated from target t`);
  const row = result.rows[0];
  if (row?.visible && row.manageable && row.status === "disabled") {
    return { kind: "ok", row: { already: true } };
  }
  const outcome = writeOutcome(row);
  return outcome.kind === "ok" ? { kind: "ok", row: { already: false } } : outcome;
}

export interface RolesAssignment {
  visible: boolean;
  /** The requested names that exist in the tenant. */
  knownNames: string[];
  /** Every added or removed role is one the caller may grant. */
  allowed: boolean;
  applied: boolean;
  user: UserRow | undefined;
}

/**
 * Sets a member's roles to exactly `names` in ONE round trip (an atomic batch of four statements):
 * 1. checks (target in scope, every name known, every added or removed role grantable by the
 *    caller), bumps the user's version under If-Match — which locks the user row, so concurrent
 *    assignments queue up — writes the audit row, and raises a transaction-local flag when all
 *    passed; 2–3. remove the roles not wanted and add the missing ones, each guarded by the flag
 *    and each with a fresh snapshot taken after the lock (no lost updates between assignments);
 *    4. reads the user back.
 */
export async function setUserRoles(
  ctx: TenantContext,
  id: string,
  names: string[],
  options: { ifMatch: number | undefined; audit: AuditInsert },
): Promise<RolesAssignment> {
  const db = ctx.db;
  const flag = sql`current_setting('sales_sync.roles_assign', true) = ${options.audit.id}`;
  const wanted = sql`(select r.id from roles r where r.tenant_id = ${ctx.tenantId} and r.name = any(${sql.param(names)}::text[]))`;
  const ifMatch = options.ifMatch === undefined ? sql`` : sql` and u.version = ${options.ifMatch}`;
  const [checked, , , readBack] = await db.batch([
    db.execute<
      { visible: boolean; known: string[]; allowed: boolean; applied: boolean } & Record<string, unknown>
    >(sql`
      with target as (
        select u.id, ${ownerVisible(ctx, sql`u.id`)} as visible
        from users u join memberships m on m.user_id = u.id and m.tenant_id = ${ctx.tenantId}
        where u.id = ${id}
      ), wanted as (
        select r.id, r.name, ${grantableSql(ctx, "r")} as grantable
        from roles r where r.tenant_id = ${ctx.tenantId} and r.name = any(${sql.param(names)}::text[])
      ), current_roles as (
        select r.id, r.name, ${grantableSql(ctx, "r")} as grantable
        from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
        where ur.tenant_id = ${ctx.tenantId} and ur.user_id = ${id}
      ), verdict as (
        select (select count(*) from wanted) = ${names.length} as known,
          not exists (select 1 from wanted w where not w.grantable and w.id not in (select id from current_roles))
          and not exists (select 1 from current_roles c where not c.grantable and c.id not in (select id from wanted))
            as allowed
      ), bumped as (
        update users u set version = u.version + 1, updated_at = now()
        from target t, verdict v
        where u.id = t.id and t.visible and v.known and v.allowed${ifMatch}
        returning u.id
      ), audit as (
        ${auditInsertSelect(
          options.audit,
          {
            old: sql`jsonb_build_object('roles', (select coalesce(jsonb_agg(name order by name), '[]'::jsonb) from current_roles))`,
            new: sql`jsonb_build_object('roles', ${jsonb([...names].sort())})`,
          },
          sql`from bumped`,
        )}
      )
      select t.visible, v.known, v.allowed,
        (select coalesce(json_agg(name), '[]'::json) from wanted) as known_names,
        set_config('sales_sync.roles_assign',
          case when exists (select 1 from bumped) then ${options.audit.id} else '' end, true) <> '' as applied
      from target t cross join verdict v`),
    db.execute(sql`
      delete from user_roles
      where tenant_id = ${ctx.tenantId} and user_id = ${id} and role_id not in ${wanted} and ${flag}`),
    db.execute(sql`
      insert into user_roles (tenant_id, user_id, role_id)
      select ${ctx.tenantId}, ${id}, r.id from roles r
      where r.tenant_id = ${ctx.tenantId} and r.name = any(${sql.param(names)}::text[]) and ${flag}
      on conflict do nothing`),
    db.execute<UserRow & Record<string, unknown>>(sql`
      select ${userColumns("u", "m")}
      from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${ctx.tenantId} and m.user_id = ${id}`),
  ]);
  const row = checked.rows[0] as
    | { visible: boolean; known: boolean; allowed: boolean; applied: boolean; known_names: string[] }
    | undefined;
  return {
    visible: row?.visible === true,
    knownNames: row?.known_names ?? [],
    allowed: row?.allowed === true,
    applied: row?.applied === true,
    user: readBack.rows[0] as UserRow | undefined,
  };
}
