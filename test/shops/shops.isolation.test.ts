import { describe, expect, it } from "vitest";
import { catalogSnapshot, createShop } from "../helpers/catalog";
import { createCustomRole, createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";

/** Every shop route runs the shared suite: 401 without a token, 403 without the permission, 404 across tenants. */

const snapshot = async (tenant: TenantRow) => catalogSnapshot(tenant.id);
const createOne = async (tenant: TenantRow) => (await createShop(tenant)).id;

describeTenantIsolation({
  name: "GET /api/shops/:id",
  method: "GET",
  path: (id) => `/api/shops/${id}`,
  permission: "shops:read",
  create: createOne,
  snapshot,
  allowedRoles: ["agent"],
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/shops/:id`,
    method,
    path: (id) => `/api/shops/${id}`,
    permission: "shops:write",
    body: (id) => ({ name: "Renamed", lat: 1, lng: 2, external_code: `X-${id}` }),
    create: createOne,
    snapshot,
  });
}

describeTenantIsolation({
  name: "DELETE /api/shops/:id",
  method: "DELETE",
  path: (id) => `/api/shops/${id}`,
  permission: "shops:write",
  create: createOne,
  snapshot,
});

describe("tenant isolation: GET /api/shops and POST /api/shops", () => {
  it("no token → 401; a role without the permission → 403; nothing written", async () => {
    const tenant = await createTenant();
    await createCustomRole(tenant, "no_rights", []);
    const caller = await createUser(tenant, ["no_rights"]);
    const before = await catalogSnapshot(tenant.id);
    for (const token of [undefined, caller.token]) {
      const list = await call<ErrorEnvelope>("GET", "/api/shops?near=0,0&radius_m=100", {
        ...(token ? { token } : {}),
      });
      const create = await call<ErrorEnvelope>("POST", "/api/shops", {
        ...(token ? { token } : {}),
        body: { name: "Nope", lat: 0, lng: 0 },
      });
      expect([list.status, create.status]).toEqual(token ? [403, 403] : [401, 401]);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("lists (plain and near) show only the caller's tenant; a create lands in the caller's tenant", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    await createShop(theirs, { name: "Theirs", lat: 0, lng: 0, externalCode: "SAME" });
    const agent = await createUser(mine, ["agent"]);
    for (const qs of ["", "?near=0,0&radius_m=1000", "?q=Theirs"]) {
      const list = await call<{ data: unknown[] }>("GET", `/api/shops${qs}`, { token: agent.token });
      expect(list.json.data, qs).toEqual([]);
    }
    const admin = await createUser(mine, ["admin"]);
    const theirsBefore = await catalogSnapshot(theirs.id);
    const created = await call("POST", "/api/shops", {
      token: admin.token,
      body: { name: "Mine", lat: 0, lng: 0, external_code: "SAME" },
    });
    expect(created.status).toBe(201);
    expect(await catalogSnapshot(theirs.id)).toEqual(theirsBefore);
  });
});
