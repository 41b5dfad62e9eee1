import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SYSTEM_ROLES, type SystemRoleName } from "../../src/core/auth/permissions";
import { auditLogs } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createCustomRole, createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, createTeam } from "../helpers/teams";
import { createUsers, insertRole, login, snapshotMember } from "../helpers/users";

/** The permissions of the named system roles (from the live catalogue) plus `extra`. */
const rights = (a: SystemRoleName, b: SystemRoleName, extra: string[]) => [
  ...new Set([...SYSTEM_ROLES[a].permissions, ...SYSTEM_ROLES[b].permissions, ...extra]),
];

type One = { data: { id: string; roles: string[] } } & ErrorEnvelope;

const assign = (token: string, userId: string, roles: unknown, headers: Record<string, string> = {}) =>
  call<One>("POST", `/api/users/${userId}/roles`, { token, body: { roles }, headers });

describe("POST /api/users/:id/roles", () => {
  it("sets the roles to exactly the list, audited, in one round trip, and bumps the ETag", async () => {
    const tenant = await createTenant();
    const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
    const res = await assign(admin.token, agent.user.id, ["team_leader", "viewer", "team_leader"]);
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.roles).toEqual(["team_leader", "viewer"]);
    expect(res.headers.get("etag")).toBe('"v2"');
    const [audit] = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, agent.user.id)));
    expect(audit).toMatchObject({
      action: "user.roles.set",
      actorId: admin.user.id,
      oldValues: { roles: ["agent"] },
      newValues: { roles: ["team_leader", "viewer"] },
    });
    const back = await assign(admin.token, agent.user.id, ["agent"], { "if-match": '"v2"' });
    expect(back.json.data.roles).toEqual(["agent"]);
    expect((await snapshotMember(tenant.id, agent.user.id)).roleIds).toHaveLength(1);
  });

  it("the new roles reach the user's token at the next refresh", async () => {
    const tenant = await createTenant();
    const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
    const session = await login(agent.user.email, tenant.id);
    expect((await assign(admin.token, agent.user.id, ["team_leader"])).status).toBe(200);
    const stale = await call<{ data: { roles: string[] } }>("GET", "/api/auth/me", {
      token: session.access_token,
    });
    expect(stale.json.data.roles).toEqual(["agent"]);
    const refreshed = await call<{ data: { access_token: string } }>("POST", "/api/auth/refresh", {
      body: { refresh_token: session.refresh_token },
    });
    const me = await call<{ data: { roles: string[]; scope: string } }>("GET", "/api/auth/me", {
      token: refreshed.json.data.access_token,
    });
    expect(me.json.data).toMatchObject({ roles: ["team_leader"], scope: "team" });
  });

  it("nobody changes their own roles → 403", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant, ["owner"]);
    const before = await snapshotMember(tenant.id, owner.user.id);
    const res = await assign(owner.token, owner.user.id, ["owner", "admin"]);
    expect(res.status).toBe(403);
    expect(await snapshotMember(tenant.id, owner.user.id)).toEqual(before);
  });

  it("only an owner grants or removes owner", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant, ["owner"]);
    const admin = await createUser(tenant, ["admin"]);
    const agent = await createUser(tenant, ["agent"]);
    const coOwner = await createUser(tenant, ["owner"]);
    const grant = await assign(admin.token, agent.user.id, ["owner"]);
    expect(grant.status).toBe(403);
    expect(grant.json.error.code).toBe("AUTHORIZATION_ERROR");
    const strip = await assign(admin.token, coOwner.user.id, ["agent"]);
    expect(strip.status).toBe(403);
    expect((await snapshotMember(tenant.id, coOwner.user.id)).roleIds).toHaveLength(1);
    expect((await assign(owner.token, agent.user.id, ["owner"])).status).toBe(200);
    expect((await assign(owner.token, coOwner.user.id, ["admin"])).json.data.roles).toEqual(["admin"]);
  });

  it("an admin-created custom role cannot be granted by a user lacking its permissions", async () => {
    const tenant = await createTenant();
    const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
    const created = await call<{ data: { name: string } }>("POST", "/api/roles", {
      token: admin.token,
      body: { name: "auditor", permissions: ["audit:read", "users:read"], scope: "tenant" },
    });
    expect(created.status).toBe(201);
    // An assigner with roles:assign and a member's rights, tenant scope — but no audit:read.
    await insertRole(tenant, {
      name: "assigner",
      permissions: rights("member", "agent", ["roles:assign"]),
      scope: "tenant",
    });
    const assigner = await createUser(tenant, ["assigner"]);
    const before = await snapshotMember(tenant.id, agent.user.id);
    const res = await assign(assigner.token, agent.user.id, ["auditor"]);
    expect(res.status).toBe(403);
    expect(await snapshotMember(tenant.id, agent.user.id)).toEqual(before);
    // A scope wider than the caller's is refused too: a team-scoped assigner leading the agent's
    // team has every permission of area_manager, but not its subtree scope.
    await insertRole(tenant, {
      name: "team_assigner",
      permissions: rights("area_manager", "team_leader", ["roles:assign"]),
      scope: "team",
    });
    const lead = await createUser(tenant, ["team_assigner"]);
    const team = await createTeam(tenant);
    await addTeamMember(team, lead.user.id, true);
    await addTeamMember(team, agent.user.id);
    expect((await assign(lead.token, agent.user.id, ["agent", "area_manager"])).status).toBe(403);
    const leader = await assign(lead.token, agent.user.id, ["agent", "team_leader"]);
    expect(leader.status).toBe(200);
    expect((await assign(lead.token, agent.user.id, ["agent"])).status).toBe(200);
    // Within their rights it works (member: users:read, own scope) — replacing agent, equally weak.
    const ok = await assign(assigner.token, agent.user.id, ["member"]);
    expect(ok.status).toBe(200);
    expect(ok.json.data.roles).toEqual(["member"]);
    // The admin can grant the custom role.
    expect((await assign(admin.token, agent.user.id, ["auditor"])).json.data.roles).toEqual(["auditor"]);
    // And the assigner can now neither remove it (taking away is granting in reverse).
    expect((await assign(assigner.token, agent.user.id, ["member"])).status).toBe(403);
  });

  it("unknown names → 400 with details; empty list or bad names → 400; nothing changed", async () => {
    const tenant = await createTenant();
    const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
    const before = await snapshotMember(tenant.id, agent.user.id);
    const unknown = await assign(admin.token, agent.user.id, ["agent", "wizard", "sorcerer"]);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details).toEqual([
      { field: "roles.1", message: "No role named wizard" },
      { field: "roles.2", message: "No role named sorcerer" },
    ]);
    // Another tenant's custom role is just as unknown here.
    const elsewhere = await createTenant();
    await createCustomRole(elsewhere, "their_role", []);
    expect((await assign(admin.token, agent.user.id, ["their_role"])).status).toBe(400);
    expect((await assign(admin.token, agent.user.id, [])).status).toBe(400);
    expect((await assign(admin.token, agent.user.id, ["Not A Name"])).status).toBe(400);
    const extra = await call<One>("POST", `/api/users/${agent.user.id}/roles`, {
      token: admin.token,
      body: { roles: ["agent"], tenant_id: elsewhere.id },
    });
    expect(extra.status).toBe(400);
    expect(await snapshotMember(tenant.id, agent.user.id)).toEqual(before);
  });

  it("If-Match: stale → 412 nothing changed; a user outside the scope → 404", async () => {
    const tenant = await createTenant();
    const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
    const before = await snapshotMember(tenant.id, agent.user.id);
    const stale = await assign(admin.token, agent.user.id, ["viewer"], { "if-match": '"v9"' });
    expect(stale.status).toBe(412);
    expect(await snapshotMember(tenant.id, agent.user.id)).toEqual(before);
    // A team leader with roles:assign (custom role, team scope) cannot reach an agent outside their team.
    await insertRole(tenant, {
      name: "lead_assigner",
      permissions: ["roles:assign", "users:read"],
      scope: "team",
    });
    const lead = await createUser(tenant, ["lead_assigner"]);
    expect((await assign(lead.token, agent.user.id, ["member"])).status).toBe(404);
  });

  it("two concurrent assignments with the same If-Match: one 200, one 412; the roles are one of the lists", async () => {
    const tenant = await createTenant();
    const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
    const results = await Promise.all([
      assign(admin.token, agent.user.id, ["team_leader"], { "if-match": '"v1"' }),
      assign(admin.token, agent.user.id, ["viewer", "member"], { "if-match": '"v1"' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200);
    const get = await call<One>("GET", `/api/users/${agent.user.id}`, { token: admin.token });
    expect(get.json.data.roles).toEqual(winner?.json.data.roles);
  });
});
