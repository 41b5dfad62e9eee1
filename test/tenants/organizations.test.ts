import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SYSTEM_ROLES } from "../../src/core/auth/permissions";
import { auditLogs, memberships, refreshTokens, roles, userRoles } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { addMembership, createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";

/** Ids here are `<tenant id>/members/<user id>` so the isolation suite can name both. */
async function createMember(tenant: TenantRow): Promise<string> {
  const member = await createUser(tenant, ["member"]);
  return `${tenant.id}/members/${member.user.id}`;
}

async function snapshotMember(_tenant: TenantRow, id: string) {
  const [tenantId = "", , userId = ""] = id.split("/");
  const db = testDb();
  const [membership] = await db
    .select({ status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  const roleNames = await db
    .select({ name: roles.name })
    .from(userRoles)
    .innerJoin(roles, and(eq(roles.tenantId, userRoles.tenantId), eq(roles.id, userRoles.roleId)))
    .where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)));
  return { membership, roles: roleNames.map((r) => r.name).sort() };
}

describeTenantIsolation({
  name: "PATCH /api/organizations/:id/members/:user_id",
  method: "PATCH",
  path: (id) => `/api/organizations/${id}`,
  permission: "members:manage",
  body: { role: "manager" },
  create: createMember,
  snapshot: snapshotMember,
});

describeTenantIsolation({
  name: "DELETE /api/organizations/:id/members/:user_id",
  method: "DELETE",
  path: (id) => `/api/organizations/${id}`,
  permission: "members:manage",
  create: createMember,
  snapshot: snapshotMember,
});

describeTenantIsolation({
  name: "POST /api/organizations/:id/members",
  method: "POST",
  path: (id) => `/api/organizations/${id}/members`,
  permission: "members:manage",
  body: (tenantId: string) => ({ email: `newcomer-${tenantId}@example.test`, role: "member" }),
  create: async (tenant) => {
    // The person to add exists (in another tenant); the id names the organization.
    const elsewhere = await createTenant();
    await createUser(elsewhere, ["member"], { email: `newcomer-${tenant.id}@example.test` });
    return tenant.id;
  },
  snapshot: async (tenant) =>
    (await testDb().select().from(memberships).where(eq(memberships.tenantId, tenant.id))).length,
});

interface MemberBody {
  data: { user_id: string; email: string; status: string; roles: string[] };
}

describe("organizations", () => {
  it("GET /api/organizations/me lists my tenants with my roles, the current one active, in one round trip", async () => {
    const [a, b] = await Promise.all([createTenant({ name: "Alpha" }), createTenant({ name: "Beta" })]);
    const me = await createUser(a, ["admin"]);
    await addMembership(b, me.user.id, ["member", "viewer"]);
    const res = await call<{
      data: { id: string; name: string; role: string; roles: string[]; is_active: boolean }[];
    }>("GET", "/api/organizations/me", { token: me.token });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([
      { id: a.id, name: "Alpha", slug: a.slug, role: "admin", roles: ["admin"], is_active: true },
      { id: b.id, name: "Beta", slug: b.slug, role: "member", roles: ["member", "viewer"], is_active: false },
    ]);
    expect(roundTrips(res.headers)).toBe(1);
  });

  it("an admin adds an existing user by email; they can then log in to this tenant", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const admin = await createUser(mine, ["admin"]);
    const person = await createUser(theirs, ["agent"]);
    const res = await call<MemberBody>("POST", `/api/organizations/${mine.id}/members`, {
      token: admin.token,
      body: { email: person.user.email.toUpperCase(), role: "manager" },
    });
    expect(res.status).toBe(201);
    expect(res.json.data).toMatchObject({ user_id: person.user.id, status: "active", roles: ["manager"] });
    expect(await snapshotMember(mine, `${mine.id}/members/${person.user.id}`)).toEqual({
      membership: { status: "active" },
      roles: ["manager"],
    });
    const [audit] = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, mine.id), eq(auditLogs.action, "member.add")));
    expect(audit).toMatchObject({ actorId: admin.user.id, entityId: person.user.id });

    const again = await call<ErrorEnvelope>("POST", `/api/organizations/${mine.id}/members`, {
      token: admin.token,
      body: { user_id: person.user.id },
    });
    expect(again.status).toBe(409);
  });

  it("unknown user → 404, unknown role → 400, both fields or server-owned fields → 400", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const other = await createUser(await createTenant(), ["agent"]);
    const send = (body: unknown) =>
      call<ErrorEnvelope>("POST", `/api/organizations/${tenant.id}/members`, { token: admin.token, body });
    expect((await send({ email: "nobody-at-all@example.test" })).status).toBe(404);
    const badRole = await send({ user_id: other.user.id, role: "emperor" });
    expect(badRole.status).toBe(400);
    expect(badRole.json.error.details).toEqual([{ field: "role", message: "No role named emperor" }]);
    expect((await send({ user_id: other.user.id, email: other.user.email })).status).toBe(400);
    const owned = await send({ user_id: other.user.id, tenant_id: tenant.id, roles: ["admin"] });
    expect(owned.status).toBe(400);
    expect(owned.json.error.details?.map((d) => d.field).sort()).toEqual(["roles", "tenant_id"]);
    expect(await snapshotMember(tenant, `${tenant.id}/members/${other.user.id}`)).toEqual({
      membership: undefined,
      roles: [],
    });
  });

  it("no escalation: a custom role with members:manage cannot grant admin, and only an owner grants owner", async () => {
    const tenant = await createTenant();
    await testDb()
      .insert(roles)
      .values({
        tenantId: tenant.id,
        id: crypto.randomUUID(),
        name: "hr",
        // Everything a member has, plus managing members — but not admin's rights.
        permissions: ["members:manage", ...SYSTEM_ROLES.member.permissions],
        scope: "tenant",
        isSystem: false,
      });
    const hr = await createUser(tenant, ["hr"]);
    const admin = await createUser(tenant, ["admin"]);
    const newcomer = await createUser(await createTenant(), ["agent"]);
    const asHr = await call<ErrorEnvelope>("POST", `/api/organizations/${tenant.id}/members`, {
      token: hr.token,
      body: { user_id: newcomer.user.id, role: "admin" },
    });
    expect(asHr.status).toBe(403);
    const asAdmin = await call<ErrorEnvelope>("POST", `/api/organizations/${tenant.id}/members`, {
      token: admin.token,
      body: { user_id: newcomer.user.id, role: "owner" },
    });
    expect(asAdmin.status).toBe(403);
    expect(await snapshotMember(tenant, `${tenant.id}/members/${newcomer.user.id}`)).toEqual({
      membership: undefined,
      roles: [],
    });
    const hrMember = await call<MemberBody>("POST", `/api/organizations/${tenant.id}/members`, {
      token: hr.token,
      body: { user_id: newcomer.user.id, role: "member" },
    });
    expect(hrMember.status).toBe(201);
  });

  it("nobody changes their own role or status", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const res = await call<ErrorEnvelope>(
      "PATCH",
      `/api/organizations/${tenant.id}/members/${admin.user.id}`,
      {
        token: admin.token,
        body: { role: "owner" },
      },
    );
    expect(res.status).toBe(403);
    const del = await call<ErrorEnvelope>(
      "DELETE",
      `/api/organizations/${tenant.id}/members/${admin.user.id}`,
      {
        token: admin.token,
      },
    );
    expect(del.status).toBe(403);
  });

  it("disabling a member kills their access and refresh tokens; re-enabling restores login", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const email = `member-${crypto.randomUUID()}@example.test`;
    const login = await call<{ data: { access_token: string; refresh_token: string; user: { id: string } } }>(
      "POST",
      "/api/auth/register",
      {
        body: {
          email,
          password: "Member-Passw0rd",
          first_name: "M",
          last_name: "Ember",
          tenant_name: "Their own",
        },
      },
    );
    const memberId = login.json.data.user.id;
    await addMembership(tenant, memberId, ["agent"]);
    const session = await call<{ data: { access_token: string; refresh_token: string } }>(
      "POST",
      "/api/auth/login",
      {
        body: { email, password: "Member-Passw0rd", tenant_id: tenant.id },
      },
    );
    expect(session.status).toBe(200);
    const { access_token, refresh_token } = session.json.data;
    expect((await call("GET", "/api/auth/me", { token: access_token })).status).toBe(200);

    const res = await call<MemberBody>("PATCH", `/api/organizations/${tenant.id}/members/${memberId}`, {
      token: admin.token,
      body: { status: "disabled" },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.status).toBe("disabled");
    expect((await call("GET", "/api/auth/me", { token: access_token })).status).toBe(401);
    expect((await call("POST", "/api/auth/refresh", { body: { refresh_token } })).status).toBe(401);
    const live = await testDb()
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.userId, memberId), eq(refreshTokens.tenantId, tenant.id)));
    expect(live.every((t) => t.revokedAt !== null)).toBe(true);
  });

  it("removing a member deletes the membership and its roles", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const member = await createUser(tenant, ["agent"]);
    const res = await call("DELETE", `/api/organizations/${tenant.id}/members/${member.user.id}`, {
      token: admin.token,
    });
    expect(res.status).toBe(204);
    expect(await snapshotMember(tenant, `${tenant.id}/members/${member.user.id}`)).toEqual({
      membership: undefined,
      roles: [],
    });
    expect((await call("GET", "/api/auth/me", { token: member.token })).status).toBe(401);
  });
});
