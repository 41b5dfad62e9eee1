import { describe, expect, it } from "vitest";
import { catalogSnapshot, createBrand } from "../helpers/catalog";
import { createCustomRole, createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";

/** Every brand route runs the shared suite: 401 without a token, 403 without the permission, 404 across tenants. */

const snapshot = async (tenant: TenantRow) => catalogSnapshot(tenant.id);
const createOne = async (tenant: TenantRow) => (await createBrand(tenant)).id;

describeTenantIsolation({
  name: "GET /api/brands/:id",
  method: "GET",
  path: (id) => `/api/brands/${id}`,
  permission: "brands:read",
  create: createOne,
  snapshot,
  allowedRoles: ["agent"],
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/brands/:id`,
    method,
    path: (id) => `/api/brands/${id}`,
    permission: "brands:write",
    body: { name: "Renamed", description: "New", is_active: false },
    create: createOne,
    snapshot,
  });
}

describeTenantIsolation({
  name: "DELETE /api/brands/:id",
  method: "DELETE",
  path: (id) => `/api/brands/${id}`,
  permission: "brands:write",
  create: createOne,
  snapshot,
});

describe("tenant isolation: GET /api/brands and POST /api/brands", () => {
  it("no token → 401; a role without the permission → 403; nothing written", async () => {
    const tenant = await createTenant();
    await createCustomRole(tenant, "no_rights", []);
    const caller = await createUser(tenant, ["no_rights"]);
    const before = await catalogSnapshot(tenant.id);
    for (const token of [undefined, caller.token]) {
      const list = await call<ErrorEnvelope>("GET", "/api/brands", { ...(token ? { token } : {}) });
      const create = await call<ErrorEnvelope>("POST", "/api/brands", {
        ...(token ? { token } : {}),
        body: { name: "Nope" },
      });
      expect([list.status, create.status]).toEqual(token ? [403, 403] : [401, 401]);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("the list shows only the caller's tenant; a create lands in the caller's tenant only", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    await createBrand(theirs, { name: "Theirs" });
    const admin = await createUser(mine, ["admin"]);
    const list = await call<{ data: { name: string }[] }>("GET", "/api/brands", { token: admin.token });
    expect(list.json.data).toEqual([]);
    const theirsBefore = await catalogSnapshot(theirs.id);
    const created = await call("POST", "/api/brands", { token: admin.token, body: { name: "Theirs" } });
    expect(created.status).toBe(201);
    expect((await catalogSnapshot(mine.id)).brands.map((b) => b.name)).toEqual(["Theirs"]);
    expect(await catalogSnapshot(theirs.id)).toEqual(theirsBefore);
  });
});

describeTenantIsolation({
  name: "POST /api/brands/:id/infographics",
  method: "POST",
  path: (id) => `/api/brands/${id}/infographics`,
  permission: "brands:write",
  body: { title: "Planogram", content_type: "image/jpeg", size: 1024 },
  create: createOne,
  snapshot,
});

describeTenantIsolation({
  name: "GET /api/brands/:id/infographics",
  method: "GET",
  path: (id) => `/api/brands/${id}/infographics`,
  permission: "brands:read",
  create: createOne,
  snapshot,
  allowedRoles: ["agent"],
});
