import { auditRow } from "../../core/audit";
import { hashPassword } from "../../core/auth/password";
import { revokeUserAccessTokens } from "../../core/auth/tokens";
import type { AuthInfo } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { log } from "../../core/logger";
import { clientAddressKey, rateLimited, validIp } from "../../core/rate-limit";
import type { PasswordResetMessage } from "../../jobs/outbox-messages";
import { enforceAuthRateLimits, normalizeEmail } from "./abuse";
import { findUserWithLock, recordFailures } from "./auth.repo";
import type { ChangePasswordInput, ForgotPasswordInput, ResetPasswordInput } from "./auth.schemas";
import { checkPassword, eventMeta, mintSession, type PublicContext } from "./auth.service";
import { applyPasswordChange, issueResetToken, spendResetToken } from "./passwords.repo";
import { hashResetToken, newResetToken, RESET_TOKEN_TTL_SECONDS } from "./refresh-token";

/** forgot-password's one answer, for every email: registered, unknown or disabled. */
export const FORGOT_PASSWORD_MESSAGE = "If the address is registered, a reset link has been sent";

const INVALID_RESET_TOKEN = "The reset link is invalid or has expired; request a new one";

/**
 * `revokeUserAccessTokens` voids tokens minted at or before the moment it records (millisecond
 * precision, from the token's uuidv7 jti). The Workers clock only moves across I/O, so the
 * session minted right after a revocation waits out that millisecond first.
 */
async function afterMillisecond(revokedAt: number): Promise<void> {
  while (Date.now() <= revokedAt) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * The caller, after proving they know their password — the guard in front of changing a
 * credential (password, email): rate limited per account, 429 while the email or address is
 * locked, and a wrong password is a 400 on `field` that counts towards the lockout (and is audited
 * with `reason`) exactly like a failed login. One round trip, two on a failure.
 */
export async function confirmOwnPassword(
  ctx: PublicContext,
  auth: AuthInfo,
  password: string,
  failure: { field: string; reason: string },
) {
  await enforceAuthRateLimits(ctx.limiters, "change", ctx.ip, auth.userId);
  const ipKey = clientAddressKey(ctx.ip);
  const found = await findUserWithLock(ctx.db, auth.userId, ipKey);
  if (!found?.user.isActive) throw ApiError.unauthenticated("Session is no longer valid");
  if (found.lockedForSeconds !== null) throw rateLimited(found.lockedForSeconds);
  const check = await checkPassword(password, found.user.passwordHash);
  if (!check.valid) {
    await recordFailures(
      ctx.db,
      { email: found.user.email, ip: ipKey },
      { ...eventMeta(ctx), reason: failure.reason },
    );
    throw ApiError.validation("The password is not correct", [
      { field: failure.field, message: "Incorrect password" },
    ]);
  }
  return found;
}

/**
 * Changes the caller's password and keeps only this device logged in: every refresh token of the
 * user is revoked, every access token voided (KV), and a fresh pair for the current tenant is
 * returned. Two round trips (the user with roles and lock state; then the atomic change with its
 * audit row). A wrong current password is a 400 on `current_password` that counts towards the
 * email's lockout exactly like a failed login; while locked the answer is 429.
 */
export async function changePassword(ctx: PublicContext, auth: AuthInfo, input: ChangePasswordInput) {
  const found = await confirmOwnPassword(ctx, auth, input.current_password, {
    field: "current_password",
    reason: "wrong_current_password",
  });
  if (input.new_password === input.current_password) {
    throw ApiError.validation("The new password must differ from the current one", [
      { field: "new_password", message: "Same as the current password" },
    ]);
  }
  const membership =
    found.memberships.find((m) => m.tenant.id === auth.homeTenantId) ??
    (auth.isSuperAdmin ? found.memberships[0] : undefined);
  if (!membership) throw ApiError.unauthenticated("Session is no longer valid");
  const passwordHash = await hashPassword(input.new_password);
  const actor = {
    ...ctx,
    ip: validIp(ctx.ip),
    tenantId: auth.tenantId,
    userId: auth.userId,
    roles: auth.roles,
    permissions: auth.permissions,
    scope: auth.scope,
    isSuperAdmin: auth.isSuperAdmin,
  };
  const revokedAt = Date.now();
  const session = await mintSession(ctx, found, membership, async (refreshToken) => {
    await Promise.all([
      applyPasswordChange(ctx.db, {
        userId: auth.userId,
        email: found.user.email,
        passwordHash,
        refreshToken,
        audit: auditRow(actor, {
          action: "user.password_change",
          entityType: "user",
          entityId: auth.userId,
          newValues: { password_changed: true, sessions_revoked: true },
        }),
      }),
      revokeUserAccessTokens(ctx.kv, auth.userId),
    ]);
    await afterMillisecond(revokedAt);
  });
  return session;
}

/**
 * Always the same 202, in one round trip whether or not the email is known: for an active user a
 * new single-use token (30 minutes) replaces their unused ones and a `password_reset` message goes
 * to the outbox queue. The message is sent after the response (waitUntil), so its cost does not
 * tell a known email from an unknown one.
 */
export async function forgotPassword(ctx: PublicContext, input: ForgotPasswordInput): Promise<void> {
  await enforceAuthRateLimits(ctx.limiters, "forgot", ctx.ip, normalizeEmail(input.email));
  const token = newResetToken();
  const expiresAt = new Date(Date.now() + RESET_TOKEN_TTL_SECONDS * 1000);
  const issued = await issueResetToken(
    ctx.db,
    input.email,
    {
      id: uuidv7(),
      tokenHash: await hashResetToken(token),
      expiresAt,
      ip: validIp(ctx.ip),
    },
    eventMeta(ctx),
  );
  if (!issued) return;
  const message: PasswordResetMessage = {
    type: "password_reset",
    user_id: issued.userId,
    email: issued.email,
    token,
    expires_at: expiresAt.toISOString(),
  };
  ctx.waitUntil(
    ctx.outbox.send(message).catch((err: unknown) =>
      log("error", "outbox send failed: password reset not queued", {
        request_id: ctx.requestId,
        user_id: issued.userId,
        error: err instanceof Error ? err.message : String(err),
      }),
    ),
  );
}

/**
 * Sets a new password with a reset token: valid once, within 30 minutes, for an active user.
 * One atomic round trip spends the token, stores the hash, drops the user's other reset tokens,
 * revokes every refresh token, clears the email's lockout and writes the system_audit row; then
 * the user's access tokens are voided in KV. Any invalid token — unknown, used, expired — is the
 * same 400 on `token`.
 */
export async function resetPassword(ctx: PublicContext, input: ResetPasswordInput): Promise<void> {
  const tokenHash = await hashResetToken(input.token);
  await enforceAuthRateLimits(ctx.limiters, "reset", ctx.ip, tokenHash.slice(0, 32));
  const userId = await spendResetToken(ctx.db, {
    tokenHash,
    passwordHash: await hashPassword(input.new_password),
    audit: {
      id: uuidv7(),
      action: "user.password_reset",
      entityType: "user",
      newValues: { password_changed: true, sessions_revoked: true },
      ip: validIp(ctx.ip),
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
    },
  });
  if (!userId) {
    throw ApiError.validation(INVALID_RESET_TOKEN, [{ field: "token", message: "Invalid or expired" }]);
  }
  await revokeUserAccessTokens(ctx.kv, userId);
}
