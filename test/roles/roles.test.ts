import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PERMISSIONS, SYSTEM_ROLE_NAMES, SYSTEM_ROLES } from "../../src/core/auth/permissions";
import { auditLogs, roles } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { createUsers, insertRole, snapshotRole } from "../helpers/users";

interface RoleDto {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  scope: string;
  is_system: boolean;
  user_count: number;
  created_at: string;
  updated_at: string;
}
type One = { data: RoleDto } & ErrorEnvelope;
type Many = { data: RoleDto[]; pagination: { total: number } } & ErrorEnvelope;

const auditFor = (tenantId: string, entityId: string) =>
  testDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.entityId, entityId)));

async function adminTenant() {
  const tenant = await createTenant();
  return { tenant, admin: await createUser(tenant, ["admin"]) };
}

describe("GET /api/roles", () => {
  it("lists system roles from the catalogue, custom roles as stored, with user counts; content ETag → 304", async () => {
    const { tenant, admin } = await adminTenant();
    await createUsers(tenant, ["agent"], ["agent"]);
    const custom = await insertRole(tenant, {
      name: "auditor",
      permissions: ["audit:read"],
      scope: "tenant",
    });
    // A stale stored array for a system role does not matter: the catalogue wins.
    await testDb()
      .update(roles)
      .set({ permissions: [] })
      .where(and(eq(roles.tenantId, tenant.id), eq(roles.name, "agent")));

    const res = await call<Many>("GET", "/api/roles", { token: admin.token });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    const byName = new Map(res.json.data.map((r) => [r.name, r]));
    expect(res.json.data).toHaveLength(SYSTEM_ROLE_NAMES.length + 1);
    expect(res.json.pagination.total).toBe(SYSTEM_ROLE_NAMES.length + 1);
    expect(byName.get("admin")).toMatchObject({ is_system: true, scope: "tenant", user_count: 1 });
    expect(byName.get("admin")?.permissions).toEqual([...PERMISSIONS].sort());
    expect(byName.get("agent")).toMatchObject({
      permissions: [...SYSTEM_ROLES.agent.permissions].sort(),
      scope: "own",
      user_count: 2,
    });
    expect(byName.get("auditor")).toMatchObject({
      id: custom.id,
      is_system: false,
      permissions: ["audit:read"],
      scope: "tenant",
      user_count: 0,
    });

    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const cached = await call("GET", "/api/roles", {
      token: admin.token,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(cached.status).toBe(304);
    // A change in the data changes the tag.
    await createUser(tenant, ["auditor"]);
    const changed = await call("GET", "/api/roles", {
      token: admin.token,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(changed.status).toBe(200);
  });

  it("a team leader (roles:read) may read; an agent (no roles:read) may not", async () => {
    const tenant = await createTenant();
    const [leader, agent] = await createUsers(tenant, ["team_leader"], ["agent"]);
    expect((await call("GET", "/api/roles", { token: leader.token })).status).toBe(200);
    expect((await call("GET", "/api/roles", { token: agent.token })).status).toBe(403);
  });
});

describe("POST /api/roles", () => {
  it("creates a custom role with its audit row in one round trip: 201, ETag, Location", async () => {
    const { tenant, admin } = await adminTenant();
    const res = await call<One>("POST", "/api/roles", {
      token: admin.token,
      body: {
        name: "merchandiser",
        description: "Shelf work",
        permissions: ["users:read", "teams:read", "users:read"],
        scope: "team",
      },
    });
    expect(res.status).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({
      name: "merchandiser",
      description: "Shelf work",
      permissions: ["teams:read", "users:read"],
      scope: "team",
      is_system: false,
      user_count: 0,
    });
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("location")).toBe(`/api/roles/${res.json.data.id}`);
    const [audit] = await auditFor(tenant.id, res.json.data.id);
    expect(audit).toMatchObject({ action: "role.create", actorId: admin.user.id });
    // The role is usable at once.
    const get = await call<One>("GET", `/api/roles/${res.json.data.id}`, { token: admin.token });
    expect(get.json.data).toEqual(res.json.data);
  });

  it("permissions outside the catalogue → 400 with the field; bad scope or name → 400", async () => {
    const { tenant, admin } = await adminTenant();
    const cases: [unknown, string][] = [
      [{ name: "r_one", permissions: ["users:read", "users:fly"], scope: "own" }, "permissions.1"],
      [{ name: "r_two", permissions: ["users:read"], scope: "galaxy" }, "scope"],
      [{ name: "Bad Name", permissions: [], scope: "own" }, "name"],
      [{ name: "r_three", scope: "own" }, "permissions"],
      [{ name: "r_four", permissions: [], scope: "own", is_system: true }, "is_system"],
      [{ name: "r_five", permissions: [], scope: "own", tenant_id: tenant.id }, "tenant_id"],
      [{ name: "r_six", permissions: [], scope: "own", id: admin.user.id }, "id"],
      [{ name: "r_seven", permissions: [], scope: "own", created_by: admin.user.id }, "created_by"],
    ];
    for (const [body, field] of cases) {
      const res = await call<One>("POST", "/api/roles", { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    const stored = await testDb().select().from(roles).where(eq(roles.tenantId, tenant.id));
    expect(stored).toHaveLength(SYSTEM_ROLE_NAMES.length);
  });

  it("a duplicate name (a system name included) → 409", async () => {
    const { admin } = await adminTenant();
    const body = { name: "closer", permissions: ["users:read"], scope: "own" };
    expect((await call("POST", "/api/roles", { token: admin.token, body })).status).toBe(201);
    const again = await call<One>("POST", "/api/roles", { token: admin.token, body });
    expect(again.status).toBe(409);
    expect(again.json.error.details?.[0]?.field).toBe("name");
    const system = await call("POST", "/api/roles", { token: admin.token, body: { ...body, name: "admin" } });
    expect(system.status).toBe(409);
  });

  it("no escalation: a role granting a permission or scope the caller lacks → 403", async () => {
    const tenant = await createTenant();
    await insertRole(tenant, {
      name: "role_designer",
      permissions: ["roles:write", "roles:read", "users:read"],
      scope: "team",
    });
    const designer = await createUser(tenant, ["role_designer"]);
    const more = await call<One>("POST", "/api/roles", {
      token: designer.token,
      body: { name: "sneaky", permissions: ["users:read", "users:delete"], scope: "own" },
    });
    expect(more.status).toBe(403);
    expect(more.json.error.details).toEqual([
      { field: "permissions", message: "You do not have users:delete" },
    ]);
    const wider = await call<One>("POST", "/api/roles", {
      token: designer.token,
      body: { name: "sneaky", permissions: ["users:read"], scope: "tenant" },
    });
    expect(wider.status).toBe(403);
    expect(wider.json.error.details?.[0]?.field).toBe("scope");
    const fine = await call<One>("POST", "/api/roles", {
      token: designer.token,
      body: { name: "reader", permissions: ["users:read"], scope: "team" },
    });
    expect(fine.status).toBe(201);
  });
});

describe("GET /api/roles/:id", () => {
  it("returns the role with a version ETag; If-None-Match → 304", async () => {
    const { tenant, admin } = await adminTenant();
    const role = await insertRole(tenant, { name: "closer" });
    const res = await call<One>("GET", `/api/roles/${role.id}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.headers.get("etag")).toBe('"v1"');
    const cached = await call("GET", `/api/roles/${role.id}`, {
      token: admin.token,
      headers: { "if-none-match": '"v1"' },
    });
    expect(cached.status).toBe(304);
  });
});

describe("PUT/PATCH /api/roles/:id", () => {
  it("updates a custom role: version bump, audit with old and new values, one round trip", async () => {
    const { tenant, admin } = await adminTenant();
    const role = await insertRole(tenant, { name: "closer", permissions: ["users:read"], scope: "own" });
    const res = await call<One>("PATCH", `/api/roles/${role.id}`, {
      token: admin.token,
      body: { permissions: ["users:read", "teams:read"], scope: "team", description: "Closes deals" },
      headers: { "if-match": '"v1"' },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({
      name: "closer",
      permissions: ["teams:read", "users:read"],
      scope: "team",
      description: "Closes deals",
    });
    expect(res.headers.get("etag")).toBe('"v2"');
    const [audit] = await auditFor(tenant.id, role.id);
    expect(audit).toMatchObject({
      action: "role.update",
      oldValues: { permissions: ["users:read"], scope: "own", description: null },
      newValues: { permissions: ["teams:read", "users:read"], scope: "team", description: "Closes deals" },
    });
    const put = await call<One>("PUT", `/api/roles/${role.id}`, {
      token: admin.token,
      body: { name: "finisher" },
    });
    expect(put.json.data).toMatchObject({ name: "finisher", scope: "team" });
  });

  it("system roles → 409; stale If-Match → 412; duplicate name → 409; nothing changed", async () => {
    const { tenant, admin } = await adminTenant();
    const [agentRole] = await testDb()
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, tenant.id), eq(roles.name, "agent")));
    if (!agentRole) throw new Error("no agent role");
    const system = await call<One>("PATCH", `/api/roles/${agentRole.id}`, {
      token: admin.token,
      body: { description: "Mine now" },
    });
    expect(system.status).toBe(409);
    expect(await snapshotRole(tenant.id, agentRole.id)).toEqual(agentRole);

    const role = await insertRole(tenant, { name: "closer" });
    const stale = await call<One>("PATCH", `/api/roles/${role.id}`, {
      token: admin.token,
      body: { description: "Late" },
      headers: { "if-match": '"v3"' },
    });
    expect(stale.status).toBe(412);
    const dup = await call<One>("PATCH", `/api/roles/${role.id}`, {
      token: admin.token,
      body: { name: "agent" },
    });
    expect(dup.status).toBe(409);
    const bad = await call<One>("PATCH", `/api/roles/${role.id}`, {
      token: admin.token,
      body: { is_system: true },
    });
    expect(bad.status).toBe(400);
    expect(await snapshotRole(tenant.id, role.id)).toEqual(role);
    expect(await auditFor(tenant.id, role.id)).toHaveLength(0);
  });

  it("two concurrent PATCHes with the same If-Match: one 200, one 412", async () => {
    const { tenant, admin } = await adminTenant();
    const role = await insertRole(tenant, { name: "closer" });
    const results = await Promise.all(
      ["First", "Second"].map((description) =>
        call<One>("PATCH", `/api/roles/${role.id}`, {
          token: admin.token,
          body: { description },
          headers: { "if-match": '"v1"' },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const after = await snapshotRole(tenant.id, role.id);
    expect(after?.version).toBe(2);
    expect(after?.description).toBe(results.find((r) => r.status === 200)?.json.data.description);
  });

  it("no escalation: you cannot widen a role beyond your rights, nor edit a role above you", async () => {
    const tenant = await createTenant();
    await insertRole(tenant, {
      name: "role_designer",
      permissions: ["roles:write", "roles:read", "users:read"],
      scope: "team",
    });
    const designer = await createUser(tenant, ["role_designer"]);
    const mine = await insertRole(tenant, { name: "reader", permissions: ["users:read"], scope: "own" });
    const strong = await insertRole(tenant, { name: "strong", permissions: ["users:delete"], scope: "own" });
    const widen = await call("PATCH", `/api/roles/${mine.id}`, {
      token: designer.token,
      body: { permissions: ["users:read", "users:write"] },
    });
    expect(widen.status).toBe(403);
    const scope = await call("PATCH", `/api/roles/${mine.id}`, {
      token: designer.token,
      body: { scope: "tenant" },
    });
    expect(scope.status).toBe(403);
    const above = await call("PATCH", `/api/roles/${strong.id}`, {
      token: designer.token,
      body: { description: "Now mine" },
    });
    expect(above.status).toBe(403);
    expect(await snapshotRole(tenant.id, strong.id)).toEqual(strong);
    const ok = await call("PATCH", `/api/roles/${mine.id}`, {
      token: designer.token,
      body: { scope: "team" },
    });
    expect(ok.status).toBe(200);
  });
});

describe("DELETE /api/roles/:id", () => {
  it("deletes an unassigned custom role with an audit row; 409 while assigned; 409 for system roles", async () => {
    const { tenant, admin } = await adminTenant();
    const role = await insertRole(tenant, { name: "closer" });
    const holder = await createUser(tenant, ["closer"]);
    const assigned = await call<One>("DELETE", `/api/roles/${role.id}`, { token: admin.token });
    expect(assigned.status).toBe(409);
    expect(await snapshotRole(tenant.id, role.id)).toEqual(role);

    const reassigned = await call("POST", `/api/users/${holder.user.id}/roles`, {
      token: admin.token,
      body: { roles: ["agent"] },
    });
    expect(reassigned.status).toBe(200);
    const stale = await call("DELETE", `/api/roles/${role.id}`, {
      token: admin.token,
      headers: { "if-match": '"v2"' },
    });
    expect(stale.status).toBe(412);
    const res = await call("DELETE", `/api/roles/${role.id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res.headers)).toBe(1);
    expect(await snapshotRole(tenant.id, role.id)).toBeUndefined();
    const [audit] = await auditFor(tenant.id, role.id);
    expect(audit).toMatchObject({ action: "role.delete", oldValues: { name: "closer" } });
    expect((await call("DELETE", `/api/roles/${role.id}`, { token: admin.token })).status).toBe(404);

    const [ownerRole] = await testDb()
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, tenant.id), eq(roles.name, "viewer")));
    const system = await call("DELETE", `/api/roles/${ownerRole?.id}`, { token: admin.token });
    expect(system.status).toBe(409);
  });
});
