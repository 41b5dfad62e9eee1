import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { DataScope } from "../../src/core/auth/permissions";
import { uuidv7 } from "../../src/core/ids";
import { memberships, refreshTokens, roles, userRoles, users } from "../../src/db/schema";
import { testDb } from "./db";
import {
  createCustomRole,
  createTenant,
  createUser,
  FACTORY_PASSWORD,
  type TenantRow,
  type TestUser,
} from "./factories";
import { call, type ErrorEnvelope } from "./http";

export type RoleRow = typeof roles.$inferSelect;

/** A custom role row in `tenant` (the factory's createCustomRole does not return it). */
export async function insertRole(
  tenant: { id: string },
  options: { name?: string; permissions?: string[]; scope?: DataScope; isSystem?: boolean } = {},
): Promise<RoleRow> {
  const id = uuidv7();
  const [row] = await testDb()
    .insert(roles)
    .values({
      tenantId: tenant.id,
      id,
      name: options.name ?? `custom_${id.slice(-8).replace(/-/g, "")}`,
      permissions: options.permissions ?? ["users:read"],
      scope: options.scope ?? "own",
      isSystem: options.isSystem ?? false,
    })
    .returning();
  if (!row) throw new Error("role insert returned nothing");
  return row;
}

/**
 * Several members of `tenant`, one role list each, created one after another: the embedded
 * database serves one session, and a burst of parallel factory inserts is the kind of load that
 * has been seen to trip its wire-protocol multiplexing ("unnamed prepared statement does not exist").
 */
export async function createUsers<L extends string[][]>(
  tenant: { id: string },
  ...roleLists: L
): Promise<{ [K in keyof L]: TestUser }> {
  const created: TestUser[] = [];
  for (const roleNames of roleLists) created.push(await createUser(tenant, roleNames));
  return created as { [K in keyof L]: TestUser };
}

/** Everything a users route could change about a member, read straight from the database. */
export async function snapshotMember(tenantId: string, userId: string) {
  const db = testDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const [membership] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  const roleIds = (
    await db
      .select({ roleId: userRoles.roleId })
      .from(userRoles)
      .where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)))
  )
    .map((r) => r.roleId)
    .sort();
  const liveTokens = (
    await db
      .select({ id: refreshTokens.id })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
  ).length;
  return { user, membership, roleIds, liveTokens };
}

export async function snapshotRole(tenantId: string, roleId: string) {
  return (
    await testDb()
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, tenantId), eq(roles.id, roleId)))
  )[0];
}

export interface Session {
  access_token: string;
  refresh_token: string;
}

/** Logs `email` in through the API (a real refresh token, a real access token). */
export async function login(email: string, tenantId?: string, password = FACTORY_PASSWORD): Promise<Session> {
  const res = await call<{ data: Session }>("POST", "/api/auth/login", {
    body: { email, password, ...(tenantId ? { tenant_id: tenantId } : {}) },
  });
  expect(res.status).toBe(200);
  return res.json.data;
}

/** A valid body for POST /api/users with a fresh email. */
export function newUserBody(overrides: Record<string, unknown> = {}) {
  const tag = uuidv7().slice(-12);
  return {
    email: `new-${tag}@example.test`,
    password: "Str0ng-Passw0rd",
    first_name: "New",
    last_name: `User ${tag}`,
    ...overrides,
  };
}

export interface CollectionIsolationCase {
  /** e.g. "GET /api/users" */
  name: string;
  method: "GET" | "POST";
  path: string;
  permission: string;
  /** A valid body for writes (a function when it must differ per call, e.g. a unique email). */
  body?: () => unknown;
  /** Creates one row of the collection in `tenant` and returns its id. */
  seed: (tenant: TenantRow) => Promise<string>;
  /** The collection's rows of `tenant` straight from the database, to prove nothing changed. */
  snapshot: (tenant: TenantRow) => Promise<unknown>;
  /** The ids a list response shows (GET only). */
  listedIds?: (json: unknown) => string[];
  allowedRoles?: string[];
}

/**
 * The isolation suite for routes without an id (lists and creates): no token → 401 and a role
 * without the permission → 403, each with nothing written; a list never shows another tenant's
 * rows and a create never touches another tenant; the right role in the right tenant succeeds.
 */
export function describeCollectionIsolation(c: CollectionIsolationCase): void {
  describe(`tenant isolation: ${c.name}`, () => {
    const send = (token?: string) =>
      call<ErrorEnvelope>(c.method, c.path, { token, ...(c.body ? { body: c.body() } : {}) });

    it("no token → 401, nothing changed", async () => {
      const tenant = await createTenant();
      await c.seed(tenant);
      const before = await c.snapshot(tenant);
      const res = await send();
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("AUTHENTICATION_ERROR");
      expect(await c.snapshot(tenant)).toEqual(before);
    });

    it(`a role without ${c.permission} → 403, nothing changed`, async () => {
      const tenant = await createTenant();
      await c.seed(tenant);
      await createCustomRole(tenant, "no_rights", []);
      const caller = await createUser(tenant, ["no_rights"]);
      const before = await c.snapshot(tenant);
      const res = await send(caller.token);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
      expect(await c.snapshot(tenant)).toEqual(before);
    });

    it("another tenant's rows are neither shown nor touched", async () => {
      const mine = await createTenant();
      const theirs = await createTenant();
      const mineId = await c.seed(mine);
      const theirId = await c.seed(theirs);
      const caller = await createUser(mine, c.allowedRoles ?? ["admin"]);
      const before = await c.snapshot(theirs);
      const res = await send(caller.token);
      expect(res.status).toBeLessThan(300);
      expect(await c.snapshot(theirs)).toEqual(before);
      if (c.listedIds) {
        const ids = c.listedIds(res.json);
        expect(ids).toContain(mineId);
        expect(ids).not.toContain(theirId);
      }
    });

    it("the same request in the right tenant with the right role succeeds", async () => {
      const tenant = await createTenant();
      await c.seed(tenant);
      const caller = await createUser(tenant, c.allowedRoles ?? ["admin"]);
      const res = await send(caller.token);
      expect(res.status).toBeLessThan(300);
    });
  });
}
