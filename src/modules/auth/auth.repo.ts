import { eq, type SQL, sql } from "drizzle-orm";
import type { GrantingRole } from "../../core/auth/permissions";
import type { Db } from "../../core/db";
import { auditLogs, memberships, refreshTokens, roles, tenants, userRoles, users } from "../../db/schema";

export interface MembershipGrant {
  tenant: typeof tenants.$inferSelect;
  roles: GrantingRole[];
}

export interface UserWithMemberships {
  user: typeof users.$inferSelect;
  memberships: MembershipGrant[];
}

interface RawRow {
  extra?: Record<string, unknown> | null;
  user: Record<string, unknown>;
  memberships: {
    tenant: Record<string, unknown>;
    roles: { name: string; is_system: boolean; permissions: string[]; scope: GrantingRole["scope"] }[];
  }[];
}

const toDate = (v: unknown) => (v == null ? null : new Date(String(v)));

/**
 * A user (by email or id) with every active membership in an active tenant and each membership's
 * roles: one round trip, whatever the number of tenants.
 */
async function loadUser(
  db: Db,
  where: SQL,
  extra: SQL = sql`null::json`,
): Promise<(UserWithMemberships & { extra: Record<string, unknown> | null }) | undefined> {
  const result = await db.execute(sql`
    select row_to_json(u) as "user", ${extra} as extra,
      coalesce((
        select json_agg(json_build_object(
          'tenant', row_to_json(t),
          'roles', (select coalesce(json_agg(json_build_object('name', r.name, 'is_system', r.is_system,
                      'permissions', r.permissions, 'scope', r.scope) order by r.name), '[]'::json)
                    from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                    where ur.tenant_id = m.tenant_id and ur.user_id = m.user_id)
        ) order by m.created_at, m.tenant_id)
        from memberships m join tenants t on t.id = m.tenant_id and t.status = 'active'
        where m.user_id = u.id and m.status = 'active'
      ), '[]'::json) as memberships
    from users u where ${where} limit 1`);
  const row = result.rows[0] as unknown as RawRow | undefined;
  if (!row) return undefined;
  const u = row.user;
  return {
    extra: row.extra ?? null,
    user: {
      id: String(u.id),
      email: String(u.email),
      passwordHash: String(u.password_hash),
      firstName: String(u.first_name),
      lastName: String(u.last_name),
      phone: u.phone == null ? null : String(u.phone),
      isActive: u.is_active === true,
      isSuperAdmin: u.is_super_admin === true,
      lastLoginAt: toDate(u.last_login_at),
      passwordChangedAt: toDate(u.password_changed_at),
      version: Number(u.version ?? 1),
      createdAt: new Date(String(u.created_at)),
      updatedAt: new Date(String(u.updated_at)),
    },
    memberships: row.memberships.map((m) => ({
      tenant: {
        id: String(m.tenant.id),
        name: String(m.tenant.name),
        slug: String(m.tenant.slug),
        status: m.tenant.status === "suspended" ? "suspended" : "active",
        settings: (m.tenant.settings ?? {}) as (typeof tenants.$inferSelect)["settings"],
        createdAt: new Date(String(m.tenant.created_at)),
        updatedAt: new Date(String(m.tenant.updated_at)),
      },
      roles: m.roles.map((r) => ({
        name: r.name,
        isSystem: r.is_system,
        permissions: r.permissions,
        scope: r.scope,
      })),
    })),
  };
}

export function findUserByEmail(db: Db, email: string) {
  return loadUser(db, sql`lower(u.email) = lower(${email})`);
}

export function findUserById(db: Db, id: string) {
  return loadUser(db, sql`u.id = ${id}`);
}

/**
 * Stores the new refresh token and stamps the login (and, for a legacy or weaker hash, the fresh
 * password hash) in one atomic round trip.
 */
export async function recordLogin(
  db: Db,
  token: typeof refreshTokens.$inferInsert,
  rehashed: string | undefined,
): Promise<void> {
  await db.batch([
    db.insert(refreshTokens).values(token),
    db
      .update(users)
      .set({ lastLoginAt: sql`now()`, ...(rehashed ? { passwordHash: rehashed } : {}) })
      .where(eq(users.id, token.userId)),
  ]);
}

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/**
 * The refresh token with its user, memberships and roles: everything a refresh needs to mint the
 * next access token, in one round trip.
 */
export async function findRefreshSession(
  db: Db,
  tokenHash: string,
): Promise<{ token: RefreshTokenRow; session: UserWithMemberships } | undefined> {
  const found = await loadUser(
    db,
    sql`u.id = (select user_id from refresh_tokens where token_hash = ${tokenHash})`,
    sql`(select row_to_json(rt) from refresh_tokens rt where rt.token_hash = ${tokenHash})`,
  );
  const t = found?.extra;
  if (!found || !t) return undefined;
  const date = (v: unknown) => (v == null ? null : new Date(String(v)));
  return {
    session: found,
    token: {
      id: String(t.id),
      userId: String(t.user_id),
      tenantId: String(t.tenant_id),
      familyId: String(t.family_id),
      parentId: t.parent_id == null ? null : String(t.parent_id),
      tokenHash: String(t.token_hash),
      expiresAt: new Date(String(t.expires_at)),
      rotatedAt: date(t.rotated_at),
      revokedAt: date(t.revoked_at),
      userAgent: t.user_agent == null ? null : String(t.user_agent),
      ip: t.ip == null ? null : String(t.ip),
      createdAt: new Date(String(t.created_at)),
    },
  };
}

type NewChild = Pick<RefreshTokenRow, "id" | "tokenHash" | "expiresAt" | "userAgent" | "ip">;

function insertChild(child: NewChild, parentId: string, source: SQL) {
  return sql`
    insert into refresh_tokens (id, user_id, tenant_id, family_id, parent_id, token_hash, expires_at, user_agent, ip)
    select ${child.id}, user_id, tenant_id, family_id, ${parentId}, ${child.tokenHash}, ${child.expiresAt.toISOString()},
           ${child.userAgent}, ${child.ip}
    from ${source} limit 1
    returning id`;
}

/**
 * Rotates `parentId` into `child` atomically: the parent is marked rotated only if nobody rotated
 * it first, and the child exists only if that happened. False = lost the race (a concurrent use).
 */
export async function rotateRefreshToken(db: Db, parentId: string, child: NewChild): Promise<boolean> {
  const result = await db.execute(sql`
    with rotated as (
      update refresh_tokens set rotated_at = now()
      where id = ${parentId} and rotated_at is null and revoked_at is null and expires_at > now()
      returning user_id, tenant_id, family_id
    )
    ${insertChild(child, parentId, sql`rotated`)}`);
  return result.rows.length === 1;
}

/**
 * The grace path for a retry whose response was lost: the parent was rotated moments ago but the
 * child it produced was never used. That unused child is revoked and replaced. False = the child
 * was already used, so this is a genuine reuse.
 */
export async function reissueUnusedChild(db: Db, parentId: string, child: NewChild): Promise<boolean> {
  const result = await db.execute(sql`
    with dropped as (
      update refresh_tokens set revoked_at = now()
      where parent_id = ${parentId} and rotated_at is null and revoked_at is null
      returning user_id, tenant_id, family_id
    )
    ${insertChild(child, parentId, sql`dropped`)}`);
  return result.rows.length === 1;
}

/** Revokes every live token of a refresh family (reuse detected, logout, tenant switch). */
export async function revokeFamily(db: Db, familyId: string): Promise<void> {
  await db.execute(
    sql`update refresh_tokens set revoked_at = now() where family_id = ${familyId} and revoked_at is null`,
  );
}

/** Everything registration creates, written atomically in one round trip. */
export async function insertRegistration(
  db: Db,
  rows: {
    tenant: typeof tenants.$inferInsert;
    roles: (typeof roles.$inferInsert)[];
    user: typeof users.$inferInsert;
    ownerRoleId: string;
    refreshToken: typeof refreshTokens.$inferInsert;
    audit: (typeof auditLogs.$inferInsert)[];
  },
): Promise<void> {
  const tenantId = rows.tenant.id;
  const userId = rows.user.id;
  await db.batch([
    db.insert(tenants).values(rows.tenant),
    db.insert(roles).values(rows.roles),
    db.insert(users).values(rows.user),
    db.insert(memberships).values({ tenantId, userId }),
    db.insert(userRoles).values({ tenantId, userId, roleId: rows.ownerRoleId }),
    db.insert(refreshTokens).values(rows.refreshToken),
    db.insert(auditLogs).values(rows.audit),
  ]);
}
