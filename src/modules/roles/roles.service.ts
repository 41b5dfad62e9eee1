import { auditRow } from "../../core/audit";
import { organizationChanged } from "../../core/auth/organization";
import { canGrant, roleGrants } from "../../core/auth/permissions";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { preconditionFailed } from "../../core/etag";
import { uuidv7 } from "../../core/ids";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { scopeRank } from "./grantable";
import {
  deleteRole as deleteRoleRow,
  findRole,
  insertRole,
  listRoles as listRoleRows,
  type RoleRow,
  type RoleWriteOutcome,
  updateRole as updateRoleRow,
} from "./roles.repo";
import type { CreateRoleInput, RoleDto, UpdateRoleInput } from "./roles.schemas";

/** System roles show what they grant today (the code's catalogue), not their stored snapshot. */
export function toRoleDto(row: RoleRow): RoleDto {
  const grants = roleGrants({
    name: row.name,
    isSystem: row.is_system,
    permissions: row.permissions,
    scope: row.scope,
  });
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: [...grants.permissions].sort(),
    scope: grants.scope,
    is_system: row.is_system,
    user_count: row.user_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export interface VersionedRole {
  role: RoleDto;
  version: number;
}

/** The tenant's roles (reference data: the route answers with a content ETag). One round trip. */
export async function listRoles(ctx: TenantContext) {
  const rows = await listRoleRows(ctx);
  return {
    data: rows.map(toRoleDto),
    pagination: { page: 1, page_size: rows.length, total: rows.length, pages: 1, next_cursor: null },
  };
}

export async function getRole(ctx: TenantContext, id: string): Promise<VersionedRole> {
  const row = await findRole(ctx, id);
  if (!row) throw ApiError.notFound("Role");
  return { role: toRoleDto(row), version: row.version };
}

const ESCALATION = "A role cannot grant permissions or a scope you do not have yourself";

/** 403 with details when a role definition grants a permission or scope the caller lacks. */
function assertWithinCaller(
  ctx: TenantContext,
  permissions: readonly string[] | undefined,
  scope: RoleDto["scope"] | undefined,
): void {
  if (ctx.isSuperAdmin) return;
  const missing = (permissions ?? []).filter((p) => !ctx.permissions.has(p));
  const tooWide = scope !== undefined && scopeRank(scope) > scopeRank(ctx.scope);
  if (missing.length === 0 && !tooWide) return;
  throw new ApiError("AUTHORIZATION_ERROR", ESCALATION, {
    details: [
      ...missing.map((p) => ({ field: "permissions", message: `You do not have ${p}` })),
      ...(tooWide ? [{ field: "scope", message: `Wider than your own scope (${ctx.scope})` }] : []),
    ],
  });
}

function nameConflict(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === UNIQUE_VIOLATION && pg.constraint === "roles_tenant_name_key") {
    throw ApiError.conflict("A role with this name already exists", [
      { field: "name", message: "Already in use" },
    ]);
  }
  throw err;
}

/**
 * A custom role: catalogue permissions only (400 otherwise, by the schema), a name unique in the
 * tenant (409, system names included), and nothing the caller could not grant (403). One round
 * trip with its audit row.
 */
export async function createRole(ctx: TenantContext, input: CreateRoleInput): Promise<VersionedRole> {
  const role = { name: input.name, isSystem: false, permissions: input.permissions, scope: input.scope };
  if (!canGrant(ctx, role)) {
    assertWithinCaller(ctx, input.permissions, input.scope);
    throw ApiError.forbidden(ESCALATION);
  }
  const id = uuidv7();
  const audit = auditRow(ctx, {
    action: "role.create",
    entityType: "role",
    entityId: id,
    newValues: { ...input },
  });
  let created: Awaited<ReturnType<typeof insertRole>>;
  try {
    created = await insertRole(
      ctx,
      {
        tenantId: ctx.tenantId,
        id,
        name: input.name,
        description: input.description ?? null,
        permissions: input.permissions,
        scope: input.scope,
        isSystem: false,
      },
      audit,
    );
  } catch (err) {
    nameConflict(err);
  }
  if (!created) throw new Error("role insert returned nothing");
  return {
    version: created.version,
    role: {
      id,
      name: created.name,
      description: created.description,
      permissions: created.permissions,
      scope: created.scope,
      is_system: false,
      user_count: 0,
      created_at: created.createdAt.toISOString(),
      updated_at: created.updatedAt.toISOString(),
    },
  };
}

function outcomeOrThrow<T>(outcome: RoleWriteOutcome<T>): T {
  switch (outcome.kind) {
    case "not_found":
      throw ApiError.notFound("Role");
    case "system":
      throw ApiError.conflict("System roles cannot be changed or deleted");
    case "forbidden":
      throw ApiError.forbidden("This role grants rights you do not have");
    case "assigned":
      throw ApiError.conflict("The role is still assigned; give its members other roles first");
    case "stale":
      throw preconditionFailed();
    case "ok":
      return outcome.row;
  }
}

/**
 * Partial update of a custom role (system roles → 409). The caller must be able to grant the
 * role both as it is and as it will be. Members get the new rights at their next token refresh.
 */
export async function updateRole(
  ctx: TenantContext,
  kv: KVNamespace,
  id: string,
  input: UpdateRoleInput,
  ifMatch: number | undefined,
): Promise<VersionedRole> {
  assertWithinCaller(ctx, input.permissions, input.scope);
  const audit = auditRow(ctx, { action: "role.update", entityType: "role", entityId: id, newValues: input });
  let outcome: RoleWriteOutcome<RoleRow>;
  try {
    outcome = await updateRoleRow(ctx, id, input, { ifMatch, audit });
  } catch (err) {
    nameConflict(err);
  }
  const row = outcomeOrThrow(outcome);
  // Members acting here through X-Organization-Id get the new rights at once (their tokens at refresh).
  await organizationChanged(kv, ctx.tenantId);
  return { role: toRoleDto(row), version: row.version };
}

/** Deletes a custom role nobody holds (assigned → 409, system → 409). */
export async function deleteRole(ctx: TenantContext, id: string, ifMatch: number | undefined): Promise<void> {
  const audit = auditRow(ctx, { action: "role.delete", entityType: "role", entityId: id });
  outcomeOrThrow(await deleteRoleRow(ctx, id, { ifMatch, audit }));
}
