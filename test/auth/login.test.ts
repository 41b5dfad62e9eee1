import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_MAX_ITERATIONS, verifyPassword } from "../../src/core/auth/password";
import { refreshTokens, users } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { addMembership, createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

interface LoginBody {
  data: {
    user: { id: string; email: string; last_login_at: string | null };
    tenant: { id: string };
    access_token: string;
    refresh_token: string;
    token_type: string;
    expires_in: number;
    sites: { id: string; roles: string[] }[];
  };
}

describe("POST /api/auth/login", () => {
  it("logs in by email or username alias, in two round trips, and the token works", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"], { email: "Agent.Smith@Example.test" });
    const res = await call<LoginBody>("POST", "/api/auth/login", {
      body: { email: "agent.smith@example.test", password: FACTORY_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(2);
    expect(res.json.data).toMatchObject({
      user: { id: user.id },
      tenant: { id: tenant.id },
      token_type: "Bearer",
      expires_in: 900,
      sites: [{ id: tenant.id, roles: ["agent"] }],
    });
    expect(res.json.data.refresh_token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const stored = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(res.json.data.refresh_token);

    const me = await call<{
      data: { user: { id: string }; roles: string[]; scope: string; permissions: string[] };
    }>("GET", "/api/auth/me", { token: res.json.data.access_token });
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({ user: { id: user.id }, roles: ["agent"], scope: "own" });
    expect(roundTrips(me.headers)).toBe(1);

    const alias = await call<LoginBody>("POST", "/api/auth/login", {
      body: { username: "AGENT.SMITH@example.test", password: FACTORY_PASSWORD },
    });
    expect(alias.status).toBe(200);
  });

  it("staff without email log in by username (seed 002): set on create, unique case-insensitively, never an email", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const name = `kiosk.${crypto.randomUUID().slice(0, 8)}`;
    const created = await call<{ data: { id: string; username: string } }>("POST", "/api/users", {
      token: admin.token,
      body: {
        email: `${name}@staff.example.test`,
        username: name,
        password: FACTORY_PASSWORD,
        first_name: "Kiosk",
        last_name: "Staff",
        role: "member",
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.data.username).toBe(name);
    for (const body of [{ username: name.toUpperCase() }, { email: name }]) {
      const res = await call<LoginBody>("POST", "/api/auth/login", {
        body: { ...body, password: FACTORY_PASSWORD },
      });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.json.data.user.id).toBe(created.json.data.id);
      expect(roundTrips(res.headers)).toBe(2);
    }
    const wrong = await call<ErrorEnvelope>("POST", "/api/auth/login", {
      body: { username: name, password: "wrong-password" },
    });
    expect(wrong.status).toBe(401);

    const taken = await call<ErrorEnvelope>("POST", "/api/users", {
      token: admin.token,
      body: {
        email: `other-${name}@staff.example.test`,
        username: name.toUpperCase(),
        password: FACTORY_PASSWORD,
        first_name: "Other",
        last_name: "Staff",
      },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details).toEqual([{ field: "username", message: "Already in use" }]);
    const bad = await call<ErrorEnvelope>("PATCH", `/api/users/${created.json.data.id}`, {
      token: admin.token,
      body: { username: "has@sign" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.[0]?.field).toBe("username");
  });

  it("answers unknown email, wrong password and disabled user with the same 401", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const disabled = await createUser(tenant, ["agent"], { isActive: false });
    const attempts = [
      { email: `nobody-${crypto.randomUUID()}@example.test`, password: FACTORY_PASSWORD },
      { email: user.email, password: "wrong-password" },
      { email: disabled.user.email, password: FACTORY_PASSWORD },
    ];
    const bodies = [];
    for (const body of attempts) {
      const res = await call<ErrorEnvelope>("POST", "/api/auth/login", { body });
      expect(res.status).toBe(401);
      bodies.push(res.json.error);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toEqual({ code: "AUTHENTICATION_ERROR", message: "Invalid email or password" });
  });

  it("picks the requested tenant and refuses one the user is not a member of", async () => {
    const [a, b, c] = await Promise.all([createTenant(), createTenant(), createTenant()]);
    const { user } = await createUser(a, ["agent"]);
    await addMembership(b, user.id, ["admin"]);
    const res = await call<LoginBody>("POST", "/api/auth/login", {
      body: { email: user.email, password: FACTORY_PASSWORD, tenant_id: b.id },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.tenant.id).toBe(b.id);
    expect(res.json.data.sites.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    const refused = await call("POST", "/api/auth/login", {
      body: { email: user.email, password: FACTORY_PASSWORD, tenant_id: c.id },
    });
    expect(refused.status).toBe(401);
  });

  it("rejects malformed bodies and server-owned fields", async () => {
    for (const body of [
      { password: "x" },
      { email: "a@b.c", password: "" },
      { email: "a@b.c", password: "x", roles: ["admin"] },
    ]) {
      const res = await call<ErrorEnvelope>("POST", "/api/auth/login", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("upgrades a weaker stored hash on login", async () => {
    const tenant = await createTenant();
    const weak = await hashPassword("Upgrade-me-1", 1000);
    const { user } = await createUser(tenant, ["agent"], { passwordHash: weak });
    const res = await call("POST", "/api/auth/login", {
      body: { email: user.email, password: "Upgrade-me-1" },
    });
    expect(res.status).toBe(200);
    const [row] = await testDb().select().from(users).where(eq(users.id, user.id));
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect((await verifyPassword("Upgrade-me-1", row?.passwordHash ?? "")).valid).toBe(true);
  });
});

describe("password hashing", () => {
  it("caps PBKDF2 at the 100,000 iterations Cloudflare allows", async () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(await hashPassword("x")).toMatch(
      /^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/,
    );
    await expect(hashPassword("x", 100_001)).rejects.toThrow(RangeError);
    const tooMany =
      "pbkdf2-sha256$100001$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    expect(await verifyPassword("x", tooMany)).toEqual({ valid: false, needsRehash: false });
  });
});
