import { z } from "zod";
import { auditRow } from "../../core/audit";
import { membershipChanged } from "../../core/auth/organization";
import { hashPassword } from "../../core/auth/password";
import { revokeMemberAccessTokens } from "../../core/auth/tokens";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { preconditionFailed } from "../../core/etag";
import { uuidv7 } from "../../core/ids";
import { keysetPage, pageRequest, pageWindow } from "../../core/pagination";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { findRoleByName, findUser, insertUser, listUsers as listUserRows, type UserRow } from "./users.repo";
import type {
  AssignRolesInput,
  CreateUserInput,
  ListUsersQuery,
  UpdateUserInput,
  UserDto,
} from "./users.schemas";
import {
  disableUser,
  setUserRoles,
  updateUser as updateUserRow,
  type WriteOutcome,
} from "./users.write.repo";

const NOT_NULL_VIOLATION = "23502";
const DEFAULT_ROLE = "agent";

/** A user DTO (`data`, as the response envelope names it) and the version its ETag carries. */
export interface VersionedUser {
  data: UserDto;
  version: number;
}

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone: row.phone,
    username: row.username,
    is_active: row.is_active,
    roles: row.roles,
    teams: row.teams,
    last_login_at: row.last_login_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const versioned = (row: UserRow): VersionedUser => ({ data: toUserDto(row), version: row.version });

/** created_at with microseconds and the id of the last row of the page. */
const userKey = z.tuple([z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), z.uuid()]);

/**
 * The tenant's members the caller's scope covers (own: themself; team: + members of teams they
 * lead; subtree: + members of their teams and every team below; tenant: all), filtered, in
 * (created_at, id) order, roles and teams included: one round trip.
 */
export async function listUsers(ctx: TenantContext, query: ListUsersQuery) {
  const request = pageRequest(query, userKey);
  const after = request.after && { createdAt: request.after[0], id: request.after[1] };
  const { rows, total } = await listUserRows(
    ctx,
    { email: query.email, q: query.q, isActive: query.is_active, role: query.role, team: query.team },
    { ...pageWindow(request), after },
  );
  const page = keysetPage(rows, request, total, (row) => [row.cursor_ts, row.id] as [string, string]);
  return { data: page.items.map(toUserDto), pagination: page.pagination };
}

/**
 * One member: always yourself; anyone else needs `users:read` and must be in your scope. Outside
 * the scope, like another tenant's id, is "not found".
 */
export async function getUser(ctx: TenantContext, id: string): Promise<VersionedUser> {
  if (id !== ctx.userId && !ctx.permissions.has("users:read")) {
    throw ApiError.forbidden("Missing permission: users:read");
  }
  const row = await findUser(ctx, id);
  if (!row) throw ApiError.notFound("User");
  return versioned(row);
}

/**
 * A new person in this tenant: the global identity, the membership, one role (default `agent`,
 * which the caller must be allowed to grant) and the audit row, in one atomic round trip. An
 * email that exists anywhere is a 409: adding an existing person to a tenant is the
 * organizations members route.
 */
export async function createUser(ctx: TenantContext, input: CreateUserInput): Promise<VersionedUser> {
  const id = uuidv7();
  const role = input.role ?? DEFAULT_ROLE;
  const row = {
    id,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    firstName: input.first_name,
    lastName: input.last_name,
    phone: input.phone ?? null,
    username: input.username ?? null,
  };
  const audit = auditRow(ctx, {
    action: "user.create",
    entityType: "user",
    entityId: id,
    newValues: {
      email: input.email,
      first_name: input.first_name,
      last_name: input.last_name,
      phone: input.phone ?? null,
      username: input.username ?? null,
      roles: [role],
    },
  });
  let created: Awaited<ReturnType<typeof insertUser>>;
  try {
    created = await insertUser(ctx, row, role, audit);
  } catch (err) {
    const conflict = identityConflict(err);
    if (conflict) throw conflict;
    const pg = pgErrorOf(err);
    if (pg?.code === NOT_NULL_VIOLATION) {
      // The role subquery found nothing grantable; one more query (error path only) says why.
      if (!(await findRoleByName(ctx.db, ctx.tenantId, role))) {
        throw ApiError.validation("Unknown role", [{ field: "role", message: `No role named ${role}` }]);
      }
      throw ApiError.forbidden(`You may not grant the role ${role}`);
    }
    throw err;
  }
  if (!created) throw new Error("user insert returned nothing");
  return {
    version: created.version,
    data: {
      id,
      email: created.email,
      first_name: created.firstName,
      last_name: created.lastName,
      phone: created.phone,
      username: created.username,
      is_active: created.isActive,
      roles: [role],
      teams: [],
      last_login_at: null,
      created_at: created.createdAt.toISOString(),
      updated_at: created.updatedAt.toISOString(),
    },
  };
}

function outcomeOrThrow<T>(outcome: WriteOutcome<T>, forbidden: string): T {
  switch (outcome.kind) {
    case "not_found":
      throw ApiError.notFound("User");
    case "forbidden":
      throw ApiError.forbidden(forbidden);
    case "shared_identity":
      throw ApiError.conflict(SHARED_IDENTITY);
    case "stale":
      throw preconditionFailed();
    case "ok":
      return outcome.row;
  }
}

const MANAGE_DENIED = "This user holds a role with rights you do not have";

const SHARED_IDENTITY =
  "This person also belongs to another organization: only they (or a platform administrator) can change their name, phone, username or email";
const IDENTITY_FIELDS = ["first_name", "last_name", "phone", "username", "email"] as const;

/** A unique index on users → the 409 naming its field, or undefined. */
function identityConflict(err: unknown): ApiError | undefined {
  const pg = pgErrorOf(err);
  if (pg?.code !== UNIQUE_VIOLATION) return undefined;
  if (pg.constraint === "users_email_key") {
    return ApiError.conflict("A user with this email already exists", [
      { field: "email", message: "Already in use" },
    ]);
  }
  if (pg.constraint === "users_username_key") {
    return ApiError.conflict("A user with this username already exists", [
      { field: "username", message: "Already in use" },
    ]);
  }
  return undefined;
}

/**
 * Partial update. Yourself: names, phone and username (your email changes through POST
 * /api/auth/change-email, confirmed from the new address; nobody changes their own active flag).
 * Someone else: `users:write`, in scope, and every role they hold must be one you could grant.
 * Names, phone, username and email are the person's global identity, seen by every tenant they belong to: a
 * tenant admin changes them only while the person belongs to no other tenant (else 409); a
 * platform super admin always may. `is_active` is this tenant's membership: false ends the
 * person's sessions in this tenant only, like DELETE.
 */
export async function updateUser(
  ctx: TenantContext,
  kv: KVNamespace,
  id: string,
  input: UpdateUserInput,
  ifMatch: number | undefined,
): Promise<VersionedUser> {
  const isSelf = id === ctx.userId;
  if (isSelf && (input.email !== undefined || input.is_active !== undefined)) {
    throw ApiError.forbidden(
      "You cannot change your own active status, and your own email changes through POST /api/auth/change-email",
    );
  }
  if (!isSelf && !ctx.permissions.has("users:write")) {
    throw ApiError.forbidden("Missing permission: users:write");
  }
  const audit = auditRow(ctx, { action: "user.update", entityType: "user", entityId: id, newValues: input });
  let outcome: WriteOutcome<UserRow>;
  try {
    outcome = await updateUserRow(ctx, id, input, {
      ifMatch,
      isSelf,
      mayChangeIdentity: isSelf || ctx.isSuperAdmin,
      audit,
    });
  } catch (err) {
    throw identityConflict(err) ?? err;
  }
  if (outcome.kind === "shared_identity") {
    throw ApiError.conflict(
      SHARED_IDENTITY,
      IDENTITY_FIELDS.filter((f) => input[f] !== undefined).map((field) => ({
        field,
        message: "Belongs to the person, who is also a member of another organization",
      })),
    );
  }
  const row = outcomeOrThrow(outcome, MANAGE_DENIED);
  if (input.is_active === false) await revokeMemberAccessTokens(kv, ctx.tenantId, id);
  return versioned(row);
}

/**
 * Removes a member from the tenant: the membership is disabled (the global identity, their roles
 * and records stay, so PATCH is_active=true restores them), their refresh tokens in this tenant
 * are revoked and their access tokens for this tenant stop working at once (KV) — their sessions in
 * other tenants are not this tenant's to end. Yourself → 403, like every other
 * change to your own active flag. Deleting an already disabled member is a no-op 204.
 */
export async function deleteUser(
  ctx: TenantContext,
  kv: KVNamespace,
  id: string,
  ifMatch: number | undefined,
): Promise<void> {
  if (id === ctx.userId) throw ApiError.forbidden("You cannot disable yourself");
  const audit = auditRow(ctx, { action: "user.disable", entityType: "user", entityId: id });
  outcomeOrThrow(await disableUser(ctx, id, { ifMatch, audit }), MANAGE_DENIED);
  // Also on a repeated DELETE: a retry after a failed KV write must still end the sessions.
  await revokeMemberAccessTokens(kv, ctx.tenantId, id);
}

/**
 * Sets a member's roles in this tenant to exactly `roles`, in one round trip. Nobody changes
 * their own roles; every role added or removed must grant nothing the caller lacks (permissions
 * and scope), and only an owner grants or removes `owner`. The new roles reach the user's access
 * token at its next refresh.
 */
export async function assignRoles(
  ctx: TenantContext,
  kv: KVNamespace,
  id: string,
  input: AssignRolesInput,
  ifMatch: number | undefined,
): Promise<VersionedUser> {
  if (id === ctx.userId) throw ApiError.forbidden("You cannot change your own roles");
  const names = [...new Set(input.roles)];
  const audit = auditRow(ctx, {
    action: "user.roles.set",
    entityType: "user",
    entityId: id,
    newValues: { roles: names },
  });
  const result = await setUserRoles(ctx, id, names, { ifMatch, audit });
  if (!result.visible) throw ApiError.notFound("User");
  const unknown = input.roles
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => !result.knownNames.includes(name));
  if (unknown.length > 0) {
    throw ApiError.validation(
      "Unknown role",
      unknown.map(({ name, index }) => ({ field: `roles.${index}`, message: `No role named ${name}` })),
    );
  }
  if (!result.allowed) {
    throw ApiError.forbidden("You may only grant or remove roles whose rights and scope you have yourself");
  }
  if (!result.applied || !result.user) throw preconditionFailed();
  await membershipChanged(kv, ctx.tenantId, id);
  return versioned(result.user);
}
