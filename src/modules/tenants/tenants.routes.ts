import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import {
  createTenantBody,
  listTenantsQuery,
  tenantIdParam,
  tenantListResponse,
  tenantResponse,
  updateTenantBody,
} from "./tenants.schemas";
import { createTenant, getTenant, listTenantsFor, updateTenant } from "./tenants.service";

const updateSpec = {
  summary: "Update a tenant",
  description: "Partial update: name and settings (timezone, locale, geofence radius). Audited.",
  tags: ["tenants"],
  auth: true,
  permission: "tenants:write",
  responses: { 200: { description: "The updated tenant", schema: tenantResponse } },
};

export const tenantRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List tenants",
      description: "Platform super admins list every tenant; anyone else with tenants:read gets their own.",
      tags: ["tenants"],
      auth: true,
      permission: "tenants:read",
      responses: { 200: { description: "A page of tenants", schema: tenantListResponse } },
    }),
    requirePermission("tenants:read"),
    validate("query", listTenantsQuery),
    async (c) => c.json(await listTenantsFor(tenantContext(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describe({
      summary: "Create a tenant",
      description:
        "Platform super admins only. The tenant starts with the default roles; add members with POST /api/organizations/{id}/members (sending X-Tenant-ID). Recorded in the system audit.",
      tags: ["tenants"],
      auth: true,
      permission: "super admin",
      responses: { 201: { description: "The new tenant", schema: tenantResponse } },
      errors: ["CONFLICT"],
    }),
    validate("json", createTenantBody),
    async (c) => {
      const tenant = await createTenant(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/tenants/${tenant.id}`);
      return c.json({ data: tenant }, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a tenant",
      description: "Your own tenant; platform super admins may read every tenant.",
      tags: ["tenants"],
      auth: true,
      permission: "tenants:read",
      responses: { 200: { description: "The tenant", schema: tenantResponse } },
    }),
    requirePermission("tenants:read"),
    validate("param", tenantIdParam),
    async (c) => c.json({ data: await getTenant(tenantContext(c), c.req.valid("param").id) }),
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe(updateSpec),
    requirePermission("tenants:write"),
    validate("param", tenantIdParam),
    validate("json", updateTenantBody),
    async (c) =>
      c.json({ data: await updateTenant(tenantContext(c), c.req.valid("param").id, c.req.valid("json")) }),
  );
