import { and, eq, type SQL, sql } from "drizzle-orm";
import { isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import type { Db } from "../../core/db";
import { ownerVisible } from "../../core/scope";
import { auditLogs, memberships, roles, users } from "../../db/schema";
import { grantableSql } from "../roles";

/** A user row as the tenant sees it, straight from SQL (timestamps already RFC 3339 text). */
export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  username: string | null;
  is_active: boolean;
  version: number;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  roles: string[];
  teams: { id: string; name: string; is_leader: boolean }[];
}

export type AuditInsert = typeof auditLogs.$inferInsert;

/**
 * The DTO columns for the user `u` and the membership `m` (aliases: whichever relation with the users
 * columns, and one with tenant_id/user_id/status). Roles and teams are aggregated by correlated
 * subqueries on indexed keys: part of the same statement, so a page of users costs one round trip.
 */
export function userColumns(u: string, m: string, isActive?: SQL): SQL {
  const U = sql.raw(u);
  const M = sql.raw(m);
  return sql`${U}.id, ${U}.email, ${U}.first_name, ${U}.last_name, ${U}.phone, ${U}.username,
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
