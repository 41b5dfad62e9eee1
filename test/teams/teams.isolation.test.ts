import { describe, expect, it } from "vitest";
import { createCustomRole, createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import { addTeamMember, createTeam, teamTree } from "../helpers/teams";

/** Every team route runs the shared suite: 401 without a token, 403 without the permission, 404 across tenants. */

const snapshot = async (tenant: TenantRow) => teamTree(tenant.id);
const createOneTeam = async (tenant: TenantRow) => (await createTeam(tenant)).id;

describeTenantIsolation({
  name: "GET /api/teams/:id",
  method: "GET",
  path: (id) => `/api/teams/${id}`,
  permission: "teams:read",
  create: createOneTeam,
  snapshot,
});

describeTenantIsolation({
  name: "GET /api/teams?parent_id=:id",
  method: "GET",
  path: (id) => `/api/teams?parent_id=${id}`,
  permission: "teams:read",
  create: createOneTeam,
  snapshot,
});

describeTenantIsolation({
  name: "GET /api/teams?ancestor_id=:id",
  method: "GET",
  path: (id) => `/api/teams?ancestor_id=${id}`,
  permission: "teams:read",
  create: createOneTeam,
  snapshot,
});

describeTenantIsolation({
  name: "POST /api/teams (parent in the tenant)",
  method: "POST",
  path: () => "/api/teams",
  permission: "teams:write",
  body: (id) => ({ name: "Child team", parent_id: id }),
  create: createOneTeam,
  snapshot,
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/teams/:id`,
    method,
    path: (id) => `/api/teams/${id}`,
    permission: "teams:write",
    body: { name: "Renamed", description: "New description" },
    create: createOneTeam,
    snapshot,
  });

  describeTenantIsolation({
    name: `${method} /api/teams/:id (move under a team of the tenant)`,
    method,
    path: (id) => `/api/teams/${id.split("|")[0]}`,
    permission: "teams:write",
    body: (id) => ({ parent_id: id.split("|")[1] }),
    create: async (tenant) => {
      const [team, parent] = await Promise.all([createTeam(tenant), createTeam(tenant)]);
      return `${team.id}|${parent.id}`;
    },
    snapshot,
  });
}

/** The team's id and a user of the same tenant, for the member routes' bodies and paths. */
const memberUsers = new Map<string, string>();

describeTenantIsolation({
  name: "POST /api/teams/:id/members",
  method: "POST",
  path: (id) => `/api/teams/${id}/members`,
  permission: "teams:write",
  body: (id) => ({ user_id: memberUsers.get(id), is_leader: true }),
  create: async (tenant) => {
    const [team, user] = await Promise.all([createTeam(tenant), createUser(tenant, ["agent"])]);
    memberUsers.set(team.id, user.user.id);
    return team.id;
  },
  snapshot,
});

describeTenantIsolation({
  name: "DELETE /api/teams/:id/members/:user_id",
  method: "DELETE",
  path: (id) => `/api/teams/${id}`,
  permission: "teams:write",
  create: async (tenant) => {
    const [team, user] = await Promise.all([createTeam(tenant), createUser(tenant, ["agent"])]);
    await addTeamMember(team, user.user.id);
    return `${team.id}/members/${user.user.id}`;
  },
  snapshot,
});

describe("tenant isolation: GET /api/teams (the list)", () => {
  it("no token → 401; a role without teams:read → 403", async () => {
    const tenant = await createTenant();
    expect((await call<ErrorEnvelope>("GET", "/api/teams")).status).toBe(401);
    await createCustomRole(tenant, "no_rights", []);
    const caller = await createUser(tenant, ["no_rights"]);
    const res = await call<ErrorEnvelope>("GET", "/api/teams", { token: caller.token });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
  });

  it("lists only the caller's tenant, whatever the filters", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const [own, other] = await Promise.all([
      createTeam(mine, { name: "Shared name" }),
      createTeam(theirs, { name: "Shared name" }),
    ]);
    const admin = await createUser(mine, ["admin"]);
    const res = await call<{ data: { id: string }[] }>("GET", "/api/teams?q=shared&page_size=100", {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    expect(res.json.data.map((t) => t.id)).toEqual([own.id]);
    expect(res.json.data.map((t) => t.id)).not.toContain(other.id);
  });

  it("X-Tenant-ID from someone who is not a platform administrator → 403", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const admin = await createUser(mine, ["admin"]);
    const res = await call<ErrorEnvelope>("GET", "/api/teams", {
      token: admin.token,
      headers: { "x-tenant-id": theirs.id },
    });
    expect(res.status).toBe(403);
  });
});
