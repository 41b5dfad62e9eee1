import { revokeSessionAccessTokens } from "../../core/auth/tokens";
import type { AuthInfo } from "../../core/context";
import { ApiError } from "../../core/errors";
import { log } from "../../core/logger";
import { findUserById } from "./auth.repo";
import {
  authAudit,
  mintAccess,
  newChildToken,
  type PublicContext,
  sessionBody,
  startSession,
} from "./auth.service";
import { hashRefreshToken, successorRefreshToken } from "./refresh-token";
import { findRefreshSession, revokeFamily, rotateRefreshToken, successorStillFresh } from "./sessions.repo";

/** A repeat of a refresh within this many seconds, whose successor was never used, gets that successor again. */
export const REFRESH_REUSE_GRACE_SECONDS = 30;

const INVALID_REFRESH = "Invalid or expired refresh token";

/**
 * Ends a session: its refresh family is revoked with an audit row (one round trip) and every
 * access token carrying its `sid` is void at once (one KV write).
 */
async function endSession(
  ctx: PublicContext,
  session: { familyId: string; tenantId: string; userId: string },
  action: string,
): Promise<void> {
  await Promise.all([
    revokeFamily(
      ctx.db,
      session.familyId,
      authAudit(ctx, { tenantId: session.tenantId, userId: session.userId, action }),
    ),
    revokeSessionAccessTokens(ctx.kv, session.familyId),
  ]);
}

/**
 * Rotates a refresh token: two round trips (the token with its user and roles; the atomic
 * rotate-and-insert). The successor is derived from the token itself (HMAC with the server key), so
 * the same token presented again — a duplicated request still in flight, or a retry after a lost
 * answer — gets the SAME successor while that successor is unused and the rotation is at most
 * 30 s old: whichever answer the phone keeps, it works. Anything else (the successor was used, or
 * the window passed) is reuse: the whole session ends, its access tokens included, and the event
 * is audited.
 */
export async function refresh(ctx: PublicContext, refreshToken: string) {
  const found = await findRefreshSession(ctx.db, await hashRefreshToken(refreshToken));
  if (!found) throw ApiError.unauthenticated(INVALID_REFRESH);
  const { token, session } = found;
  const membership = session.memberships.find((m) => m.tenant.id === token.tenantId);
  if (token.revokedAt || token.expiresAt.getTime() <= Date.now() || !session.user.isActive || !membership) {
    throw ApiError.unauthenticated(INVALID_REFRESH);
  }
  const child = await newChildToken(ctx, await successorRefreshToken(ctx.config.JWT_SECRET, refreshToken));
  const rotated = token.rotatedAt === null && (await rotateRefreshToken(ctx.db, token.id, child.row));
  if (
    !rotated &&
    !(await successorStillFresh(ctx.db, token.id, child.row.tokenHash, REFRESH_REUSE_GRACE_SECONDS))
  ) {
    await endSession(ctx, token, "auth.refresh_reuse");
    log("warn", "refresh token reuse: session ended", {
      request_id: ctx.requestId,
      user_id: token.userId,
      family_id: token.familyId,
    });
    throw ApiError.unauthenticated(INVALID_REFRESH);
  }
  return sessionBody(
    session,
    membership,
    await mintAccess(ctx, session, membership, token.familyId),
    child.token,
  );
}

/** Ends the caller's session: refresh family revoked, every access token of it void. */
export async function logout(ctx: PublicContext, auth: AuthInfo): Promise<void> {
  await endSession(
    ctx,
    { familyId: auth.sessionId, tenantId: auth.homeTenantId, userId: auth.userId },
    "auth.logout",
  );
}

/**
 * Makes another of the caller's tenants the active one: a new session for that tenant (audited
 * there as `auth.switch_tenant`) replaces the current one, which ends (audited as `auth.logout`).
 * A tenant the caller does not belong to is "not found".
 */
export async function switchTenant(ctx: PublicContext, auth: AuthInfo, tenantId: string) {
  const found = await findUserById(ctx.db, auth.userId);
  if (!found?.user.isActive) throw ApiError.unauthenticated("Session is no longer valid");
  const membership = found.memberships.find((m) => m.tenant.id === tenantId);
  if (!membership) throw ApiError.notFound("Site");
  const [session] = await Promise.all([
    startSession(ctx, found, membership, {
      action: "auth.switch_tenant",
      newValues: { from_tenant_id: auth.homeTenantId },
    }),
    logout(ctx, auth),
  ]);
  return session;
}
