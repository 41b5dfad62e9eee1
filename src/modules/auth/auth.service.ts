import { hashPassword, verifyPassword } from "../../core/auth/password";
import { resolveGrants } from "../../core/auth/permissions";
import { signAccessToken } from "../../core/auth/tokens";
import type { AuthInfo } from "../../core/context";
import type { Db } from "../../core/db";
import type { AppConfig } from "../../core/env";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import type { users } from "../../db/schema";
import { toTenantDto } from "../tenants/tenants.service";
import {
  findUserByEmail,
  findUserById,
  type MembershipGrant,
  recordLogin,
  type UserWithMemberships,
} from "./auth.repo";
import type { LoginInput } from "./auth.schemas";
import { hashRefreshToken, newRefreshToken, REFRESH_TOKEN_TTL_SECONDS } from "./refresh-token";

/** Auth routes run before there is a tenant: they get the database and request metadata only. */
export interface PublicContext {
  db: Db;
  config: AppConfig;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

const INVALID_CREDENTIALS = "Invalid email or password";

/** Verifying against this when the email is unknown makes both answers cost the same time. */
let dummyHash: Promise<string> | undefined;

function toUserDto(user: typeof users.$inferSelect) {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    phone: user.phone,
    is_active: user.isActive,
    is_super_admin: user.isSuperAdmin,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
  };
}

function toSites(memberships: MembershipGrant[]) {
  return memberships.map((m) => ({
    id: m.tenant.id,
    name: m.tenant.name,
    slug: m.tenant.slug,
    roles: m.roles.map((r) => r.name),
  }));
}

/** Mints the access token and a new refresh-token family for `membership`; one round trip. */
async function startSession(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  rehashed: string | undefined,
) {
  const grants = resolveGrants(membership.roles);
  const access = await signAccessToken(ctx.config, {
    sub: found.user.id,
    tid: membership.tenant.id,
    roles: membership.roles.map((r) => r.name),
    perms: grants.permissions,
    scope: grants.scope,
    ...(found.user.isSuperAdmin ? { sa: true } : {}),
  });
  const refreshToken = newRefreshToken();
  const id = uuidv7();
  await recordLogin(
    ctx.db,
    {
      id,
      userId: found.user.id,
      tenantId: membership.tenant.id,
      familyId: id,
      tokenHash: await hashRefreshToken(refreshToken),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
      userAgent: ctx.userAgent,
      ip: ctx.ip,
    },
    rehashed,
  );
  return {
    user: toUserDto(found.user),
    tenant: toTenantDto(membership.tenant),
    access_token: access.token,
    refresh_token: refreshToken,
    token_type: "Bearer" as const,
    expires_in: access.expiresIn,
    sites: toSites(found.memberships),
  };
}

/**
 * Email + password → tokens for the requested (or first) tenant. Two round trips: load the user
 * with memberships and roles, then store the refresh token with the login stamp. Every failure —
 * unknown email, wrong password, disabled user, not a member — is the same 401 in the same time.
 */
export async function login(ctx: PublicContext, input: LoginInput) {
  const email = input.email ?? input.username ?? "";
  const found = await findUserByEmail(ctx.db, email);
  dummyHash ??= hashPassword("not-a-real-password");
  const check = await verifyPassword(input.password, found?.user.passwordHash ?? (await dummyHash));
  if (!found || !check.valid || !found.user.isActive) throw ApiError.unauthenticated(INVALID_CREDENTIALS);
  const membership = input.tenant_id
    ? found.memberships.find((m) => m.tenant.id === input.tenant_id)
    : found.memberships[0];
  if (!membership) throw ApiError.unauthenticated(INVALID_CREDENTIALS);
  const rehashed = check.needsRehash ? await hashPassword(input.password) : undefined;
  return startSession(ctx, found, membership, rehashed);
}

/** The caller as the token and the database see them: one round trip. */
export async function me(db: Db, auth: AuthInfo) {
  const found = await findUserById(db, auth.userId);
  const membership = found?.memberships.find((m) => m.tenant.id === auth.tenantId);
  if (!found || !membership || !found.user.isActive)
    throw ApiError.unauthenticated("Session is no longer valid");
  return {
    user: toUserDto(found.user),
    tenant: toTenantDto(membership.tenant),
    roles: [...auth.roles],
    permissions: [...auth.permissions].sort(),
    scope: auth.scope,
    sites: toSites(found.memberships),
  };
}
