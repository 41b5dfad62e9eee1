import { describe, expect, it } from "vitest";
import { createTenant, createUser } from "../helpers/factories";
import { call } from "../helpers/http";

type UserBody = { data: { id: string; roles: string[] } };

describe("seed 002's role names are aliases", () => {
  it("employee → member (checks in, requests leave, reads own records), org_admin → admin", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const created = await call<UserBody>("POST", "/api/users", {
      token: admin.token,
      body: {
        email: `emp-${tenant.id}@example.test`,
        password: "Str0ng-Passw0rd!",
        first_name: "Seed",
        last_name: "Employee",
        role: "employee",
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.data.roles).toEqual(["member"]);
    const assigned = await call<UserBody>("POST", `/api/users/${created.json.data.id}/roles`, {
      token: admin.token,
      body: { roles: ["org_admin", "employee"] },
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect([...assigned.json.data.roles].sort()).toEqual(["admin", "member"]);
    const filtered = await call<{ data: { id: string }[] }>("GET", "/api/users?role=org_admin", {
      token: admin.token,
    });
    expect(filtered.status).toBe(200);
    expect(filtered.json.data.map((u) => u.id)).toContain(created.json.data.id);
  });
});

describe("/api/v2 (seed 002's clients)", () => {
  it("serves the same routes as /api", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const v2 = await call<{ data: unknown[] }>("GET", "/api/v2/attendance/records", { token: admin.token });
    const v = await call<{ data: unknown[] }>("GET", "/api/attendance/records", { token: admin.token });
    expect(v2.status).toBe(200);
    expect(v2.json).toEqual(v.json);
    expect((await call("GET", "/api/v2/health/ready")).status).toBe(200);
  });
});
