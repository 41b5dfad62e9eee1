import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { organizationKeys } from "../../src/core/auth/organization";
import { auditLogs, clients, roles, systemAudit } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import {
  addMembership,
  createCustomRole,
  createTenant,
  createUser,
  type TenantRow,
  type TestUser,
} from "../helpers/factories";
import { type CallOptions, call, type ErrorEnvelope, roundTrips } from "../helpers/http";

/**
 * X-Organization-Id (seed 004, issue 15): a person in tenants A and B, holding a token for A, acts
 * in B for one request by naming it — with their roles in B, verified (one indexed lookup, cached
 * in KV) — and never anywhere they are not an active member.
 */

type Client = { id: string; name: string };
type ClientList = { data: Client[] };

const ORG = "x-organization-id";

/** A user who is admin in A and agent in B (token for A), B's own admin, and C (not theirs). */
async function twoOrganizations() {
  const [a, b, c] = await Promise.all([createTenant(), createTenant(), createTenant()]);
  const person = await createUser(a, ["admin"]);
  await addMembership(b, person.user.id, ["agent"]);
  const bAdmin = await createUser(b, ["admin"]);
  return { a, b, c, person, bAdmin };
}

function as(user: TestUser, org: string | undefined, options: CallOptions = {}): CallOptions {
  return { ...options, token: user.token, headers: { ...options.headers, ...(org ? { [ORG]: org } : {}) } };
}

async function createClient(user: TestUser, name: string, org?: string): Promise<Client> {
  const res = await call<{ data: Client }>("POST", "/api/clients", as(user, org, { body: { name } }));
  if (res.status !== 201) throw new Error(res.text);
  return res.json.data;
}

async function clientIds(user: TestUser, org?: string, query = ""): Promise<string[]> {
  const res = await call<ClientList>("GET", `/api/clients${query}`, as(user, org));
  expect(res.status, res.text).toBe(200);
  return res.json.data.map((c) => c.id).sort();
}

const clientsOf = (tenant: TenantRow) =>
  testDb().select().from(clients).where(eq(clients.tenantId, tenant.id)).orderBy(clients.id);

/** Waits until the request's positive answer reached KV (it is written after the response). */
async function grantCached(tenantId: string, userId: string): Promise<void> {
  const key = organizationKeys(tenantId, userId).grant;
  for (let i = 0; i < 50; i++) {
    if (await env.KV.get(key)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the grant was never cached");
}

describe("X-Organization-Id", () => {
  it("naming B acts in B with the caller's B roles: agent scope and rights, not their A admin rights", async () => {
    const { a, b, person, bAdmin } = await twoOrganizations();
    const inA = await createClient(person, "A client");
    const othersInB = [await createClient(bAdmin, "B client 1"), await createClient(bAdmin, "B client 2")];
    const mineInB = await createClient(person, "My B client", b.id);

    // As agent in B: only what they own (own scope), no crm:read_all, no brands:write.
    expect(await clientIds(person, b.id)).toEqual([mineInB.id]);
    const all = await call<ErrorEnvelope>("GET", "/api/clients?view=all", as(person, b.id));
    expect(all.status).toBe(403);
    expect(all.json.error.code).toBe("AUTHORIZATION_ERROR");
    const brand = await call<ErrorEnvelope>(
      "POST",
      "/api/brands",
      as(person, b.id, { body: { name: "Nope" } }),
    );
    expect(brand.status).toBe(403);
    // B's admin sees all three; the person's B client really is B's.
    expect(await clientIds(bAdmin, undefined, "?view=all")).toEqual(
      [...othersInB, mineInB].map((c) => c.id).sort(),
    );
    expect((await clientsOf(b)).map((r) => r.id)).toContain(mineInB.id);
    // Another B row by id → 404 for the agent (out of scope), never A's row through B.
    const foreign = await call<ErrorEnvelope>("GET", `/api/clients/${inA.id}`, as(person, b.id));
    expect(foreign.status).toBe(404);

    // Who am I, under the header: B with the agent role.
    const me = await call<{ data: { tenant: { id: string }; roles: string[]; scope: string } }>(
      "GET",
      "/api/auth/me",
      as(person, b.id),
    );
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({ tenant: { id: b.id }, roles: ["agent"], scope: "own" });

    // Without the header (or naming A): A, as admin.
    expect(await clientIds(person, undefined, "?view=all")).toEqual([inA.id]);
    expect(await clientIds(person, a.id, "?view=all")).toEqual([inA.id]);
    expect(await clientIds(person, a.id.toUpperCase(), "?view=all")).toEqual([inA.id]);
  });

  it("naming the token's own tenant is exactly as absent: zero extra database work", async () => {
    const { a, person } = await twoOrganizations();
    const plain = await call("GET", "/api/clients", as(person, undefined));
    const named = await call("GET", "/api/clients", as(person, a.id));
    expect(plain.status).toBe(200);
    expect(named.status).toBe(200);
    expect(roundTrips(plain.headers)).toBe(1);
    expect(roundTrips(named.headers)).toBe(1);
    expect(named.json).toEqual(plain.json);
  });

  it("another organization costs one indexed lookup, then none while cached (reads)", async () => {
    const { b, person } = await twoOrganizations();
    const first = await call("GET", "/api/clients", as(person, b.id));
    expect(first.status).toBe(200);
    expect(roundTrips(first.headers)).toBe(2);
    await grantCached(b.id, person.user.id);
    const cached = await call("GET", "/api/clients", as(person, b.id));
    expect(cached.status).toBe(200);
    expect(roundTrips(cached.headers)).toBe(1);
    // Writes always verify in the database (never trusting KV): lookup + the write.
    const write = await call("POST", "/api/clients", as(person, b.id, { body: { name: "Written" } }));
    expect(write.status).toBe(201);
    expect(roundTrips(write.headers)).toBe(2);
  });

  it("an organization the caller does not belong to → 403, nothing read or written", async () => {
    const { a, c, person } = await twoOrganizations();
    const cAdmin = await createUser(c, ["admin"]);
    await createClient(cAdmin, "C client");
    const [beforeA, beforeC] = [await clientsOf(a), await clientsOf(c)];
    for (const [method, path, body] of [
      ["GET", "/api/clients", undefined],
      ["POST", "/api/clients", { name: "Intruder" }],
      ["GET", "/api/auth/me", undefined],
    ] as const) {
      const res = await call<ErrorEnvelope>(method, path, as(person, c.id, body ? { body } : {}));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
      expect(res.json.request_id).toBeTruthy();
      expect(res.text).not.toContain("C client");
    }
    // An id that names no tenant at all is the same 403.
    const none = await call<ErrorEnvelope>("GET", "/api/clients", as(person, crypto.randomUUID()));
    expect(none.status).toBe(403);
    expect(await clientsOf(a)).toEqual(beforeA);
    expect(await clientsOf(c)).toEqual(beforeC);
    // A refusal is never cached as anything.
    expect(await env.KV.get(organizationKeys(c.id, person.user.id).grant)).toBeNull();
  });

  it("a malformed id → 400 naming the header; no token → 401 whatever the header says", async () => {
    const { b, person } = await twoOrganizations();
    for (const bad of ["not-a-uuid", "", `${b.id},${b.id}`, `${b.id}x`]) {
      const res = await call<ErrorEnvelope>(
        "GET",
        "/api/clients",
        as(person, undefined, { headers: { [ORG]: bad } }),
      );
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION_ERROR");
      expect(res.json.error.details?.[0]?.field).toBe("X-Organization-Id");
    }
    for (const value of [b.id, "not-a-uuid"]) {
      const anonymous = await call<ErrorEnvelope>("GET", "/api/clients", { headers: { [ORG]: value } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.json.error.code).toBe("AUTHENTICATION_ERROR");
    }
  });

  it("writes under B are audited in B (actor, entity) and nothing lands in A", async () => {
    const { a, b, person } = await twoOrganizations();
    const created = await createClient(person, "Audited in B", b.id);
    const db = testDb();
    const inB = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, b.id), eq(auditLogs.entityId, created.id)));
    expect(inB).toHaveLength(1);
    expect(inB[0]).toMatchObject({ action: "client.create", actorId: person.user.id, tenantId: b.id });
    const inA = await db.select().from(auditLogs).where(eq(auditLogs.tenantId, a.id));
    expect(inA.filter((r) => r.entityId === created.id)).toEqual([]);
  });

  it("a disabled membership stops working at the next request, despite the cache", async () => {
    const { b, person, bAdmin } = await twoOrganizations();
    expect((await call("GET", "/api/clients", as(person, b.id))).status).toBe(200);
    await grantCached(b.id, person.user.id);
    const disabled = await call("PATCH", `/api/organizations/${b.id}/members/${person.user.id}`, {
      token: bAdmin.token,
      body: { status: "disabled" },
    });
    expect(disabled.status, disabled.text).toBe(200);
    for (const [method, body] of [["GET"], ["POST", { name: "After" }]] as const) {
      const res = await call<ErrorEnvelope>(method, "/api/clients", as(person, b.id, body ? { body } : {}));
      expect(res.status, method).toBe(403);
    }
    // Their own tenant is untouched.
    expect((await call("GET", "/api/clients", as(person, undefined))).status).toBe(200);
    // Re-enabled: works again at once.
    await call("PATCH", `/api/organizations/${b.id}/members/${person.user.id}`, {
      token: bAdmin.token,
      body: { status: "active" },
    });
    expect((await call("GET", "/api/clients", as(person, b.id))).status).toBe(200);
  });

  it("a removed membership (DELETE member, DELETE user) stops working at the next request", async () => {
    for (const remove of ["member", "user"] as const) {
      const { b, person, bAdmin } = await twoOrganizations();
      expect((await call("GET", "/api/clients", as(person, b.id))).status).toBe(200);
      await grantCached(b.id, person.user.id);
      const path =
        remove === "member"
          ? `/api/organizations/${b.id}/members/${person.user.id}`
          : `/api/users/${person.user.id}`;
      const removed = await call("DELETE", path, { token: bAdmin.token });
      expect(removed.status, removed.text).toBe(204);
      const res = await call<ErrorEnvelope>("GET", "/api/clients", as(person, b.id));
      expect(res.status, remove).toBe(403);
    }
  });

  it("a role change in B applies at the next request, despite the cache", async () => {
    const { b, person, bAdmin } = await twoOrganizations();
    expect((await call("GET", "/api/clients?view=all", as(person, b.id))).status).toBe(403);
    await grantCached(b.id, person.user.id);
    const promoted = await call("POST", `/api/users/${person.user.id}/roles`, {
      token: bAdmin.token,
      body: { roles: ["manager"] },
    });
    expect(promoted.status, promoted.text).toBe(200);
    expect((await call("GET", "/api/clients?view=all", as(person, b.id))).status).toBe(200);
  });

  it("a custom role's rights edited in B apply at the next request, despite the cache", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const person = await createUser(a, ["admin"]);
    await createCustomRole(b, "b_reader", ["crm:read"]);
    await addMembership(b, person.user.id, ["b_reader"]);
    const bAdmin = await createUser(b, ["admin"]);
    expect((await call("GET", "/api/clients", as(person, b.id))).status).toBe(200);
    await grantCached(b.id, person.user.id);
    const [role] = await testDb()
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, b.id), eq(roles.name, "b_reader")));
    const edited = await call("PATCH", `/api/roles/${role?.id}`, {
      token: bAdmin.token,
      body: { permissions: ["brands:read"] },
    });
    expect(edited.status, edited.text).toBe(200);
    expect((await call("GET", "/api/clients", as(person, b.id))).status).toBe(403);
    expect((await call("GET", "/api/brands", as(person, b.id))).status).toBe(200);
  });

  it("a cached grant written before a membership change is ignored (a lookup that raced the change)", async () => {
    const { b, person, bAdmin } = await twoOrganizations();
    const keys = organizationKeys(b.id, person.user.id);
    const before = Date.now();
    await call("PATCH", `/api/organizations/${b.id}/members/${person.user.id}`, {
      token: bAdmin.token,
      body: { status: "disabled" },
    });
    // What a request that looked the membership up just before the change would write afterwards.
    await env.KV.put(
      keys.grant,
      JSON.stringify({ at: before, roles: ["admin"], perms: ["crm:read", "crm:write"], scope: "tenant" }),
    );
    const res = await call<ErrorEnvelope>("GET", "/api/clients", as(person, b.id));
    expect(res.status).toBe(403);
  });

  it("composes with the super admin's X-Tenant-ID: same tenant → the audited override; different → 400", async () => {
    const [home, target, other] = await Promise.all([createTenant(), createTenant(), createTenant()]);
    const root = await createUser(home, ["admin"], { isSuperAdmin: true });
    const targetAdmin = await createUser(target, ["admin"]);
    const theirs = await createClient(targetAdmin, "Target client");

    const same = await call<ClientList>("GET", "/api/clients?view=all", {
      token: root.token,
      headers: { "x-tenant-id": target.id, [ORG]: target.id },
    });
    expect(same.status, same.text).toBe(200);
    expect(same.json.data.map((c) => c.id)).toEqual([theirs.id]);

    const different = await call<ErrorEnvelope>("GET", "/api/clients", {
      token: root.token,
      headers: { "x-tenant-id": target.id, [ORG]: other.id },
    });
    expect(different.status).toBe(400);
    expect(different.json.error.details?.[0]?.field).toBe("X-Organization-Id");

    // X-Organization-Id alone is membership, for a super admin too: not a member of target → 403.
    const alone = await call<ErrorEnvelope>("GET", "/api/clients", as(root, target.id));
    expect(alone.status).toBe(403);

    // The override was audited once (the 400 and the 403 never acted anywhere).
    await expect
      .poll(async () =>
        (
          await testDb()
            .select()
            .from(systemAudit)
            .where(and(eq(systemAudit.actorId, root.user.id), eq(systemAudit.action, "tenant.override")))
        ).map((r) => r.tenantId),
      )
      .toEqual([target.id]);

    // Anyone else sending X-Tenant-ID is refused before the organization is even considered.
    const { b, person } = await twoOrganizations();
    const refused = await call<ErrorEnvelope>("GET", "/api/clients", {
      token: person.token,
      headers: { "x-tenant-id": b.id, [ORG]: b.id },
    });
    expect(refused.status).toBe(403);
  });

  it("the session stays the token's: logout under B ends it and is audited in A", async () => {
    const { a, b, person } = await twoOrganizations();
    const out = await call("POST", "/api/auth/logout", as(person, b.id));
    expect(out.status, out.text).toBe(204);
    expect((await call("GET", "/api/clients", as(person, undefined))).status).toBe(401);
    const rows = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.actorId, person.user.id), eq(auditLogs.action, "auth.logout")));
    expect(rows.map((r) => r.tenantId)).toEqual([a.id]);
  });

  it("CORS preflight allows the header", async () => {
    const res = await call("OPTIONS", "/api/clients", {
      headers: {
        origin: "https://app.example.test",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization, x-organization-id",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-organization-id");
  });

  it("is documented on every authenticated operation, and only there", async () => {
    const res = await call<{
      paths: Record<
        string,
        Record<string, { security?: unknown[]; parameters?: { $ref?: string; name?: string }[] }>
      >;
      components: { parameters: Record<string, { name: string; in: string }> };
    }>("GET", "/api/openapi.json");
    expect(res.json.components.parameters.OrganizationId).toMatchObject({
      name: "X-Organization-Id",
      in: "header",
    });
    let authenticated = 0;
    for (const [path, item] of Object.entries(res.json.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const documented = (op.parameters ?? []).some(
          (p) => p.$ref === "#/components/parameters/OrganizationId",
        );
        const needsToken = (op.security ?? []).length > 0;
        if (needsToken) authenticated++;
        expect(documented, `${method} ${path}`).toBe(needsToken);
      }
    }
    expect(authenticated).toBeGreaterThan(50);
  });
});
