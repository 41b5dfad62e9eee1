import { auditRow } from "../../core/audit";
import { membershipChanged } from "../../core/auth/organization";
import { canGrant } from "../../core/auth/permissions";
import { revokeMemberAccessTokens } from "../../core/auth/tokens";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { applyMembershipChange, lookupMember, type MemberLookup, type RoleRef } from "./members.repo";
import type { AddMemberInput, MemberDto, UpdateMemberInput } from "./members.schemas";

/**
 * The tenant a members route acts on: your own tenant (any other id is "not found"); a platform
 * administrator may name any tenant.
 */
function organizationContext(ctx: TenantContext, id: string): TenantContext {
  if (id === ctx.tenantId) return ctx;
  if (ctx.isSuperAdmin) return { ...ctx, tenantId: id };
  throw ApiError.notFound("Organization");
}

function assertGrantable(ctx: TenantContext, roles: readonly RoleRef[]): void {
  const refused = roles.filter((r) => !canGrant(ctx, r));
  if (refused.length > 0) {
    throw ApiError.forbidden(
      `You cannot grant or take away a role above your own rights: ${refused.map((r) => r.name).join(", ")}`,
    );
  }
}

function requireRole(found: MemberLookup, name: string): RoleRef {
  if (!found.role)
    throw ApiError.validation("Unknown role", [{ field: "role", message: `No role named ${name}` }]);
  return found.role;
}

function toMemberDto(
  user: NonNullable<MemberLookup["user"]>,
  status: "active" | "disabled",
  roles: readonly RoleRef[],
): MemberDto {
  return {
    user_id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    status,
    roles: roles.map((r) => r.name),
  };
}

/** Adds an existing user to the tenant with one role (a disabled member is re-activated). Two round trips. */
export async function addMember(
  ctx: TenantContext,
  kv: KVNamespace,
  orgId: string,
  input: AddMemberInput,
): Promise<MemberDto> {
  const org = organizationContext(ctx, orgId);
  const found = await lookupMember(
    org.db,
    org.tenantId,
    { email: input.email, userId: input.user_id },
    input.role,
  );
  if (!found.user) throw ApiError.notFound("User");
  if (found.status === "active") throw ApiError.conflict("This user is already a member");
  const role = requireRole(found, input.role);
  assertGrantable(org, [role, ...found.currentRoles]);
  await applyMembershipChange(org.db, {
    tenantId: org.tenantId,
    userId: found.user.id,
    activate: true,
    roleId: role.id,
    audit: auditRow(org, {
      action: "member.add",
      entityType: "member",
      entityId: found.user.id,
      oldValues: found.status ? { status: found.status, roles: found.currentRoles.map((r) => r.name) } : null,
      newValues: { status: "active", roles: [role.name] },
    }),
  });
  await membershipChanged(kv, org.tenantId, found.user.id);
  return toMemberDto(found.user, "active", [role]);
}

/** Changes a member's role and/or status. Nobody changes their own. Two round trips. */
export async function updateMember(
  ctx: TenantContext,
  kv: KVNamespace,
  orgId: string,
  userId: string,
  input: UpdateMemberInput,
): Promise<MemberDto> {
  const org = organizationContext(ctx, orgId);
  if (userId === ctx.userId) throw ApiError.forbidden("You cannot change your own role or status");
  const found = await lookupMember(org.db, org.tenantId, { userId }, input.role);
  if (!found.user || !found.status) throw ApiError.notFound("Member");
  const role = input.role === undefined ? undefined : requireRole(found, input.role);
  assertGrantable(org, role ? [role, ...found.currentRoles] : found.currentRoles);
  const disabling = input.status === "disabled" && found.status === "active";
  await applyMembershipChange(org.db, {
    tenantId: org.tenantId,
    userId,
    status: input.status,
    roleId: role?.id,
    revokeSessions: disabling,
    audit: auditRow(org, {
      action: "member.update",
      entityType: "member",
      entityId: userId,
      oldValues: { status: found.status, roles: found.currentRoles.map((r) => r.name) },
      newValues: {
        ...(input.status ? { status: input.status } : {}),
        ...(role ? { roles: [role.name] } : {}),
      },
    }),
  });
  // Disabling voids their tokens here too; any change drops the cached X-Organization-Id grant.
  await (disabling
    ? revokeMemberAccessTokens(kv, org.tenantId, userId)
    : membershipChanged(kv, org.tenantId, userId));
  return toMemberDto(found.user, input.status ?? found.status, role ? [role] : found.currentRoles);
}

/**
 * Removes a member from the tenant and ends their sessions there — only there: their other
 * tenants keep their sessions. Two round trips plus a KV write.
 */
export async function removeMember(
  ctx: TenantContext,
  kv: KVNamespace,
  orgId: string,
  userId: string,
): Promise<void> {
  const org = organizationContext(ctx, orgId);
  if (userId === ctx.userId) throw ApiError.forbidden("You cannot remove yourself");
  const found = await lookupMember(org.db, org.tenantId, { userId }, undefined);
  if (!found.user || !found.status) throw ApiError.notFound("Member");
  assertGrantable(org, found.currentRoles);
  await applyMembershipChange(org.db, {
    tenantId: org.tenantId,
    userId,
    remove: true,
    revokeSessions: true,
    audit: auditRow(org, {
      action: "member.remove",
      entityType: "member",
      entityId: userId,
      oldValues: { status: found.status, roles: found.currentRoles.map((r) => r.name) },
    }),
  });
  await revokeMemberAccessTokens(kv, org.tenantId, userId);
}
