import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import { tenantIdParam, tenantResponse, updateTenantBody } from "./tenants.schemas";
import { getTenant, updateTenant } from "./tenants.service";

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
