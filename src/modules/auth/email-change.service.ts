import type { AuthInfo } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { log } from "../../core/logger";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { validIp } from "../../core/rate-limit";
import type { EmailChangeConfirmMessage, EmailChangeNoticeMessage } from "../../jobs/outbox-messages";
import { enforceAuthRateLimits } from "./abuse";
import type { ChangeEmailInput, ConfirmEmailInput } from "./auth.schemas";
import { eventMeta, type PublicContext } from "./auth.service";
import { confirmEmailChange, storeEmailChange } from "./email-change.repo";
import { confirmOwnPassword } from "./passwords.service";
import { hashResetToken, newResetToken } from "./refresh-token";

/** Email-change links are valid for 24 hours, once. */
export const EMAIL_CHANGE_TTL_SECONDS = 24 * 3600;

export const CHANGE_EMAIL_MESSAGE = "A confirmation link has been sent to the new address";

const INVALID_CONFIRMATION = "The confirmation link is invalid or has expired; request a new one";

const TAKEN = [{ field: "new_email", message: "Already in use" }];

function send(ctx: PublicContext, message: EmailChangeConfirmMessage | EmailChangeNoticeMessage): void {
  ctx.waitUntil(
    ctx.outbox.send(message).catch((err: unknown) =>
      log("error", "outbox send failed: email change message not queued", {
        request_id: ctx.requestId,
        user_id: message.user_id,
        type: message.type,
        error: err instanceof Error ? err.message : String(err),
      }),
    ),
  );
}

/**
 * Starts a change of the caller's own login email — the one way a person's email changes unless a
 * platform administrator (or, while they belong to no other tenant, their tenant's admin) does it.
 * The current password is required (a stolen access token alone cannot move the account) and a
 * wrong one counts towards the lockout like a failed login. A single-use link (24 h) goes to the
 * new address and a notice to the old one; nothing changes until the link is confirmed.
 */
export async function requestEmailChange(
  ctx: PublicContext,
  auth: AuthInfo,
  input: ChangeEmailInput,
): Promise<void> {
  const found = await confirmOwnPassword(ctx, auth, input.password, {
    field: "password",
    reason: "wrong_password_email_change",
  });
  if (input.new_email.toLowerCase() === found.user.email.toLowerCase()) {
    throw ApiError.validation("That is already your email", [
      { field: "new_email", message: "Same as the current email" },
    ]);
  }
  const token = newResetToken();
  const expiresAt = new Date(Date.now() + EMAIL_CHANGE_TTL_SECONDS * 1000);
  const stored = await storeEmailChange(ctx.db, {
    id: uuidv7(),
    userId: auth.userId,
    newEmail: input.new_email,
    tokenHash: await hashResetToken(token),
    expiresAt,
    ip: validIp(ctx.ip),
  });
  if (!stored) throw ApiError.conflict("Another account uses this email", TAKEN);
  const base = { user_id: auth.userId };
  send(ctx, {
    ...base,
    type: "email_change_confirm",
    email: input.new_email,
    token,
    expires_at: expiresAt.toISOString(),
  });
  send(ctx, {
    ...base,
    type: "email_change_notice",
    email: found.user.email,
    new_email: input.new_email,
    stage: "requested",
  });
}

/**
 * Confirms an email change with the token from the link sent to the new address: one atomic
 * round trip (see `confirmEmailChange`), then a notice to the old address. An unknown, used or
 * expired token is the same 400 on `token`; an address taken meanwhile is 409.
 */
export async function confirmEmail(ctx: PublicContext, input: ConfirmEmailInput): Promise<void> {
  const tokenHash = await hashResetToken(input.token);
  await enforceAuthRateLimits(ctx.limiters, "reset", ctx.ip, tokenHash.slice(0, 32));
  let changed: Awaited<ReturnType<typeof confirmEmailChange>>;
  try {
    changed = await confirmEmailChange(ctx.db, tokenHash, eventMeta(ctx));
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === UNIQUE_VIOLATION) throw ApiError.conflict("Another account uses this email", TAKEN);
    throw err;
  }
  if (!changed) {
    throw ApiError.validation(INVALID_CONFIRMATION, [{ field: "token", message: "Invalid or expired" }]);
  }
  send(ctx, {
    type: "email_change_notice",
    user_id: changed.userId,
    email: changed.oldEmail,
    new_email: changed.newEmail,
    stage: "completed",
  });
}
