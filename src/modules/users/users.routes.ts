import { type AppContext, type TenantContext, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned } from "../../core/etag";
import { itemRoute, listRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import {
  assignRolesBody,
  createUserBody,
  listUsersQuery,
  updateUserBody,
  userListResponse,
  userResponse,
} from "./users.schemas";
import {
  assignRoles,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  updateUser,
  type VersionedUser,
} from "./users.service";

const ETAG = { ETag: 'The user\'s version, `"v<n>"`: send it back in If-Match' };

type UserWrite<I> = (
  ctx: TenantContext,
  kv: KVNamespace,
  id: string,
  input: I,
  ifMatch: number | undefined,
) => Promise<VersionedUser>;

/** A write to one user honouring If-Match (update, roles): the user as written, with its ETag. */
async function versionedWrite<I>(c: AppContext, write: UserWrite<I>, id: string, input: I) {
  const ifMatch = ifMatchVersion(c);
  const { data, version } = await write(tenantContext(c), c.env.KV, id, input, ifMatch);
  return jsonVersioned(c, { data }, version);
}

export const userRoutes = apiRouter()
  .openapi(
    ...listRoute(
      {
        path: "/",
        summary: "List users",
        description:
          "The tenant's members within your data scope (own: yourself; team: + members of the teams you lead; subtree: + members of your teams and every team below; tenant: everyone), with roles and teams, ordered by creation. Filters: `email` (substring), `q`, `is_active`, `role`, `team`. Page with `page`/`page_size` (max 100) or the keyset `cursor`; `include_total=true` counts.",
        tags: ["users"],
        permission: "users:read",
        query: listUsersQuery,
        responses: { 200: jsonResponse(userListResponse, "A page of users") },
      },
      listUsers,
    ),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a user in this tenant",
      description:
        "Creates the person (email unique across the platform, else 409), their membership and one role (`role`, a role name, default `agent`; you may only grant a role whose rights you have). `roles`, `tenant_id`, `is_active` and other server-owned fields are refused (400). Honours Idempotency-Key.",
      tags: ["users"],
      permission: "users:write",
      body: createUserBody,
      responses: {
        201: jsonResponse(userResponse, "The new user", { ...ETAG, Location: "The user's URL" }),
      },
      errors: { 409: "A user with this email already exists (CONFLICT)" },
    }),
    async (c) => {
      const { data, version } = await createUser(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/users/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("users", "User"),
        summary: "Get a user",
        description:
          "Yourself always; anyone else needs `users:read` and must be within your data scope (otherwise 404). Answers If-None-Match with 304.",
        permissionNote: "users:read (except for yourself)",
        notModified: true,
        responses: { 200: jsonResponse(userResponse, "The user", ETAG) },
      },
      getUser,
    ),
  );

for (const method of ["put", "patch"] as const) {
  userRoutes.openapi(
    route({
      ...onRow("users"),
      method,
      summary: "Update a user",
      description:
        "Partial update (PUT and PATCH alike). Yourself: `first_name`, `last_name`, `phone` (email or is_active on yourself → 403). Others (`users:write`, in scope, holding no role with rights you lack): also `email` (409 if taken) and `is_active` (the membership; false ends their sessions). Roles go through POST /api/users/:id/roles. Honours If-Match (412) and Idempotency-Key.",
      permissionNote: "users:write (except names and phone on yourself)",
      body: updateUserBody,
      ifMatch: true,
      responses: { 200: jsonResponse(userResponse, "The updated user", ETAG) },
      errors: { 404: "User not found", 409: "A user with this email already exists (CONFLICT)" },
    }),
    async (c) => versionedWrite(c, updateUser, c.req.valid("param").id, c.req.valid("json")),
  );
}

userRoutes
  .openapi(
    route({
      ...onRow("users", "User"),
      method: "delete",
      summary: "Remove a user from this tenant",
      description:
        "Disables the membership (the person and their records stay; PATCH is_active=true restores them), revokes their refresh tokens in this tenant and voids their access tokens at once. You cannot remove yourself (403). Honours If-Match and Idempotency-Key.",
      permission: "users:delete",
      ifMatch: true,
      responses: { 204: emptyResponse("Disabled (also when it already was)") },
    }),
    async (c) => {
      const ifMatch = ifMatchVersion(c);
      await deleteUser(tenantContext(c), c.env.KV, c.req.valid("param").id, ifMatch);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      ...onRow("users", "User"),
      method: "post",
      path: "/{id}/roles",
      summary: "Set a user's roles",
      description:
        "Replaces the user's roles in this tenant with exactly `roles` (names, at least one). Nobody changes their own roles; each role added or removed must grant nothing you lack (permissions and scope), and only an owner grants or removes `owner`. Unknown names → 400. The new roles reach the user's token at its next refresh. Honours If-Match and Idempotency-Key.",
      permission: "roles:assign",
      body: assignRolesBody,
      ifMatch: true,
      responses: { 200: jsonResponse(userResponse, "The user with their new roles", ETAG) },
    }),
    async (c) => versionedWrite(c, assignRoles, c.req.valid("param").id, c.req.valid("json")),
  );
