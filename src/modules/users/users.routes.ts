import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import {
  assignRolesBody,
  createUserBody,
  listUsersQuery,
  updateUserBody,
  userIdParam,
  userListResponse,
  userResponse,
} from "./users.schemas";
import { assignRoles, createUser, deleteUser, getUser, listUsers, updateUser } from "./users.service";

const ETAG = { ETag: 'The user\'s version, `"v<n>"`: send it back in If-Match' };

export const userRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List users",
      description:
        "The tenant's members within your data scope (own: yourself; team: + members of the teams you lead; subtree: + members of your teams and every team below; tenant: everyone), with roles and teams, ordered by creation. Filters: `email` (substring), `q`, `is_active`, `role`, `team`. Page with `page`/`page_size` (max 100) or the keyset `cursor`; `include_total=true` counts.",
      tags: ["users"],
      auth: true,
      permission: "users:read",
      responses: { 200: { description: "A page of users", schema: userListResponse } },
    }),
    requirePermission("users:read"),
    validate("query", listUsersQuery),
    async (c) => c.json(await listUsers(tenantContext(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describe({
      summary: "Create a user in this tenant",
      description:
        "Creates the person (email unique across the platform, else 409), their membership and one role (`role`, a role name, default `agent`; you may only grant a role whose rights you have). `roles`, `tenant_id`, `is_active` and other server-owned fields are refused (400). Honours Idempotency-Key.",
      tags: ["users"],
      auth: true,
      permission: "users:write",
      responses: {
        201: {
          description: "The new user",
          schema: userResponse,
          headers: { ...ETAG, Location: "The user's URL" },
        },
      },
      errors: ["CONFLICT"],
    }),
    requirePermission("users:write"),
    validate("json", createUserBody),
    async (c) => {
      const { user, version } = await createUser(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/users/${user.id}`);
      return jsonVersioned(c, { data: user }, version, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a user",
      description:
        "Yourself always; anyone else needs `users:read` and must be within your data scope (otherwise 404). Answers If-None-Match with 304.",
      tags: ["users"],
      auth: true,
      permission: "users:read (except for yourself)",
      responses: {
        200: { description: "The user", schema: userResponse, headers: ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    validate("param", userIdParam),
    async (c) => {
      const { user, version } = await getUser(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data: user }, version);
    },
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe({
      summary: "Update a user",
      description:
        "Partial update (PUT and PATCH alike). Yourself: `first_name`, `last_name`, `phone` (email or is_active on yourself → 403). Others (`users:write`, in scope, holding no role with rights you lack): also `email` (409 if taken) and `is_active` (the membership; false ends their sessions). Roles go through POST /api/users/:id/roles. Honours If-Match (412) and Idempotency-Key.",
      tags: ["users"],
      auth: true,
      permission: "users:write (except names and phone on yourself)",
      responses: { 200: { description: "The updated user", schema: userResponse, headers: ETAG } },
      errors: ["CONFLICT", "PRECONDITION_FAILED"],
    }),
    validate("param", userIdParam),
    validate("json", updateUserBody),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      const { user, version } = await updateUser(
        tenantContext(c),
        c.env.KV,
        c.req.valid("param").id,
        c.req.valid("json"),
        ifMatch,
      );
      return jsonVersioned(c, { data: user }, version);
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Remove a user from this tenant",
      description:
        "Disables the membership (the person and their records stay; PATCH is_active=true restores them), revokes their refresh tokens in this tenant and voids their access tokens at once. You cannot remove yourself (403). Honours If-Match and Idempotency-Key.",
      tags: ["users"],
      auth: true,
      permission: "users:delete",
      responses: { 204: { description: "Disabled (also when it already was)" } },
      errors: ["PRECONDITION_FAILED"],
    }),
    requirePermission("users:delete"),
    validate("param", userIdParam),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      await deleteUser(tenantContext(c), c.env.KV, c.req.valid("param").id, ifMatch);
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/roles",
    describe({
      summary: "Set a user's roles",
      description:
        "Replaces the user's roles in this tenant with exactly `roles` (names, at least one). Nobody changes their own roles; each role added or removed must grant nothing you lack (permissions and scope), and only an owner grants or removes `owner`. Unknown names → 400. The new roles reach the user's token at its next refresh. Honours If-Match and Idempotency-Key.",
      tags: ["users"],
      auth: true,
      permission: "roles:assign",
      responses: {
        200: { description: "The user with their new roles", schema: userResponse, headers: ETAG },
      },
      errors: ["PRECONDITION_FAILED"],
    }),
    requirePermission("roles:assign"),
    validate("param", userIdParam),
    validate("json", assignRolesBody),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      const { user, version } = await assignRoles(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        ifMatch,
      );
      return jsonVersioned(c, { data: user }, version);
    },
  );
