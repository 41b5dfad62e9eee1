import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import { createRoleBody, roleIdParam, roleListResponse, roleResponse, updateRoleBody } from "./roles.schemas";
import { createRole, deleteRole, getRole, listRoles, updateRole } from "./roles.service";

const ETAG = { ETag: 'The role\'s version, `"v<n>"`: send it back in If-Match' };

export const roleRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List roles",
      description:
        "Every role of the tenant with its permissions, data scope and number of members. System roles show the permissions the code grants them today. Reference data: answers If-None-Match with 304.",
      tags: ["roles"],
      auth: true,
      permission: "roles:read",
      responses: {
        200: {
          description: "The tenant's roles",
          schema: roleListResponse,
          headers: { ETag: "Content hash" },
        },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("roles:read"),
    async (c) => jsonWithContentEtag(c, await listRoles(tenantContext(c))),
  )
  .post(
    "/",
    describe({
      summary: "Create a custom role",
      description:
        "`permissions` from the catalogue (400 names the bad entries) and a `scope`; the name is unique in the tenant (409). You cannot create a role that grants a permission or a scope you do not have (403). Honours Idempotency-Key.",
      tags: ["roles"],
      auth: true,
      permission: "roles:write",
      responses: {
        201: {
          description: "The new role",
          schema: roleResponse,
          headers: { ...ETAG, Location: "The role's URL" },
        },
      },
      errors: ["CONFLICT"],
    }),
    requirePermission("roles:write"),
    validate("json", createRoleBody),
    async (c) => {
      const { role, version } = await createRole(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/roles/${role.id}`);
      return jsonVersioned(c, { data: role }, version, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a role",
      description: "Answers If-None-Match with 304.",
      tags: ["roles"],
      auth: true,
      permission: "roles:read",
      responses: {
        200: { description: "The role", schema: roleResponse, headers: ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("roles:read"),
    validate("param", roleIdParam),
    async (c) => {
      const { role, version } = await getRole(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data: role }, version);
    },
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe({
      summary: "Update a custom role",
      description:
        "Partial update (PUT and PATCH alike) of a custom role; system roles → 409. You must be able to grant the role before and after the change (403). Members get the new rights at their next token refresh. Honours If-Match (412) and Idempotency-Key.",
      tags: ["roles"],
      auth: true,
      permission: "roles:write",
      responses: { 200: { description: "The updated role", schema: roleResponse, headers: ETAG } },
      errors: ["CONFLICT", "PRECONDITION_FAILED"],
    }),
    requirePermission("roles:write"),
    validate("param", roleIdParam),
    validate("json", updateRoleBody),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      const { role, version } = await updateRole(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        ifMatch,
      );
      return jsonVersioned(c, { data: role }, version);
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a custom role",
      description:
        "Only a custom role nobody holds: system roles and assigned roles → 409 (reassign the members first; a delete never silently strips anyone's rights). Honours If-Match and Idempotency-Key.",
      tags: ["roles"],
      auth: true,
      permission: "roles:write",
      responses: { 204: { description: "Deleted" } },
      errors: ["CONFLICT", "PRECONDITION_FAILED"],
    }),
    requirePermission("roles:write"),
    validate("param", roleIdParam),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      await deleteRole(tenantContext(c), c.req.valid("param").id, ifMatch);
      return c.body(null, 204);
    },
  );
