import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { hashPassword } from "../../src/core/auth/password";
import { resolveGrants, systemRoleRows } from "../../src/core/auth/permissions";
import { signAccessToken } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/env";
import { uuidv7 } from "../../src/core/ids";
import { memberships, roles, tenants, userRoles, users } from "../../src/db/schema";
import { testDb } from "./db";

export type TenantRow = typeof tenants.$inferSelect;
export type UserRow = typeof users.$inferSelect;

/** One fixed hash for factory users: PBKDF2 at full strength costs ~15 ms per user otherwise. */
export const FACTORY_PASSWORD = "Factory-Passw0rd!";
let factoryHash: Promise<string> | undefined;

/**
 * A fresh tenant with its system roles, as registration creates it. A fresh tenant per test keeps
 * tests independent without truncating anything.
 */
export async function createTenant(overrides: Partial<typeof tenants.$inferInsert> = {}): Promise<TenantRow> {
  const db = testDb();
  const id = overrides.id ?? uuidv7();
  const [inserted] = await db.batch([
    db
      .insert(tenants)
      .values({ id, name: `Tenant ${id.slice(-6)}`, slug: `t-${id}`, ...overrides })
      .returning(),
    db.insert(roles).values(systemRoleRows(id, uuidv7)),
  ]);
  const row = inserted[0];
  if (!row) throw new Error("tenant insert returned nothing");
  return row;
}

export interface TestUser {
  user: UserRow;
  tenantId: string;
  roles: string[];
  /** A valid access token for this user in this tenant, minted exactly as login mints it. */
  token: string;
}

/** A user who is a member of `tenant` with the named roles (system or custom). */
export async function createUser(
  tenant: { id: string },
  roleNames: string[] = ["agent"],
  overrides: Partial<typeof users.$inferInsert> = {},
): Promise<TestUser> {
  const db = testDb();
  const id = overrides.id ?? uuidv7();
  factoryHash ??= hashPassword(FACTORY_PASSWORD);
  const roleRows = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenant.id), inArray(roles.name, roleNames)));
  if (roleRows.length !== roleNames.length) throw new Error(`unknown role in ${roleNames.join(",")}`);
  const [inserted] = await db.batch([
    db
      .insert(users)
      .values({
        id,
        email: `user-${id}@example.test`,
        passwordHash: await factoryHash,
        firstName: "Test",
        lastName: id.slice(-6),
        ...overrides,
      })
      .returning(),
    db.insert(memberships).values({ tenantId: tenant.id, userId: id }),
    db.insert(userRoles).values(roleRows.map((r) => ({ tenantId: tenant.id, userId: id, roleId: r.id }))),
  ]);
  const user = inserted[0];
  if (!user) throw new Error("user insert returned nothing");
  const token = await tokenFor(user, tenant.id, roleRows);
  return { user, tenantId: tenant.id, roles: roleNames, token };
}

/** Mints an access token for a user and roles, resolved exactly as login resolves them. */
export async function tokenFor(
  user: { id: string; isSuperAdmin: boolean },
  tenantId: string,
  roleRows: (typeof roles.$inferSelect)[],
): Promise<string> {
  const grants = resolveGrants(roleRows);
  const { token } = await signAccessToken(loadConfig(env), {
    sub: user.id,
    tid: tenantId,
    roles: roleRows.map((r) => r.name),
    perms: grants.permissions,
    scope: grants.scope,
    sid: uuidv7(),
    ...(user.isSuperAdmin ? { sa: true } : {}),
  });
  return token;
}

/** A custom role in `tenant` (for "a role without the permission"). */
export async function createCustomRole(
  tenant: { id: string },
  name: string,
  permissions: string[] = [],
): Promise<void> {
  await testDb()
    .insert(roles)
    .values({ tenantId: tenant.id, id: uuidv7(), name, permissions, scope: "own", isSystem: false });
}

/** Makes an existing user a member of another tenant with the named roles. */
export async function addMembership(
  tenant: { id: string },
  userId: string,
  roleNames: string[],
): Promise<void> {
  const db = testDb();
  const roleRows = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenant.id), inArray(roles.name, roleNames)));
  if (roleRows.length !== roleNames.length) throw new Error(`unknown role in ${roleNames.join(",")}`);
  await db.batch([
    db.insert(memberships).values({ tenantId: tenant.id, userId }),
    db.insert(userRoles).values(roleRows.map((r) => ({ tenantId: tenant.id, userId, roleId: r.id }))),
  ]);
}
