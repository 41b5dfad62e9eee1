import { eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import { loginAttempts, passwordResetTokens } from "../../src/db/schema";
import { hashResetToken, newResetToken } from "../../src/modules/auth/refresh-token";
import { testDb } from "../helpers/db";
import { call } from "../helpers/http";

/** The shape of login's (and change-password's) `data`. */
export interface SessionBody {
  data: {
    user: { id: string; email: string };
    tenant: { id: string };
    access_token: string;
    refresh_token: string;
    token_type: string;
    expires_in: number;
    sites: { id: string; roles: string[] }[];
  };
}

/**
 * A client address of its own for each test: rate-limit windows are kept in memory for the whole
 * run, so tests must never share an address (or an email) they count on.
 */
export function randomIp(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${Math.max(1, c)}`;
}

export function uniqueEmail(prefix = "someone"): string {
  return `${prefix}-${crypto.randomUUID()}@example.test`;
}

export function login(email: string, password: string, ip?: string) {
  return call<SessionBody>("POST", "/api/auth/login", {
    body: { email, password },
    headers: ip ? { "cf-connecting-ip": ip } : {},
  });
}

/**
 * A reset token for `userId`, stored as forgot-password stores it (SHA-256 only); returns the
 * plaintext the emailed link would carry.
 */
export async function createResetToken(
  userId: string,
  options: { expiresAt?: Date; usedAt?: Date | null } = {},
): Promise<string> {
  const token = newResetToken();
  await testDb()
    .insert(passwordResetTokens)
    .values({
      id: uuidv7(),
      userId,
      tokenHash: await hashResetToken(token),
      expiresAt: options.expiresAt ?? new Date(Date.now() + 30 * 60_000),
      usedAt: options.usedAt ?? null,
    });
  return token;
}

export async function resetTokensOf(userId: string) {
  return testDb().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
}

export async function attemptsOf(subject: string) {
  const [row] = await testDb().select().from(loginAttempts).where(eq(loginAttempts.subject, subject));
  return row;
}

/** Ends a lock now, as if its time had passed (the failure history stays). */
export async function expireLock(subject: string): Promise<void> {
  await testDb()
    .update(loginAttempts)
    .set({ lockedUntil: new Date(Date.now() - 1000) })
    .where(eq(loginAttempts.subject, subject));
}
