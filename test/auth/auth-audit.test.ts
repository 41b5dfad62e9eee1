import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, systemAudit } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { addMembership, createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call } from "../helpers/http";
import { login, randomIp, type SessionBody, uniqueEmail } from "./support";

async function tenantEvents(tenantId: string, actorId: string, action: string) {
  return testDb()
    .select()
    .from(auditLogs)
    .where(
      and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.actorId, actorId), eq(auditLogs.action, action)),
    );
}

async function systemEvents(action: string, email: string) {
  const rows = await testDb()
    .select()
    .from(systemAudit)
    .where(eq(systemAudit.action, action))
    .orderBy(desc(systemAudit.createdAt))
    .limit(200);
  return rows.filter((r) => (r.newValues as { email?: string } | null)?.email === email.toLowerCase());
}

/** No audit row ever carries a password or a token. */
function expectNoSecrets(rows: unknown[], ...secrets: string[]) {
  const text = JSON.stringify(rows);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("authentication events are audited", () => {
  it("login success (tenant audit) and failure (system audit), without the password", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const ip = randomIp();
    expect((await login(user.email, "Wrong-passw0rd!", ip)).status).toBe(401);
    const failed = await systemEvents("auth.login_failed", user.email);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actorId: user.id, ip, newValues: { reason: "invalid_credentials" } });
    const unknown = uniqueEmail("nobody");
    expect((await login(unknown, "Wrong-passw0rd!", ip)).status).toBe(401);
    expect(await systemEvents("auth.login_failed", unknown)).toHaveLength(1);

    const ok = await login(user.email, FACTORY_PASSWORD, ip);
    expect(ok.status).toBe(200);
    const rows = await tenantEvents(tenant.id, user.id, "auth.login");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entityType: "session", ip });
    expectNoSecrets([...failed, ...rows], FACTORY_PASSWORD, "Wrong-passw0rd!", ok.json.data.refresh_token);
  });

  it("a refused login while locked out is recorded, in the same single round trip", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const ip = randomIp();
    for (let i = 0; i < 5; i++) await login(user.email, "Wrong-passw0rd!", ip);
    const locked = await login(user.email, FACTORY_PASSWORD, ip);
    expect(locked.status).toBe(429);
    const rows = await systemEvents("auth.login_failed", user.email);
    expect(rows.filter((r) => (r.newValues as { reason: string }).reason === "locked")).toHaveLength(1);
  });

  it("logout, tenant switch and refresh-token reuse", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const { user } = await createUser(a, ["agent"]);
    await addMembership(b, user.id, ["agent"]);
    const s = await login(user.email, FACTORY_PASSWORD, randomIp());
    const switched = await call<SessionBody>("POST", "/api/auth/switch-tenant", {
      token: s.json.data.access_token,
      body: { tenant_id: b.id },
    });
    expect(switched.status).toBe(200);
    const switchRows = await tenantEvents(b.id, user.id, "auth.switch_tenant");
    expect(switchRows).toHaveLength(1);
    expect(switchRows[0]?.newValues).toEqual({ from_tenant_id: a.id });
    expect(await tenantEvents(a.id, user.id, "auth.logout")).toHaveLength(1);

    const out = await call("POST", "/api/auth/logout", { token: switched.json.data.access_token });
    expect(out.status).toBe(204);
    expect(await tenantEvents(b.id, user.id, "auth.logout")).toHaveLength(1);

    const again = await login(user.email, FACTORY_PASSWORD, randomIp());
    const next = await call<SessionBody>("POST", "/api/auth/refresh", {
      body: { refresh_token: again.json.data.refresh_token },
    });
    await call("POST", "/api/auth/refresh", { body: { refresh_token: next.json.data.refresh_token } });
    const replay = await call("POST", "/api/auth/refresh", {
      body: { refresh_token: again.json.data.refresh_token },
    });
    expect(replay.status).toBe(401);
    const reuse = await tenantEvents(a.id, user.id, "auth.refresh_reuse");
    expect(reuse).toHaveLength(1);
    expectNoSecrets(reuse, again.json.data.refresh_token, next.json.data.refresh_token);
  });

  it("forgot-password, for a known and an unknown email alike", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const unknown = uniqueEmail("ghost");
    for (const email of [user.email, unknown]) {
      const res = await call("POST", "/api/auth/forgot-password", {
        body: { email },
        headers: { "cf-connecting-ip": randomIp() },
      });
      expect(res.status).toBe(202);
    }
    const known = await systemEvents("auth.forgot_password", user.email);
    expect(known).toHaveLength(1);
    expect(known[0]).toMatchObject({ actorId: user.id, newValues: { known: true } });
    const ghost = await systemEvents("auth.forgot_password", unknown);
    expect(ghost).toHaveLength(1);
    expect(ghost[0]).toMatchObject({ actorId: null, newValues: { known: false } });
  });
});

describe("revoking a session voids its access tokens at once", () => {
  it("logout kills every access token of the session, also those minted by refreshes", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const s = await login(user.email, FACTORY_PASSWORD, randomIp());
    const r1 = await call<SessionBody>("POST", "/api/auth/refresh", {
      body: { refresh_token: s.json.data.refresh_token },
    });
    const r2 = await call<SessionBody>("POST", "/api/auth/refresh", {
      body: { refresh_token: r1.json.data.refresh_token },
    });
    const tokens = [s.json.data.access_token, r1.json.data.access_token, r2.json.data.access_token];
    for (const t of tokens) expect((await call("GET", "/api/auth/me", { token: t })).status).toBe(200);
    expect((await call("POST", "/api/auth/logout", { token: r2.json.data.access_token })).status).toBe(204);
    for (const t of tokens) expect((await call("GET", "/api/auth/me", { token: t })).status).toBe(401);
    // Another session of the same person is untouched.
    const other = await login(user.email, FACTORY_PASSWORD, randomIp());
    expect((await call("GET", "/api/auth/me", { token: other.json.data.access_token })).status).toBe(200);
  });
});
