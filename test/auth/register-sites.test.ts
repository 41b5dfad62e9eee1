import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, roles, tenants, userRoles, users } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { addMembership, createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

interface Session {
  data: {
    user: { id: string; email: string };
    tenant: { id: string; name: string; slug: string };
    access_token: string;
    refresh_token: string;
    sites: { id: string; roles: string[] }[];
  };
}

const unique = () => crypto.randomUUID().slice(0, 8);
const registration = (
  overrides: Record<string, unknown> = {},
): Record<string, unknown> & { email: string; password: string; subdomain?: string } => ({
  email: `owner-${unique()}@example.test`,
  password: "Str0ng-enough",
  first_name: "Olive",
  last_name: "Owner",
  tenant_name: "Olive's Outlets",
  ...overrides,
});

describe("POST /api/auth/register", () => {
  it("creates tenant, roles, owner and session in one round trip, audited", async () => {
    const body = registration({ subdomain: `olive-${unique()}` });
    const res = await call<Session>("POST", "/api/auth/register", { body });
    expect(res.status).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    const { user, tenant, sites, access_token, refresh_token } = res.json.data;
    expect(tenant).toMatchObject({ name: "Olive's Outlets", slug: body.subdomain });
    expect(sites).toEqual([
      { id: tenant.id, name: "Olive's Outlets", slug: body.subdomain, roles: ["owner"] },
    ]);
    const db = testDb();
    expect(await db.select().from(roles).where(eq(roles.tenantId, tenant.id))).toHaveLength(10);
    const [ownerLink] = await db.select().from(userRoles).where(eq(userRoles.userId, user.id));
    expect(ownerLink?.tenantId).toBe(tenant.id);
    const audit = await db.select().from(auditLogs).where(eq(auditLogs.tenantId, tenant.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["tenant.create", "user.register"]);
    expect(JSON.stringify(audit)).not.toContain(body.password);
    const [stored] = await db.select().from(users).where(eq(users.id, user.id));
    expect(stored?.passwordHash).toMatch(/^pbkdf2-sha256\$/);

    const me = await call<{ data: { roles: string[]; permissions: string[] } }>("GET", "/api/auth/me", {
      token: access_token,
    });
    expect(me.json.data.roles).toEqual(["owner"]);
    expect(me.json.data.permissions).toContain("tenants:write");
    expect((await call("POST", "/api/auth/refresh", { body: { refresh_token } })).status).toBe(200);
    expect(
      (await call("POST", "/api/auth/login", { body: { email: body.email, password: body.password } }))
        .status,
    ).toBe(200);
  });

  it("derives a unique slug when no subdomain is given", async () => {
    const a = await call<Session>("POST", "/api/auth/register", {
      body: registration({ tenant_name: "Same Name" }),
    });
    const b = await call<Session>("POST", "/api/auth/register", {
      body: registration({ tenant_name: "Same Name" }),
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.data.tenant.slug).toMatch(/^same-name-[a-z0-9]+$/);
    expect(a.json.data.tenant.slug).not.toBe(b.json.data.tenant.slug);
  });

  it("answers 409 for a taken email or subdomain and writes nothing", async () => {
    const taken = registration({ subdomain: `taken-${unique()}` });
    expect((await call("POST", "/api/auth/register", { body: taken })).status).toBe(201);
    const sameEmail = await call<ErrorEnvelope>("POST", "/api/auth/register", {
      body: registration({ email: taken.email.toUpperCase(), tenant_name: "Another" }),
    });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.json.error.details?.[0]?.field).toBe("email");
    const sameSub = await call<ErrorEnvelope>("POST", "/api/auth/register", {
      body: registration({ subdomain: taken.subdomain, tenant_name: "Yet another" }),
    });
    expect(sameSub.status).toBe(409);
    expect(sameSub.json.error.details?.[0]?.field).toBe("subdomain");
    const leftovers = await testDb().select().from(tenants).where(eq(tenants.name, "Yet another"));
    expect(leftovers).toEqual([]);
  });

  it("rejects weak passwords, bad fields and mass assignment", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [registration({ password: "short1" }), "password"],
      [registration({ password: "lettersonly" }), "password"],
      [registration({ email: "not-an-email" }), "email"],
      [registration({ subdomain: "Bad_Sub" }), "subdomain"],
      [registration({ roles: ["super_admin"] }), "roles"],
      [registration({ is_super_admin: true }), "is_super_admin"],
      [registration({ tenant_id: crypto.randomUUID() }), "tenant_id"],
      [registration({ id: crypto.randomUUID() }), "id"],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/auth/register", { body });
      expect(res.status, field).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        field,
      ).toContain(field);
    }
  });
});

describe("sites and switching the active tenant", () => {
  async function twoSiteUser() {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const { user } = await createUser(a, ["agent"]);
    await addMembership(b, user.id, ["manager"]);
    const login = await call<Session>("POST", "/api/auth/login", {
      body: { email: user.email, password: FACTORY_PASSWORD, tenant_id: a.id },
    });
    return { ...login.json.data, a, b, user };
  }

  it("GET /api/auth/sites lists my tenants with my roles, the active one marked", async () => {
    const s = await twoSiteUser();
    const res = await call<{ data: { id: string; roles: string[]; is_active: boolean }[] }>(
      "GET",
      "/api/auth/sites",
      {
        token: s.access_token,
      },
    );
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    const byId = Object.fromEntries(res.json.data.map((x) => [x.id, x]));
    expect(byId[s.a.id]).toMatchObject({ roles: ["agent"], is_active: true });
    expect(byId[s.b.id]).toMatchObject({ roles: ["manager"], is_active: false });
  });

  for (const [path, field] of [
    ["/api/auth/switch-tenant", "tenant_id"],
    ["/api/auth/site", "site_id"],
  ] as const) {
    it(`${path} gives a session in the other tenant and ends the old one`, async () => {
      const s = await twoSiteUser();
      const res = await call<Session>("POST", path, { token: s.access_token, body: { [field]: s.b.id } });
      expect(res.status).toBe(200);
      expect(res.json.data.tenant.id).toBe(s.b.id);
      const me = await call<{ data: { tenant: { id: string }; roles: string[] } }>("GET", "/api/auth/me", {
        token: res.json.data.access_token,
      });
      expect(me.json.data).toMatchObject({ tenant: { id: s.b.id }, roles: ["manager"] });
      expect((await call("GET", "/api/auth/me", { token: s.access_token })).status).toBe(401);
      expect(
        (await call("POST", "/api/auth/refresh", { body: { refresh_token: s.refresh_token } })).status,
      ).toBe(401);
    });
  }

  it("needs exactly one of tenant_id and site_id", async () => {
    const s = await twoSiteUser();
    for (const body of [{}, { tenant_id: s.b.id, site_id: s.b.id }, { tenant_id: "nope" }]) {
      const res = await call("POST", "/api/auth/switch-tenant", { token: s.access_token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("a tenant I do not belong to is not found, and my session survives", async () => {
    const s = await twoSiteUser();
    const stranger = await createTenant();
    const res = await call<ErrorEnvelope>("POST", "/api/auth/switch-tenant", {
      token: s.access_token,
      body: { tenant_id: stranger.id },
    });
    expect(res.status).toBe(404);
    expect((await call("GET", "/api/auth/me", { token: s.access_token })).status).toBe(200);
  });
});
