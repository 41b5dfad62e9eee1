import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { DataScope } from "../../core/auth/permissions";
import type { Db } from "../../core/db";
import { auditLogs, memberships, refreshTokens, userRoles } from "../../db/schema";

export interface RoleRef {
  id: string;
  name: string;
  isSystem: boolean;
  permissions: string[];
  scope: DataScope;
}

export interface MemberLookup {
  user: { id: string; email: string; firstName: string; lastName: string } | null;
  status: "active" | "disabled" | null;
  currentRoles: RoleRef[];
  role: RoleRef | null;
}

interface RawRole {
  id: string;
  name: string;
  is_system: boolean;
  permissions: string[];
  scope: DataScope;
}

const toRole = (r: RawRole): RoleRef => ({
  id: r.id,
  name: r.name,
  isSystem: r.is_system,
  permissions: r.permissions,
  scope: r.scope,
});

/**
 * Everything a membership change needs to be checked — the user, their membership and roles in
 * the tenant, and the role to grant — in one round trip.
 */
export async function lookupMember(
  db: Db,
  tenantId: string,
  who: { email?: string; userId?: string },
  roleName: string | undefined,
): Promise<MemberLookup> {
  const userId: SQL = who.userId
    ? sql`${who.userId}::uuid`
    : sql`(select id from users where lower(email) = lower(${who.email ?? ""}))`;
  const result = await db.execute<{
    user: { id: string; email: string; first_name: string; last_name: string } | null;
    status: "active" | "disabled" | null;
    current_roles: RawRole[];
    role: RawRole | null;
  }>(sql`
    with target as (select ${userId} as id)
    select
      (select json_build_object('id', u.id, 'email', u.email, 'first_name', u.first_name, 'last_name', u.last_name)
         from users u where u.id = (select id from target)) as "user",
      (select m.status from memberships m where m.tenant_id = ${tenantId} and m.user_id = (select id from target)) as status,
      coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name, 'is_system', r.is_system,
                  'permissions', r.permissions, 'scope', r.scope) order by r.name)
         from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
         where ur.tenant_id = ${tenantId} and ur.user_id = (select id from target)), '[]'::json) as current_roles,
      ${
        roleName === undefined
          ? sql`null::json`
          : sql`(select json_build_object('id', r.id, 'name', r.name, 'is_system', r.is_system,
                  'permissions', r.permissions, 'scope', r.scope)
               from roles r where r.tenant_id = ${tenantId} and lower(r.name) = lower(${roleName}))`
      } as role`);
  const row = result.rows[0];
  const u = row?.user ?? null;
  return {
    user: u ? { id: u.id, email: u.email, firstName: u.first_name, lastName: u.last_name } : null,
    status: row?.status ?? null,
    currentRoles: (row?.current_roles ?? []).map(toRole),
    role: row?.role ? toRole(row.role) : null,
  };
}

export interface MembershipChange {
  tenantId: string;
  userId: string;
  /** Make the membership exist and be active (adding a member). */
  activate?: boolean;
  status?: "active" | "disabled";
  /** Replace the member's roles with this one. */
  roleId?: string;
  /** Revoke the member's refresh tokens in this tenant. */
  revokeSessions?: boolean;
  /** Remove the membership (its roles and team places go with it). */
  remove?: boolean;
  audit: typeof auditLogs.$inferInsert;
}

/** Applies a membership change and its audit row in one atomic round trip. */
export async function applyMembershipChange(db: Db, change: MembershipChange): Promise<void> {
  const { tenantId, userId } = change;
  const member = and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId));
  const statements = [
    change.activate
      ? db
          .insert(memberships)
          .values({ tenantId, userId })
          .onConflictDoUpdate({
            target: [memberships.tenantId, memberships.userId],
            set: { status: "active", updatedAt: sql`now()` },
          })
      : undefined,
    change.status
      ? db.update(memberships).set({ status: change.status, updatedAt: sql`now()` }).where(member)
      : undefined,
    change.roleId
      ? db.delete(userRoles).where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)))
      : undefined,
    change.roleId ? db.insert(userRoles).values({ tenantId, userId, roleId: change.roleId }) : undefined,
    change.remove ? db.delete(memberships).where(member) : undefined,
    change.revokeSessions
      ? db
          .update(refreshTokens)
          .set({ revokedAt: sql`now()` })
          .where(
            and(
              eq(refreshTokens.tenantId, tenantId),
              eq(refreshTokens.userId, userId),
              isNull(refreshTokens.revokedAt),
            ),
          )
      : undefined,
    db.insert(auditLogs).values(change.audit),
  ].filter((s) => s !== undefined);
  const [first, ...rest] = statements;
  if (!first) return;
  await db.batch([first, ...rest]);
}
