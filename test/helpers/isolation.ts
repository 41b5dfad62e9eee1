import { describe, expect, it } from "vitest";
import { createCustomRole, createTenant, createUser, type TenantRow } from "./factories";
import { call, type ErrorEnvelope } from "./http";

export interface IsolationCase {
  /** e.g. "PATCH /api/tenants/:id" */
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (id: string) => string;
  /**
   * The permission the route requires (a role without it must get 403); `null` for routes open to
   * every member (your own profile, your own sites), where only the 401 and 404 cases apply.
   */
  permission: string | null;
  /** A valid body for writes, so a refusal is about access, never about input (or one per created id). */
  body?: Record<string, unknown> | unknown[] | ((id: string) => unknown);
  /** Creates the resource in `tenant` and returns its id. */
  create: (tenant: TenantRow) => Promise<string>;
  /** Reads the resource straight from the database, to prove a refused request changed nothing. */
  snapshot: (tenant: TenantRow, id: string) => Promise<unknown>;
  /** Roles of the caller that must succeed (default: admin). */
  allowedRoles?: string[];
  /**
   * The caller of the "succeeds" case, when only a particular user may do it (e.g. the visit's own
   * agent); default: a new user with `allowedRoles`.
   */
  callerFor?: (tenant: TenantRow, id: string) => Promise<string>;
}

/**
 * The shared tenant-isolation suite every resource runs (DESIGN §5): no token → 401; a role
 * without the permission → 403; another tenant's id → 404; X-Organization-Id naming a tenant the
 * caller is not a member of → 403 — each time with the row unchanged —
 * and the same request with the right role in the right tenant succeeds, so the refusals are
 * about access and nothing else.
 */
export function describeTenantIsolation(c: IsolationCase): void {
  describe(`tenant isolation: ${c.name}`, () => {
    const send = (id: string, token?: string, headers?: Record<string, string>) => {
      const body = typeof c.body === "function" ? c.body(id) : c.body;
      return call<ErrorEnvelope>(c.method, c.path(id), {
        token,
        ...(headers ? { headers } : {}),
        ...(body !== undefined ? { body } : {}),
      });
    };

    it("no token → 401, nothing changed", async () => {
      const tenant = await createTenant();
      const id = await c.create(tenant);
      const before = await c.snapshot(tenant, id);
      const res = await send(id);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("AUTHENTICATION_ERROR");
      expect(await c.snapshot(tenant, id)).toEqual(before);
    });

    const permission = c.permission;
    if (permission !== null)
      it(`a role without ${permission} → 403, nothing changed`, async () => {
        const tenant = await createTenant();
        const id = await c.create(tenant);
        await createCustomRole(tenant, "no_rights", []);
        const caller = await createUser(tenant, ["no_rights"]);
        const before = await c.snapshot(tenant, id);
        const res = await send(id, caller.token);
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
        expect(await c.snapshot(tenant, id)).toEqual(before);
      });

    it("another tenant's id → 404, nothing changed", async () => {
      const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
      const id = await c.create(theirs);
      const caller = await createUser(mine, c.allowedRoles ?? ["admin"]);
      const before = await c.snapshot(theirs, id);
      const res = await send(id, caller.token);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("RESOURCE_NOT_FOUND");
      expect(await c.snapshot(theirs, id)).toEqual(before);
    });

    it("X-Organization-Id naming a tenant the caller does not belong to → 403, nothing changed", async () => {
      const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
      const id = await c.create(theirs);
      const caller = await createUser(mine, c.allowedRoles ?? ["admin"]);
      const before = await c.snapshot(theirs, id);
      const res = await send(id, caller.token, { "x-organization-id": theirs.id });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
      expect(await c.snapshot(theirs, id)).toEqual(before);
    });

    it("the same request in the right tenant with the right role succeeds", async () => {
      const tenant = await createTenant();
      const id = await c.create(tenant);
      const token = c.callerFor
        ? await c.callerFor(tenant, id)
        : (await createUser(tenant, c.allowedRoles ?? ["admin"])).token;
      const res = await send(id, token);
      expect(res.status).toBeLessThan(300);
    });
  });
}
