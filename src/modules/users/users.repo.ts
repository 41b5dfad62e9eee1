import { and, eq, type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, isoSql, jsonb } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import type { Db } from "../../core/db";
import { ownerVisible } from "../../core/scope";
import { auditLogs, memberships, roles, users } from "../../db/schema";
import { grantableSql, manageableSql } from "../roles";

/** A user row as the tenant sees it, straight from SQL (timestamps already RFC 3339 text). */
export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  is_active: boolean;
  version: number;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  roles: string[];
  teams: { id: string; name: string; is_leader: boolean }[];
}

type AuditInsert = typeof auditLogs.$inferInsert;

/**
 * The DTO columns for the user `u` and the membership `m` (aliases: whichever relation with the users
 * columns, and one with tenant_id/user_id/status). Roles and teams are aggregated by correlated
 * subqueries on indexed keys: part of the same statement, so a page of users costs one round trip.
 */
function userColumns(u: string, m: string, isActive?: SQL): SQL {
  const U = sql.raw(u);
  const M = sql.raw(m);
  return sql`${U}.id, ${U}.email, ${U}.first_name, ${U}.last_name, ${U}.phone,
    ${isActive ?? sql`(${U}.is_active and ${M}.status = 'active')`} as is_active,
    ${U}.version,
    ${isoSql(sql`${U}.last_login_at`)} as last_login_at,
    ${isoSql(sql`${U}.created_at`)} as created_at,
    ${isoSql(sql`${U}.updated_at`)} as updated_at,
    (select coalesce(json_agg(dto_r.name order by dto_r.name), '[]'::json)
       from user_roles dto_ur join roles dto_r on dto_r.tenant_id = dto_ur.tenant_id and dto_r.id = dto_ur.role_id
       where dto_ur.tenant_id = ${M}.tenant_id and dto_ur.user_id = ${M}.user_id) as roles,
    (select coalesce(json_agg(json_build_object('id', dto_t.id, 'name', dto_t.name, 'is_leader', dto_tm.is_leader)
                              order by dto_t.name, dto_t.id), '[]'::json)
       from team_members dto_tm join teams dto_t on dto_t.tenant_id = dto_tm.tenant_id and dto_t.id = dto_tm.team_id
       where dto_tm.tenant_id = ${M}.tenant_id and dto_tm.user_id = ${M}.user_id) as teams`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export interface UserFilters {
  email?: string;
  q?: string;
  isActive?: boolean;
  role?: string;
  team?: string;
}

export interface UserPage {
  limit: number;
  offset: number;
  /** Keyset position: rows strictly after (created_at, id). */
  after?: { createdAt: string; id: string };
  includeTotal: boolean;
}

export type ListedUserRow = UserRow & { cursor_ts: string };

/**
 * One page of the tenant's members in the caller's scope, ordered by (created_at, id), with their
 * roles and teams — and the filtered total when asked — in ONE statement.
 */
export async function listUsers(
  ctx: TenantContext,
  filters: UserFilters,
  page: UserPage,
): Promise<{ rows: ListedUserRow[]; total: number | null }> {
  const where: SQL[] = [sql`m.tenant_id = ${ctx.tenantId}`, ownerVisible(ctx, sql`m.user_id`)];
  if (filters.email !== undefined) where.push(sql`u.email ilike ${`%${escapeLike(filters.email)}%`}`);
  if (filters.q !== undefined) {
    const pattern = `%${escapeLike(filters.q)}%`;
    where.push(sql`(u.email ilike ${pattern} or u.first_name ilike ${pattern} or u.last_name ilike ${pattern}
      or (u.first_name || ' ' || u.last_name) ilike ${pattern})`);
  }
  if (filters.isActive !== undefined) {
    where.push(
      filters.isActive
        ? sql`(u.is_active and m.status = 'active')`
        : sql`not (u.is_active and m.status = 'active')`,
    );
  }
  if (filters.role !== undefined) {
    where.push(sql`exists (select 1 from user_roles fr join roles frr on frr.tenant_id = fr.tenant_id and frr.id = fr.role_id
      where fr.tenant_id = m.tenant_id and fr.user_id = m.user_id and frr.name = ${filters.role})`);
  }
  if (filters.team !== undefined) {
    where.push(sql`exists (select 1 from team_members ft
      where ft.tenant_id = m.tenant_id and ft.user_id = m.user_id and ft.team_id = ${filters.team})`);
  }
  const filtered = sql.join(where, sql` and `);
  const keyset = page.after
    ? sql` and (u.created_at, u.id) > (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
    : sql``;
  const pageQuery = sql`
    select ${userColumns("u", "m")},
      to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts
    from memberships m join users u on u.id = m.user_id
    where ${filtered}${keyset}
    order by u.created_at, u.id
    limit ${page.limit} offset ${page.offset}`;
  if (!page.includeTotal) {
    const result = await ctx.db.execute<ListedUserRow & Record<string, unknown>>(pageQuery);
    return { rows: result.rows, total: null };
  }
  // The count rides along with the page; a page past the end still yields the total (one null row).
  const result = await ctx.db.execute<
    Partial<ListedUserRow> & { total: number } & Record<string, unknown>
  >(sql`
    select c.total, p.*
    from (select count(*)::int as total from memberships m join users u on u.id = m.user_id where ${filtered}) c
    left join lateral (${pageQuery}) p on true
    order by p.cursor_ts, p.id`);
  const total = result.rows[0]?.total ?? 0;
  const rows = result.rows.filter((r) => r.id != null) as unknown as ListedUserRow[];
  return { rows, total };
}

/** One member of the tenant, if the caller's scope covers them. */
export async function findUser(ctx: TenantContext, id: string): Promise<UserRow | undefined> {
  const result = await ctx.db.execute<UserRow & Record<string, unknown>>(sql`
    select ${userColumns("u", "m")}
    from memberships m join users u on u.id = m.user_id
    where m.tenant_id = ${ctx.tenantId} and m.user_id = ${id} and ${ownerVisible(ctx, sql`m.user_id`)}`);
  return result.rows[0];
}

export async function findRoleByName(
  db: Db,
  tenantId: string,
  name: string,
): Promise<typeof roles.$inferSelect | undefined> {
  const [row] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.name, name)))
    .limit(1);
  return row;
}

/**
 * The global user, their membership, their role and the audit row: one atomic round trip. The
 * role is looked up by name inside the insert and must be one the caller may grant; otherwise the
 * subquery is NULL, the NOT NULL role_id fails the whole batch (SQLSTATE 23502) and nothing is
 * written.
 */
export async function insertUser(
  ctx: TenantContext,
  user: typeof users.$inferInsert & { id: string },
  roleName: string,
  audit: AuditInsert,
): Promise<typeof users.$inferSelect | undefined> {
  const db = ctx.db;
  const [inserted] = await db.batch([
    db.insert(users).values(user).returning(),
    db.insert(memberships).values({ tenantId: ctx.tenantId, userId: user.id }),
    db.execute(sql`
      insert into user_roles (tenant_id, user_id, role_id)
      values (${ctx.tenantId}, ${user.id}, (
        select r.id from roles r
        where r.tenant_id = ${ctx.tenantId} and r.name = ${roleName} and ${grantableSql(ctx, "r")}))`),
    db.insert(auditLogs).values(audit),
  ]);
  return inserted[0];
}

export type WriteOutcome<T> =
  | { kind: "not_found" }
  | { kind: "forbidden" }
  | { kind: "stale" }
  | { kind: "ok"; row: T };

export interface UserPatch {
  first_name?: string;
  last_name?: string;
  phone?: string | null;
  email?: string;
  is_active?: boolean;
}

const USER_COLUMNS = ["first_name", "last_name", "phone", "email"] as const;

/**
 * Applies a partial update to a member in ONE statement: the target is read (scope and
 * manageability included), the users row is updated with `version + 1` only if If-Match still
 * holds (inside the UPDATE's WHERE, so of two concurrent writers with the same version one wins),
 * the membership status follows `is_active` (disabling also revokes this tenant's refresh tokens)
 * and the audit row records old and new values. The returned flags tell 404, 403 and 412 apart.
 */
export async function updateUser(
  ctx: TenantContext,
  id: string,
  patch: UserPatch,
  options: { ifMatch: number | undefined; isSelf: boolean; audit: AuditInsert },
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
      select u.id, u.email, u.first_name, u.last_name, u.phone, m.tenant_id, m.user_id, m.status,
        ${ownerVisible(ctx, sql`u.id`)} as visible,
        ${options.isSelf ? sql`true` : manageableSql(ctx, sql`u.id`)} as manageable
      from users u join memberships m on m.user_id = u.id and m.tenant_id = ${ctx.tenantId}
      where u.id = ${id}
    ), updated as (
      update users u set ${sql.join([...sets, sql`version = u.version + 1`, sql`updated_at = now()`], sql`, `)}
      from target t
      where u.id = t.id and t.visible and t.manageable${ifMatch}
      returning u.*
    )${membershipCte}${revokeCte}, audit as (
      ${auditInsertSelect(
        options.audit,
        { old: sql`jsonb_build_object(${sql.join(oldValues, sql`, `)})`, new: jsonb(patch) },
        sql`from target t join updated on true`,
      )}
    )
    select t.visible, t.manageable, u.id is not null as updated, ${userColumns("u", "t", isActive)}
    from target t left join updated u on true`);
  return writeOutcome(result.rows[0]);
}

function writeOutcome(
  row: (Partial<UserRow> & { visible: boolean; manageable: boolean; updated: boolean }) | undefined,
): WriteOutcome<UserRow> {
  if (!row?.visible) return { kind: "not_found" };
  if (!row.manageable) return { kind: "forbidden" };
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
