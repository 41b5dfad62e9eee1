import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, idempotencyRecords, systemAudit, tenants } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

async function poll<T>(read: () => Promise<T[]>, timeoutMs = 3000): Promise<T[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await read();
    if (rows.length > 0 || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("super admin X-Tenant-ID override", () => {
  it("a super admin acts in another tenant with every right, and each request is audited", async () => {
    const [home, target] = await Promise.all([createTenant(), createTenant({ name: "Target" })]);
    const sa = await createUser(home, ["agent"], { isSuperAdmin: true });
    const res = await call<{ data: { name: string } }>("PATCH", `/api/tenants/${target.id}`, {
      token: sa.token,
      headers: { "x-tenant-id": target.id },
      body: { name: "Renamed by platform" },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.name).toBe("Renamed by platform");
    const rows = await poll(() =>
      testDb()
        .select()
        .from(systemAudit)
        .where(and(eq(systemAudit.tenantId, target.id), eq(systemAudit.action, "tenant.override"))),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: sa.user.id,
      newValues: { method: "PATCH", path: `/api/tenants/${target.id}`, home_tenant_id: home.id },
    });
    // The change itself is audited in the target tenant, with the super admin as actor.
    const [change] = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, target.id), eq(auditLogs.action, "tenant.update")));
    expect(change?.actorId).toBe(sa.user.id);
  });

  it("the same header from anyone else → 403 and nothing changes; a malformed id → 400", async () => {
    const [home, target] = await Promise.all([createTenant(), createTenant({ name: "Untouched" })]);
    const owner = await createUser(home, ["owner"]);
    const res = await call<ErrorEnvelope>("PATCH", `/api/tenants/${target.id}`, {
      token: owner.token,
      headers: { "x-tenant-id": target.id },
      body: { name: "Hijacked" },
    });
    expect(res.status).toBe(403);
    const [row] = await testDb().select().from(tenants).where(eq(tenants.id, target.id));
    expect(row?.name).toBe("Untouched");
    const sa = await createUser(home, ["agent"], { isSuperAdmin: true });
    const bad = await call<ErrorEnvelope>("GET", `/api/tenants/${target.id}`, {
      token: sa.token,
      headers: { "x-tenant-id": "tenant-1" },
    });
    expect(bad.status).toBe(400);
  });
});

describe("Idempotency-Key", () => {
  const newTenantBody = () => ({ name: "Keyed Co", subdomain: `keyed-${crypto.randomUUID().slice(0, 12)}` });

  it("a retry replays the stored response and creates nothing more", async () => {
    const sa = await createUser(await createTenant(), ["admin"], { isSuperAdmin: true });
    const key = crypto.randomUUID();
    const body = newTenantBody();
    const first = await call<{ data: { id: string } }>("POST", "/api/tenants", {
      token: sa.token,
      body,
      headers: { "idempotency-key": key },
    });
    expect(first.status).toBe(201);
    expect(roundTrips(first.headers)).toBe(3);
    const second = await call<{ data: { id: string } }>("POST", "/api/tenants", {
      token: sa.token,
      body,
      headers: { "idempotency-key": key },
    });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(second.json).toEqual(first.json);
    expect(roundTrips(second.headers)).toBe(1);
    const created = await testDb().select().from(tenants).where(eq(tenants.slug, body.subdomain));
    expect(created).toHaveLength(1);
  });

  it("the same key with a different body → 422, nothing created", async () => {
    const sa = await createUser(await createTenant(), ["admin"], { isSuperAdmin: true });
    const key = crypto.randomUUID();
    await call("POST", "/api/tenants", {
      token: sa.token,
      body: newTenantBody(),
      headers: { "idempotency-key": key },
    });
    const other = newTenantBody();
    const res = await call<ErrorEnvelope>("POST", "/api/tenants", {
      token: sa.token,
      body: other,
      headers: { "idempotency-key": key },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("VALIDATION_ERROR");
    expect(await testDb().select().from(tenants).where(eq(tenants.slug, other.subdomain))).toHaveLength(0);
  });

  it("concurrent duplicates create exactly one record", async () => {
    const sa = await createUser(await createTenant(), ["admin"], { isSuperAdmin: true });
    const key = crypto.randomUUID();
    const body = newTenantBody();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        call("POST", "/api/tenants", { token: sa.token, body, headers: { "idempotency-key": key } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const r of results.filter((x) => x.status === 409)) expect(r.headers.get("retry-after")).toBe("1");
    expect(await testDb().select().from(tenants).where(eq(tenants.slug, body.subdomain))).toHaveLength(1);
  });

  it("keys are per user: another user's identical key is a new request", async () => {
    const home = await createTenant();
    const [a, b] = await Promise.all([
      createUser(home, ["admin"], { isSuperAdmin: true }),
      createUser(home, ["admin"], { isSuperAdmin: true }),
    ]);
    const key = crypto.randomUUID();
    const bodyA = newTenantBody();
    const bodyB = newTenantBody();
    expect(
      (
        await call("POST", "/api/tenants", {
          token: a.token,
          body: bodyA,
          headers: { "idempotency-key": key },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call("POST", "/api/tenants", {
          token: b.token,
          body: bodyB,
          headers: { "idempotency-key": key },
        })
      ).status,
    ).toBe(201);
  });

  it("an error response below 500 is stored too; a replayed update is not applied twice", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const key = crypto.randomUUID();
    const send = () =>
      call("PATCH", `/api/tenants/${tenant.id}`, {
        token: admin.token,
        body: { name: "Once" },
        headers: { "idempotency-key": key },
      });
    expect((await send()).status).toBe(200);
    expect((await send()).headers.get("idempotent-replayed")).toBe("true");
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.action, "tenant.update")));
    expect(audit).toHaveLength(1);

    const conflictKey = crypto.randomUUID();
    const sa = await createUser(tenant, ["admin"], { isSuperAdmin: true });
    const taken = { name: "Dup", subdomain: tenant.slug };
    const first = await call("POST", "/api/tenants", {
      token: sa.token,
      body: taken,
      headers: { "idempotency-key": conflictKey },
    });
    expect(first.status).toBe(409);
    const replay = await call("POST", "/api/tenants", {
      token: sa.token,
      body: taken,
      headers: { "idempotency-key": conflictKey },
    });
    expect(replay.status).toBe(409);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a malformed key → 400 and nothing stored; GET ignores the header", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const res = await call<ErrorEnvelope>("PATCH", `/api/tenants/${tenant.id}`, {
      token: admin.token,
      body: { name: "Never" },
      headers: { "idempotency-key": "has spaces in it" },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details?.[0]?.field).toBe("Idempotency-Key");
    const get = await call("GET", `/api/tenants/${tenant.id}`, {
      token: admin.token,
      headers: { "idempotency-key": "whatever" },
    });
    expect(get.status).toBe(200);
    const stored = await testDb()
      .select()
      .from(idempotencyRecords)
      .where(and(eq(idempotencyRecords.tenantId, tenant.id), like(idempotencyRecords.key, "%")));
    expect(stored).toHaveLength(0);
  });
});
