import { eq, sql } from "drizzle-orm";
import type { GrantingRole } from "../../core/auth/permissions";
import type { Db } from "../../core/db";
import { refreshTokens, type tenants, users } from "../../db/schema";

export interface MembershipGrant {
  tenant: typeof tenants.$inferSelect;
  roles: GrantingRole[];
}

export interface UserWithMemberships {
  user: typeof users.$inferSelect;
  memberships: MembershipGrant[];
}

interface RawRow {
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
async function loadUser(db: Db, where: ReturnType<typeof sql>): Promise<UserWithMemberships | undefined> {
  const result = await db.execute(sql`
    select row_to_json(u) as "user",
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
