import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { roles, systemAudit, tenants } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { addMembership, createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";

interface TenantList {
  data: { id: string; name: string }[];
  pagination: { page: number; page_size: number; total: number | null; pages: number | null };
}

describeTenantIsolation({
  name: "GET /api/sites/:id",
  method: "GET",
  path: (id) => `/api/sites/${id}`,
  permission: null,
  create: async (tenant) => tenant.id,
  snapshot: async (_t, id) => (await testDb().select().from(tenants).where(eq(tenants.id, id)))[0],
  // Membership is the right: any member sees their own site, nobody sees another tenant's.
  allowedRoles: ["agent"],
});

describe("GET /api/tenants", () => {
  it("a tenant admin sees only their own tenant, in one round trip", async () => {
    const [mine] = await Promise.all([createTenant({ name: "Mine" }), createTenant({ name: "Theirs" })]);
    const admin = await createUser(mine, ["admin"]);
    const res = await call<TenantList>("GET", "/api/tenants?include_total=true", { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.json.data.map((t) => t.id)).toEqual([mine.id]);
    expect(res.json.pagination).toMatchObject({ page: 1, page_size: 25, total: 1, pages: 1 });
    expect(roundTrips(res.headers)).toBe(1);
  });

  it("a super admin lists every tenant, filtered and paginated", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await createTenant({ name: `Platform ${tag} ${i}` }));
    const home = await createTenant();
    const sa = await createUser(home, ["admin"], { isSuperAdmin: true });
    const page1 = await call<TenantList>("GET", `/api/tenants?q=${tag}&page_size=2&include_total=true`, {
      token: sa.token,
    });
    expect(page1.status).toBe(200);
    expect(page1.json.pagination).toMatchObject({ page: 1, page_size: 2, total: 3, pages: 2 });
    const page2 = await call<TenantList>("GET", `/api/tenants?q=${tag}&page_size=2&page=2`, {
      token: sa.token,
    });
    const ids = [...page1.json.data, ...page2.json.data].map((t) => t.id).sort();
    expect(ids).toEqual(created.map((t) => t.id).sort());
  });

  it("bad query values → 400", async () => {
    const admin = await createUser(await createTenant(), ["admin"]);
    for (const q of ["page_size=101", "page=0", "status=gone", "include_total=maybe", "unknown=1"]) {
      const res = await call<ErrorEnvelope>("GET", `/api/tenants?${q}`, { token: admin.token });
      expect(res.status, q).toBe(400);
    }
  });
});

describe("POST /api/tenants", () => {
  it("only a super admin creates tenants: with default roles and a system audit row, in one round trip", async () => {
    const home = await createTenant();
    const admin = await createUser(home, ["owner"]);
    const body = { name: "New Co", subdomain: `new-co-${crypto.randomUUID().slice(0, 8)}` };
    const refused = await call<ErrorEnvelope>("POST", "/api/tenants", { token: admin.token, body });
    expect(refused.status).toBe(403);

    const sa = await createUser(home, ["admin"], { isSuperAdmin: true });
    const res = await call<{ data: { id: string; slug: string; settings: { timezone: string } } }>(
      "POST",
      "/api/tenants",
      { token: sa.token, body: { ...body, settings: { timezone: "Africa/Nairobi" } } },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/tenants/${res.json.data.id}`);
    expect(res.json.data).toMatchObject({ slug: body.subdomain, settings: { timezone: "Africa/Nairobi" } });
    expect(roundTrips(res.headers)).toBe(1);
    const roleRows = await testDb().select().from(roles).where(eq(roles.tenantId, res.json.data.id));
    expect(roleRows.map((r) => r.name)).toContain("owner");
    const audit = await testDb()
      .select()
      .from(systemAudit)
      .where(and(eq(systemAudit.tenantId, res.json.data.id), eq(systemAudit.action, "tenant.create")));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorId).toBe(sa.user.id);

    const duplicate = await call<ErrorEnvelope>("POST", "/api/tenants", { token: sa.token, body });
    expect(duplicate.status).toBe(409);
    const owned = await call<ErrorEnvelope>("POST", "/api/tenants", {
      token: sa.token,
      body: { ...body, subdomain: "another-one", id: crypto.randomUUID(), status: "suspended" },
    });
    expect(owned.status).toBe(400);
  });
});

describe("sites (seed 001)", () => {
  it("GET /api/sites lists my tenants with my roles; another tenant is not found", async () => {
    const [a, b, stranger] = await Promise.all([createTenant(), createTenant(), createTenant()]);
    const me = await createUser(a, ["team_leader"]);
    await addMembership(b, me.user.id, ["agent"]);
    const res = await call<{ data: { id: string; role: string; is_active: boolean }[] }>(
      "GET",
      "/api/sites",
      {
        token: me.token,
      },
    );
    expect(res.status).toBe(200);
    expect(res.json.data.map((s) => [s.id, s.role, s.is_active])).toEqual([
      [a.id, "team_leader", true],
      [b.id, "agent", false],
    ]);
    expect(roundTrips(res.headers)).toBe(1);
    const one = await call<{ data: { id: string } }>("GET", `/api/sites/${b.id}`, { token: me.token });
    expect(one.json.data.id).toBe(b.id);
    expect((await call("GET", `/api/sites/${stranger.id}`, { token: me.token })).status).toBe(404);
    expect((await call("GET", "/api/sites/not-a-uuid", { token: me.token })).status).toBe(400);
  });
});
