import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, tenants } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";

const snapshotTenant = async (_t: unknown, id: string) =>
  (await testDb().select().from(tenants).where(eq(tenants.id, id)))[0];
const createOwnTenant = async (t: { id: string }) => t.id;

describeTenantIsolation({
  name: "GET /api/tenants/:id",
  method: "GET",
  path: (id) => `/api/tenants/${id}`,
  permission: "tenants:read",
  create: createOwnTenant,
  snapshot: snapshotTenant,
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/tenants/:id`,
    method,
    path: (id) => `/api/tenants/${id}`,
    permission: "tenants:write",
    body: { name: "Renamed", settings: { timezone: "Africa/Johannesburg" } },
    create: createOwnTenant,
    snapshot: snapshotTenant,
  });
}

interface TenantBody {
  data: {
    id: string;
    name: string;
    settings: { timezone: string; locale: string; geofence_radius_m: number } & Record<string, unknown>;
  };
}

describe("tenants", () => {
  it("an admin reads their tenant with defaults applied, in one round trip", async () => {
    const tenant = await createTenant({ name: "Acme" });
    const admin = await createUser(tenant, ["admin"]);
    const res = await call<TenantBody>("GET", `/api/tenants/${tenant.id}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({
      id: tenant.id,
      name: "Acme",
      settings: { timezone: "UTC", locale: "en", geofence_radius_m: 200 },
    });
    expect(roundTrips(res.headers)).toBe(1);
  });

  it("PATCH merges settings and writes the audit row in the same single round trip", async () => {
    const tenant = await createTenant({ settings: { locale: "en-ZA" } });
    const admin = await createUser(tenant, ["admin"]);
    const res = await call<TenantBody>("PATCH", `/api/tenants/${tenant.id}`, {
      token: admin.token,
      body: { settings: { timezone: "Africa/Johannesburg", geofence_radius_m: 150 } },
      headers: { "user-agent": "field-app/1.0" },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.settings).toEqual({
      timezone: "Africa/Johannesburg",
      locale: "en-ZA",
      geofence_radius_m: 150,
      face_check_in: false,
      face_match_threshold: 0.8,
      face_embedding_dimension: 128,
      offline_check_in_limit_hours: 72,
      attendance_geofence_required: false,
      trash_retention_days: 30,
    });
    expect(roundTrips(res.headers)).toBe(1);
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, tenant.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.user.id,
      action: "tenant.update",
      entityType: "tenant",
      oldValues: { name: tenant.name, settings: { locale: "en-ZA" } },
      newValues: { settings: { timezone: "Africa/Johannesburg", geofence_radius_m: 150 } },
      userAgent: "field-app/1.0",
      requestId: res.headers.get("x-request-id"),
    });
  });

  it("rejects bad input with per-field errors and writes nothing", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const before = await snapshotTenant(null, tenant.id);
    const cases: [unknown, string][] = [
      [{ settings: { timezone: "Mars/Olympus" } }, "settings.timezone"],
      [{ settings: { geofence_radius_m: 5 } }, "settings.geofence_radius_m"],
      [{ settings: { geofence_radius_m: "200" } }, "settings.geofence_radius_m"],
      [{ name: "" }, "name"],
      [{ name: "x", tenant_id: tenant.id }, "tenant_id"],
      [{ name: "x", status: "suspended" }, "status"],
      [{ name: "x", created_by: admin.user.id }, "created_by"],
      [{}, "(root)"],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("PATCH", `/api/tenants/${tenant.id}`, {
        token: admin.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    const bad = await call<ErrorEnvelope>("GET", "/api/tenants/not-a-uuid", { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.[0]?.field).toBe("id");
    expect(await snapshotTenant(null, tenant.id)).toEqual(before);
  });

  it("an agent may not update the tenant", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const res = await call<ErrorEnvelope>("PATCH", `/api/tenants/${tenant.id}`, {
      token: agent.token,
      body: { name: "Mine now" },
    });
    expect(res.status).toBe(403);
  });

  it("a platform super admin reads another tenant", async () => {
    const [home, other] = await Promise.all([createTenant(), createTenant()]);
    const root = await createUser(home, ["admin"], { isSuperAdmin: true });
    const res = await call<TenantBody>("GET", `/api/tenants/${other.id}`, { token: root.token });
    expect(res.status).toBe(200);
    expect(res.json.data.id).toBe(other.id);
  });
});
