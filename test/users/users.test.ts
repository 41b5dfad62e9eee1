import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, memberships, users } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { addMembership, createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, createTeam } from "../helpers/teams";
import { createUsers, login, newUserBody, snapshotMember } from "../helpers/users";

interface UserDto {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  is_active: boolean;
  roles: string[];
  teams: { id: string; name: string; is_leader: boolean }[];
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}
type One = { data: UserDto } & ErrorEnvelope;

const auditFor = (tenantId: string, entityId: string) =>
  testDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.entityId, entityId)));

const countByEmail = async (email: string) =>
  (await testDb().select().from(users).where(sql`lower(${users.email}) = lower(${email})`)).length;

async function adminAndAgent() {
  const tenant = await createTenant();
  const [admin, agent] = await createUsers(tenant, ["admin"], ["agent"]);
  return { tenant, admin, agent };
}

describe("POST /api/users", () => {
  it("creates the user, membership, default role and audit row in one round trip", async () => {
    const { tenant, admin } = await adminAndAgent();
    const body = newUserBody({ phone: "+27 82 555 0101" });
    const res = await call<One>("POST", "/api/users", { token: admin.token, body });
    expect(res.status).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    const user = res.json.data;
    expect(user).toMatchObject({
      email: body.email,
      first_name: "New",
      phone: "+27 82 555 0101",
      is_active: true,
      roles: ["agent"],
      teams: [],
      last_login_at: null,
    });
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(res.text).not.toContain("password");
    const snap = await snapshotMember(tenant.id, user.id);
    expect(snap.membership?.status).toBe("active");
    expect(snap.user?.passwordHash).toMatch(/^pbkdf2-sha256\$/);
    const [audit] = await auditFor(tenant.id, user.id);
    expect(audit).toMatchObject({ action: "user.create", actorId: admin.user.id });
    expect(JSON.stringify(audit?.newValues)).not.toContain(body.password);
    // GET of the new user agrees with the POST answer.
    const get = await call<One>("GET", `/api/users/${user.id}`, { token: admin.token });
    expect(get.json.data).toEqual(user);
    // The new user can log in to this tenant right away.
    await login(body.email, tenant.id, body.password);
  });

  it("takes a role name of this tenant, refuses unknown names and roles above the caller", async () => {
    const { tenant, admin } = await adminAndAgent();
    const leader = await call<One>("POST", "/api/users", {
      token: admin.token,
      body: newUserBody({ role: "team_leader" }),
    });
    expect(leader.status).toBe(201);
    expect(leader.json.data.roles).toEqual(["team_leader"]);

    const unknownBody = newUserBody({ role: "wizard" });
    const unknown = await call<One>("POST", "/api/users", { token: admin.token, body: unknownBody });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details).toEqual([{ field: "role", message: "No role named wizard" }]);
    expect(await countByEmail(unknownBody.email)).toBe(0);

    const ownerBody = newUserBody({ role: "owner" });
    const owner = await call<One>("POST", "/api/users", { token: admin.token, body: ownerBody });
    expect(owner.status).toBe(403);
    expect(await countByEmail(ownerBody.email)).toBe(0);

    const realOwner = await createUser(tenant, ["owner"]);
    const byOwner = await call<One>("POST", "/api/users", { token: realOwner.token, body: ownerBody });
    expect(byOwner.status).toBe(201);
  });

  it("email is unique case-insensitively, across tenants too → 409", async () => {
    const { admin, agent } = await adminAndAgent();
    const sameTenant = await call<One>("POST", "/api/users", {
      token: admin.token,
      body: newUserBody({ email: agent.user.email.toUpperCase() }),
    });
    expect(sameTenant.status).toBe(409);
    expect(sameTenant.json.error.details?.[0]?.field).toBe("email");
    const elsewhere = await createUser(await createTenant(), ["agent"]);
    const otherTenant = await call<One>("POST", "/api/users", {
      token: admin.token,
      body: newUserBody({ email: elsewhere.user.email }),
    });
    expect(otherTenant.status).toBe(409);
  });

  it("mass assignment: server-owned fields → 400 and nothing is created", async () => {
    const { tenant, admin } = await adminAndAgent();
    const other = await createTenant();
    const cases: Record<string, unknown> = {
      tenant_id: other.id,
      roles: ["admin"],
      is_super_admin: true,
      created_by: admin.user.id,
      id: "01900000-0000-7000-8000-000000000000",
      is_active: false,
      password_hash: "x",
    };
    for (const [field, value] of Object.entries(cases)) {
      const body = newUserBody({ [field]: value });
      const res = await call<One>("POST", "/api/users", { token: admin.token, body });
      expect(res.status, field).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
      expect(await countByEmail(body.email), field).toBe(0);
    }
    const weak = await call<One>("POST", "/api/users", {
      token: admin.token,
      body: newUserBody({ password: "short" }),
    });
    expect(weak.status).toBe(400);
    expect(weak.json.error.details?.[0]?.field).toBe("password");
    const members = await testDb().select().from(memberships).where(eq(memberships.tenantId, tenant.id));
    expect(members).toHaveLength(2);
  });

  it("an agent (no users:write) cannot create users", async () => {
    const { agent } = await adminAndAgent();
    const res = await call<One>("POST", "/api/users", { token: agent.token, body: newUserBody() });
    expect(res.status).toBe(403);
  });
});

describe("GET /api/users/:id", () => {
  it("returns the DTO with roles and teams, an ETag, and 304 for If-None-Match, in one round trip", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const team = await createTeam(tenant, { name: "North" });
    await addTeamMember(team, agent.user.id, true);
    const res = await call<One>("GET", `/api/users/${agent.user.id}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toEqual({
      id: agent.user.id,
      email: agent.user.email,
      first_name: agent.user.firstName,
      last_name: agent.user.lastName,
      phone: null,
      username: null,
      is_active: true,
      roles: ["agent"],
      teams: [{ id: team.id, name: "North", is_leader: true }],
      last_login_at: null,
      created_at: agent.user.createdAt.toISOString(),
      updated_at: agent.user.updatedAt.toISOString(),
    });
    const etag = res.headers.get("etag");
    expect(etag).toBe('"v1"');
    const cached = await call("GET", `/api/users/${agent.user.id}`, {
      token: admin.token,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe("");
  });

  it("yourself always, even without users:read; others need it", async () => {
    const tenant = await createTenant();
    const { createCustomRole } = await import("../helpers/factories");
    await createCustomRole(tenant, "no_rights", []);
    const [nobody, agent] = await createUsers(tenant, ["no_rights"], ["agent"]);
    expect((await call("GET", `/api/users/${nobody.user.id}`, { token: nobody.token })).status).toBe(200);
    expect((await call("GET", `/api/users/${agent.user.id}`, { token: nobody.token })).status).toBe(403);
    // An agent (own scope) does not see a colleague: not found, not forbidden.
    const colleague = await createUser(tenant, ["agent"]);
    const res = await call<One>("GET", `/api/users/${colleague.user.id}`, { token: agent.token });
    expect(res.status).toBe(404);
  });

  it("a membership in another tenant is not visible here, and is_active is per tenant", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const other = await createTenant();
    await addMembership(other, agent.user.id, ["agent"]);
    await testDb()
      .update(memberships)
      .set({ status: "disabled" })
      .where(and(eq(memberships.tenantId, other.id), eq(memberships.userId, agent.user.id)));
    const here = await call<One>("GET", `/api/users/${agent.user.id}`, { token: admin.token });
    expect(here.json.data.is_active).toBe(true);
    const otherAdmin = await createUser(other, ["admin"]);
    const there = await call<One>("GET", `/api/users/${agent.user.id}`, { token: otherAdmin.token });
    expect(there.json.data.is_active).toBe(false);
    expect(tenant.id).not.toBe(other.id);
  });

  it("400 for a malformed id", async () => {
    const { admin } = await adminAndAgent();
    const res = await call<One>("GET", "/api/users/not-a-uuid", { token: admin.token });
    expect(res.status).toBe(400);
    expect(res.json.error.details?.[0]?.field).toBe("id");
  });
});

describe("PUT/PATCH /api/users/:id", () => {
  it("an admin updates names, phone, email and is_active; audit keeps old and new; one round trip", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const email = `renamed-${agent.user.id}@example.test`;
    const res = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { first_name: "Thandi", phone: "+27 11 555 0000", email },
      headers: { "user-agent": "admin-console/2" },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ first_name: "Thandi", phone: "+27 11 555 0000", email });
    expect(res.headers.get("etag")).toBe('"v2"');
    const [audit] = await auditFor(tenant.id, agent.user.id);
    expect(audit).toMatchObject({
      action: "user.update",
      actorId: admin.user.id,
      oldValues: { first_name: agent.user.firstName, phone: null, email: agent.user.email },
      newValues: { first_name: "Thandi", phone: "+27 11 555 0000", email },
      userAgent: "admin-console/2",
      requestId: res.headers.get("x-request-id"),
    });
    // PUT has the same partial semantics.
    const put = await call<One>("PUT", `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { last_name: "Mokoena" },
    });
    expect(put.status).toBe(200);
    expect(put.json.data).toMatchObject({ first_name: "Thandi", last_name: "Mokoena", email });
    expect(put.headers.get("etag")).toBe('"v3"');
  });

  it("is_active=false disables the membership and ends the sessions; true restores it", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const session = await login(agent.user.email, tenant.id);
    const off = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { is_active: false },
    });
    expect(off.status).toBe(200);
    expect(off.json.data.is_active).toBe(false);
    expect((await call("GET", "/api/auth/me", { token: session.access_token })).status).toBe(401);
    const refresh = await call("POST", "/api/auth/refresh", {
      body: { refresh_token: session.refresh_token },
    });
    expect(refresh.status).toBe(401);
    const [audit] = await auditFor(tenant.id, agent.user.id);
    expect(audit).toMatchObject({ oldValues: { is_active: true }, newValues: { is_active: false } });
    const on = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { is_active: true },
    });
    expect(on.json.data.is_active).toBe(true);
    await login(agent.user.email, tenant.id);
  });

  it("self: names and phone only; email or is_active on yourself → 403", async () => {
    const { agent, admin } = await adminAndAgent();
    const mine = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
      token: agent.token,
      body: { first_name: "Me", last_name: "Myself", phone: "+27 82 000 0000" },
    });
    expect(mine.status).toBe(200);
    expect(mine.json.data).toMatchObject({ first_name: "Me", last_name: "Myself" });
    for (const body of [{ is_active: false }, { email: "me@example.test" }]) {
      const res = await call<One>("PATCH", `/api/users/${agent.user.id}`, { token: agent.token, body });
      expect(res.status, JSON.stringify(body)).toBe(403);
    }
    // Admins too: nobody changes their own active flag.
    const before = await snapshotMember(admin.tenantId, admin.user.id);
    const adminSelf = await call<One>("PATCH", `/api/users/${admin.user.id}`, {
      token: admin.token,
      body: { is_active: false },
    });
    expect(adminSelf.status).toBe(403);
    expect(await snapshotMember(admin.tenantId, admin.user.id)).toEqual(before);
    // An agent cannot change someone else at all.
    const other = await call<One>("PATCH", `/api/users/${admin.user.id}`, {
      token: agent.token,
      body: { first_name: "Hacked" },
    });
    expect(other.status).toBe(403);
  });

  it("mass assignment: roles, tenant_id, is_super_admin, created_by, id → 400, nothing changed", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const before = await snapshotMember(tenant.id, agent.user.id);
    const cases: Record<string, unknown> = {
      roles: ["admin"],
      tenant_id: (await createTenant()).id,
      is_super_admin: true,
      created_by: admin.user.id,
      id: admin.user.id,
      password: "N3w-password!",
      version: 9,
    };
    for (const [field, value] of Object.entries(cases)) {
      for (const who of [admin, agent]) {
        const res = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
          token: who.token,
          body: { first_name: "Changed", [field]: value },
        });
        expect(res.status, field).toBe(400);
        expect(res.json.error.details?.map((d) => d.field)).toContain(field);
      }
    }
    const empty = await call<One>("PATCH", `/api/users/${agent.user.id}`, { token: admin.token, body: {} });
    expect(empty.status).toBe(400);
    expect(await snapshotMember(tenant.id, agent.user.id)).toEqual(before);
  });

  it("duplicate email → 409, nothing changed", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const before = await snapshotMember(tenant.id, agent.user.id);
    const res = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { email: admin.user.email.toUpperCase() },
    });
    expect(res.status).toBe(409);
    expect(await snapshotMember(tenant.id, agent.user.id)).toEqual(before);
    expect(await auditFor(tenant.id, agent.user.id)).toHaveLength(0);
  });

  it("an admin cannot change an owner (a role with rights the admin lacks) → 403", async () => {
    const tenant = await createTenant();
    const [admin, owner] = await createUsers(tenant, ["admin"], ["owner"]);
    const before = await snapshotMember(tenant.id, owner.user.id);
    for (const body of [{ email: "takeover@example.test" }, { is_active: false }, { first_name: "X" }]) {
      const res = await call<One>("PATCH", `/api/users/${owner.user.id}`, { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(403);
    }
    expect(await snapshotMember(tenant.id, owner.user.id)).toEqual(before);
    const byOwner = await call<One>("PATCH", `/api/users/${admin.user.id}`, {
      token: owner.token,
      body: { first_name: "Fine" },
    });
    expect(byOwner.status).toBe(200);
  });

  it("If-Match: stale → 412 with nothing changed; the current version → 200", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const before = await snapshotMember(tenant.id, agent.user.id);
    for (const tag of ['"v7"', '"v0"', "garbage"]) {
      const stale = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
        token: admin.token,
        body: { first_name: "Stale" },
        headers: { "if-match": tag },
      });
      expect(stale.status, tag).toBe(412);
      expect(stale.json.error.code).toBe("PRECONDITION_FAILED");
    }
    expect(await snapshotMember(tenant.id, agent.user.id)).toEqual(before);
    expect(await auditFor(tenant.id, agent.user.id)).toHaveLength(0);
    const ok = await call<One>("PATCH", `/api/users/${agent.user.id}`, {
      token: admin.token,
      body: { first_name: "Fresh" },
      headers: { "if-match": '"v1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe('"v2"');
    // 404 and 412 are told apart in the same round trip.
    const missing = await call<One>("PATCH", "/api/users/01900000-0000-7000-8000-000000000000", {
      token: admin.token,
      body: { first_name: "Ghost" },
      headers: { "if-match": '"v1"' },
    });
    expect(missing.status).toBe(404);
    expect(roundTrips(missing.headers)).toBe(1);
  });

  it("two concurrent PATCHes with the same If-Match: exactly one 200, one 412", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const [a, b] = await Promise.all(
      ["Alpha", "Bravo"].map((first_name) =>
        call<One>("PATCH", `/api/users/${agent.user.id}`, {
          token: admin.token,
          body: { first_name },
          headers: { "if-match": '"v1"' },
        }),
      ),
    );
    expect([a?.status, b?.status].sort()).toEqual([200, 412]);
    const winner = a?.status === 200 ? a : b;
    const after = await snapshotMember(tenant.id, agent.user.id);
    expect(after.user?.firstName).toBe(winner?.json.data.first_name);
    expect(after.user?.version).toBe(2);
    expect(await auditFor(tenant.id, agent.user.id)).toHaveLength(1);
  });
});

describe("DELETE /api/users/:id", () => {
  it("disables the membership, revokes the sessions in this tenant, kills the access token at once", async () => {
    const { tenant, admin, agent } = await adminAndAgent();
    const session = await login(agent.user.email, tenant.id);
    expect((await call("GET", "/api/auth/me", { token: session.access_token })).status).toBe(200);
    const other = await createTenant();
    await addMembership(other, agent.user.id, ["agent"]);
    const elsewhere = await login(agent.user.email, other.id);

    const res = await call("DELETE", `/api/users/${agent.user.id}`, { token: admin.token });
    expect(res.status).toBe(204);
    expect(roundTrips(res.headers)).toBe(1);

    expect((await call("GET", "/api/auth/me", { token: session.access_token })).status).toBe(401);
    expect((await call("GET", `/api/users/${agent.user.id}`, { token: session.access_token })).status).toBe(
      401,
    );
    const refresh = await call("POST", "/api/auth/refresh", {
      body: { refresh_token: session.refresh_token },
    });
    expect(refresh.status).toBe(401);
    // They cannot log back in to this tenant…
    const relogin = await call("POST", "/api/auth/login", {
      body: { email: agent.user.email, password: "Factory-Passw0rd!", tenant_id: tenant.id },
    });
    expect(relogin.status).toBe(401);
    // …but the person and their other membership live on (a refresh there mints a fresh token).
    const there = await call<{ data: { access_token: string } }>("POST", "/api/auth/refresh", {
      body: { refresh_token: elsewhere.refresh_token },
    });
    expect(there.status).toBe(200);
    expect((await call("GET", "/api/auth/me", { token: there.json.data.access_token })).status).toBe(200);

    const snap = await snapshotMember(tenant.id, agent.user.id);
    expect(snap.membership?.status).toBe("disabled");
    expect(snap.user?.isActive).toBe(true);
    expect(snap.user?.version).toBe(2);
    expect(snap.roleIds).toHaveLength(1);
    const [audit] = await auditFor(tenant.id, agent.user.id);
    expect(audit).toMatchObject({ action: "user.disable", actorId: admin.user.id });

    const shown = await call<One>("GET", `/api/users/${agent.user.id}`, { token: admin.token });
    expect(shown.json.data.is_active).toBe(false);
    // Deleting again is a no-op 204 (no second audit row).
    expect((await call("DELETE", `/api/users/${agent.user.id}`, { token: admin.token })).status).toBe(204);
    expect(await auditFor(tenant.id, agent.user.id)).toHaveLength(1);
  });

  it("you cannot delete yourself (403); an admin cannot delete an owner (403); If-Match honoured", async () => {
    const tenant = await createTenant();
    const [admin, owner, agent] = await createUsers(tenant, ["admin"], ["owner"], ["agent"]);
    const self = await call<ErrorEnvelope>("DELETE", `/api/users/${admin.user.id}`, { token: admin.token });
    expect(self.status).toBe(403);
    const up = await call<ErrorEnvelope>("DELETE", `/api/users/${owner.user.id}`, { token: admin.token });
    expect(up.status).toBe(403);
    expect((await snapshotMember(tenant.id, owner.user.id)).membership?.status).toBe("active");
    const stale = await call<ErrorEnvelope>("DELETE", `/api/users/${agent.user.id}`, {
      token: admin.token,
      headers: { "if-match": '"v5"' },
    });
    expect(stale.status).toBe(412);
    expect((await snapshotMember(tenant.id, agent.user.id)).membership?.status).toBe("active");
    const ok = await call("DELETE", `/api/users/${agent.user.id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
    });
    expect(ok.status).toBe(204);
  });
});
