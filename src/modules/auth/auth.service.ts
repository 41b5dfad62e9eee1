import { hashPassword, verifyPassword } from "../../core/auth/password";
import { resolveGrants } from "../../core/auth/permissions";
import { deniedTokenKey, signAccessToken } from "../../core/auth/tokens";
import type { AuthInfo } from "../../core/context";
import type { Db } from "../../core/db";
import type { AppConfig } from "../../core/env";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { log } from "../../core/logger";
import type { users } from "../../db/schema";
import { toTenantDto } from "../tenants/tenants.service";
import {
  findRefreshSession,
  findUserByEmail,
  findUserById,
  type MembershipGrant,
  recordLogin,
  reissueUnusedChild,
  revokeFamily,
  rotateRefreshToken,
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

/** The access token for `membership`, bound to the refresh family `sessionId`. */
async function mintAccess(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  sessionId: string,
) {
  const grants = resolveGrants(membership.roles);
  return signAccessToken(ctx.config, {
    sub: found.user.id,
    tid: membership.tenant.id,
    roles: membership.roles.map((r) => r.name),
    perms: grants.permissions,
    scope: grants.scope,
    sid: sessionId,
    ...(found.user.isSuperAdmin ? { sa: true } : {}),
  });
}

function sessionBody(
  found: UserWithMemberships,
  membership: MembershipGrant,
  access: { token: string; expiresIn: number },
  refreshToken: string,
) {
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

async function newChildToken(ctx: PublicContext) {
  const token = newRefreshToken();
  return {
    token,
    row: {
      id: uuidv7(),
      tokenHash: await hashRefreshToken(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
      userAgent: ctx.userAgent,
      ip: ctx.ip,
    },
  };
}

/** Starts a new refresh family for `membership` and mints its first pair; one round trip. */
async function startSession(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  rehashed: string | undefined,
) {
  const child = await newChildToken(ctx);
  const familyId = child.row.id;
  await recordLogin(
    ctx.db,
    { ...child.row, userId: found.user.id, tenantId: membership.tenant.id, familyId },
    rehashed,
  );
  return sessionBody(found, membership, await mintAccess(ctx, found, membership, familyId), child.token);
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

/** A retry within this many seconds of a rotation, whose new token was never used, is a lost response. */
export const REFRESH_REUSE_GRACE_SECONDS = 30;

const INVALID_REFRESH = "Invalid or expired refresh token";

/**
 * Rotates a refresh token: two round trips (the token with its user and roles; the atomic
 * rotate-and-insert). A token used twice revokes its whole family — unless the second use comes
 * within the grace window and the token it produced was never used, which is a mobile client
 * retrying after a lost response: that one gets a fresh pair.
 */
export async function refresh(ctx: PublicContext, refreshToken: string) {
  const found = await findRefreshSession(ctx.db, await hashRefreshToken(refreshToken));
  if (!found) throw ApiError.unauthenticated(INVALID_REFRESH);
  const { token, session } = found;
  const membership = session.memberships.find((m) => m.tenant.id === token.tenantId);
  if (token.revokedAt || token.expiresAt.getTime() <= Date.now() || !session.user.isActive || !membership) {
    throw ApiError.unauthenticated(INVALID_REFRESH);
  }
  const child = await newChildToken(ctx);
  let issued = token.rotatedAt ? false : await rotateRefreshToken(ctx.db, token.id, child.row);
  if (!issued) {
    const rotatedAt = token.rotatedAt?.getTime() ?? Date.now();
    const withinGrace = Date.now() - rotatedAt <= REFRESH_REUSE_GRACE_SECONDS * 1000;
    issued = withinGrace && (await reissueUnusedChild(ctx.db, token.id, child.row));
    if (!issued) {
      await revokeFamily(ctx.db, token.familyId);
      log("warn", "refresh token reuse: family revoked", {
        request_id: ctx.requestId,
        user_id: token.userId,
        family_id: token.familyId,
      });
      throw ApiError.unauthenticated(INVALID_REFRESH);
    }
  }
  return sessionBody(
    session,
    membership,
    await mintAccess(ctx, session, membership, token.familyId),
    child.token,
  );
}

/**
 * Ends the session: the refresh family is revoked and the access token's id is denied in KV until
 * the token would have expired anyway. One round trip plus one KV write.
 */
export async function logout(ctx: PublicContext, kv: KVNamespace, auth: AuthInfo): Promise<void> {
  const ttl = Math.max(60, auth.expiresAt - Math.floor(Date.now() / 1000));
  await Promise.all([
    auth.sessionId ? revokeFamily(ctx.db, auth.sessionId) : Promise.resolve(),
    kv.put(deniedTokenKey(auth.tokenId), "1", { expirationTtl: ttl }),
  ]);
}
