import { tenantContext } from "../../core/context";
import { itemRoute, itemWrite, listRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import {
  createTenantBody,
  listTenantsQuery,
  tenantListResponse,
  tenantResponse,
  updateTenantBody,
} from "./tenants.schemas";
import { createTenant, getTenant, listTenantsFor, updateTenant } from "./tenants.service";

export const tenantRoutes = apiRouter()
  .openapi(
    ...listRoute(
      {
        path: "/",
        summary: "List tenants",
        description: "Platform super admins list every tenant; anyone else with tenants:read gets their own.",
        tags: ["tenants"],
        permission: "tenants:read",
        query: listTenantsQuery,
        responses: { 200: jsonResponse(tenantListResponse, "A page of tenants") },
      },
      listTenantsFor,
    ),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a tenant",
      description:
        "Platform super admins only. The tenant starts with the default roles; add members with POST /api/organizations/{id}/members (sending X-Tenant-ID). Recorded in the system audit.\n\nRequires `super admin`.",
      tags: ["tenants"],
      auth: true,
      body: createTenantBody,
      responses: { 201: jsonResponse(tenantResponse, "The new tenant", { Location: "The tenant's URL" }) },
      errors: { 409: "This subdomain is taken (CONFLICT)" },
    }),
    async (c) => {
      const tenant = await createTenant(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/tenants/${tenant.id}`);
      return c.json({ data: tenant }, 201);
    },
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("tenants", "Tenant"),
        summary: "Get a tenant",
        description: "Your own tenant; platform super admins may read every tenant.",
        permission: "tenants:read",
        responses: { 200: jsonResponse(tenantResponse, "The tenant") },
      },
      getTenant,
    ),
  );

for (const method of ["put", "patch"] as const) {
  tenantRoutes.openapi(
    ...itemWrite(
      {
        ...onRow("tenants", "Tenant"),
        method,
        summary: "Update a tenant",
        description: "Partial update: name and settings (timezone, locale, geofence radius). Audited.",
        permission: "tenants:write",
        body: updateTenantBody,
        responses: { 200: jsonResponse(tenantResponse, "The updated tenant") },
      },
      updateTenant,
    ),
  );
}
