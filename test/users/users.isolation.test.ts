import { eq } from "drizzle-orm";
import { memberships, users } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createUser, type TenantRow } from "../helpers/factories";
import { describeTenantIsolation } from "../helpers/isolation";
import { describeCollectionIsolation, newUserBody, snapshotMember } from "../helpers/users";

const createMember = async (tenant: TenantRow) => (await createUser(tenant, ["agent"])).user.id;
const snapshot = (tenant: TenantRow, id: string) => snapshotMember(tenant.id, id);

/** The tenant's members with their user rows, as the database has them. */
const members = async (tenant: TenantRow) =>
  (
    await testDb()
      .select({ user: users, status: memberships.status })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenant.id))
  ).sort((a, b) => a.user.id.localeCompare(b.user.id));

describeCollectionIsolation({
  name: "GET /api/users",
  method: "GET",
  path: "/api/users?page_size=100",
  permission: "users:read",
  seed: createMember,
  snapshot: members,
  listedIds: (json) => (json as { data: { id: string }[] }).data.map((u) => u.id),
});

describeCollectionIsolation({
  name: "POST /api/users",
  method: "POST",
  path: "/api/users",
  permission: "users:write",
  body: () => newUserBody(),
  seed: createMember,
  snapshot: members,
});

describeTenantIsolation({
  name: "GET /api/users/:id",
  method: "GET",
  path: (id) => `/api/users/${id}`,
  permission: "users:read",
  create: createMember,
  snapshot,
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/users/:id`,
    method,
    path: (id) => `/api/users/${id}`,
    permission: "users:write",
    body: { first_name: "Renamed", is_active: false },
    create: createMember,
    snapshot,
  });
}

describeTenantIsolation({
  name: "DELETE /api/users/:id",
  method: "DELETE",
  path: (id) => `/api/users/${id}`,
  permission: "users:delete",
  create: createMember,
  snapshot,
});

describeTenantIsolation({
  name: "POST /api/users/:id/roles",
  method: "POST",
  path: (id) => `/api/users/${id}/roles`,
  permission: "roles:assign",
  body: { roles: ["team_leader"] },
  create: createMember,
  snapshot,
});
