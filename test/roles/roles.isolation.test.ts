import { eq } from "drizzle-orm";
import { roles } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import type { TenantRow } from "../helpers/factories";
import { describeTenantIsolation } from "../helpers/isolation";
import { describeCollectionIsolation, insertRole, snapshotRole } from "../helpers/users";

const createRole = async (tenant: TenantRow) => (await insertRole(tenant)).id;
const snapshot = (tenant: TenantRow, id: string) => snapshotRole(tenant.id, id);
const tenantRoles = async (tenant: TenantRow) =>
  (await testDb().select().from(roles).where(eq(roles.tenantId, tenant.id))).sort((a, b) =>
    a.id.localeCompare(b.id),
  );

describeCollectionIsolation({
  name: "GET /api/roles",
  method: "GET",
  path: "/api/roles",
  permission: "roles:read",
  seed: createRole,
  snapshot: tenantRoles,
  listedIds: (json) => (json as { data: { id: string }[] }).data.map((r) => r.id),
});

let counter = 0;
describeCollectionIsolation({
  name: "POST /api/roles",
  method: "POST",
  path: "/api/roles",
  permission: "roles:write",
  body: () => ({ name: `isolation_role_${++counter}`, permissions: ["users:read"], scope: "own" }),
  seed: createRole,
  snapshot: tenantRoles,
});

describeTenantIsolation({
  name: "GET /api/roles/:id",
  method: "GET",
  path: (id) => `/api/roles/${id}`,
  permission: "roles:read",
  create: createRole,
  snapshot,
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/roles/:id`,
    method,
    path: (id) => `/api/roles/${id}`,
    permission: "roles:write",
    body: { description: "Changed", permissions: ["users:read", "teams:read"] },
    create: createRole,
    snapshot,
  });
}

describeTenantIsolation({
  name: "DELETE /api/roles/:id",
  method: "DELETE",
  path: (id) => `/api/roles/${id}`,
  permission: "roles:write",
  create: createRole,
  snapshot,
});
