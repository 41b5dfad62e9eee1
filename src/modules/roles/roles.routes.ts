import { tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { onRow } from "../../core/resource/item-routes";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import { createRoleBody, roleListResponse, roleResponse, updateRoleBody } from "./roles.schemas";
import { createRole, deleteRole, getRole, listRoles, updateRole } from "./roles.service";

const ETAG = { ETag: 'The role\'s version, `"v<n>"`: send it back in If-Match' };
const ROLE_CONFLICT =
  "A role with this name already exists, the role is a system role, or it is still assigned (CONFLICT)";

export const roleRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/",
      summary: "List roles",
      description:
        "Every role of the tenant with its permissions, data scope and number of members. System roles show the permissions the code grants them today. Reference data: answers If-None-Match with 304.",
      tags: ["roles"],
      permission: "roles:read",
      notModified: true,
      responses: { 200: jsonResponse(roleListResponse, "The tenant's roles", { ETag: "Content hash" }) },
    }),
    async (c) => jsonWithContentEtag(c, await listRoles(tenantContext(c))),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a custom role",
      description:
        "`permissions` from the catalogue (400 names the bad entries) and a `scope`; the name is unique in the tenant (409). You cannot create a role that grants a permission or a scope you do not have (403). Honours Idempotency-Key.",
      tags: ["roles"],
      permission: "roles:write",
      body: createRoleBody,
      responses: {
        201: jsonResponse(roleResponse, "The new role", { ...ETAG, Location: "The role's URL" }),
      },
      errors: { 409: "A role with this name already exists (CONFLICT)" },
    }),
    async (c) => {
      const { role, version } = await createRole(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/roles/${role.id}`);
      return jsonVersioned(c, { data: role }, version, 201);
    },
  )
  .openapi(
    route({
      ...onRow("roles", "Role"),
      method: "get",
      summary: "Get a role",
      description: "Answers If-None-Match with 304.",
      permission: "roles:read",
      notModified: true,
      responses: { 200: jsonResponse(roleResponse, "The role", ETAG) },
    }),
    async (c) => {
      const { role, version } = await getRole(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data: role }, version);
    },
  );

for (const method of ["put", "patch"] as const) {
  roleRoutes.openapi(
    route({
      ...onRow("roles"),
      method,
      summary: "Update a custom role",
      description:
        "Partial update (PUT and PATCH alike) of a custom role; system roles → 409. You must be able to grant the role before and after the change (403). Members get the new rights at their next token refresh. Honours If-Match (412) and Idempotency-Key.",
      permission: "roles:write",
      body: updateRoleBody,
      ifMatch: true,
      responses: { 200: jsonResponse(roleResponse, "The updated role", ETAG) },
      errors: { 404: "Role not found", 409: ROLE_CONFLICT },
    }),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      const { role, version } = await updateRole(
        tenantContext(c),
        c.env.KV,
        c.req.valid("param").id,
        c.req.valid("json"),
        ifMatch,
      );
      return jsonVersioned(c, { data: role }, version);
    },
  );
}

roleRoutes.openapi(
  route({
    ...onRow("roles"),
    method: "delete",
    summary: "Delete a custom role",
    description:
      "Only a custom role nobody holds: system roles and assigned roles → 409 (reassign the members first; a delete never silently strips anyone's rights). Honours If-Match and Idempotency-Key.",
    permission: "roles:write",
    ifMatch: true,
    responses: { 204: emptyResponse("Deleted") },
    errors: { 404: "Role not found", 409: ROLE_CONFLICT },
  }),
  async (c) => {
    const ifMatch = ifMatchVersion(c);
    await deleteRole(tenantContext(c), c.req.valid("param").id, ifMatch);
    return c.body(null, 204);
  },
);
