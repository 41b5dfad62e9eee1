import { clientAddressKey, enforceRateLimits, type RateLimitCheck } from "../../core/rate-limit";

/**
 * Abuse protection for the password endpoints, in two layers:
 *
 * 1. **Rate limits** (Workers rate-limit binding, no database): every attempt counts, per client
 *    address and per account, whatever its outcome. Exceeding → 429 with Retry-After.
 * 2. **Lockout with backoff** (table `login_attempts`): only failures count. After `threshold`
 *    failures (a pause longer than `windowMinutes` since the last one starts the count afresh) a
 *    subject is locked for `baseSeconds`, doubling with each further lockout up to `maxSeconds`;
 *    lockouts are forgotten after `memoryHours` without failures. Subjects are `email:<lower-cased email>` (reset by a success) and
 *    `ip:<address or IPv6 /64>` (never reset by a success, so an attacker cannot clear it by
 *    logging into an account of their own; its threshold is higher because offices and mobile
 *    carriers put many people behind one address).
 *
 * An unknown email is counted, limited and locked exactly like a known one, so none of these
 * answers says whether an email is registered.
 */
export const LOCKOUT = {
  emailThreshold: 5,
  ipThreshold: 50,
  windowMinutes: 15,
  baseSeconds: 60,
  maxSeconds: 3600,
  /** Lockouts older than this (since the last failure) no longer double the next one. */
  memoryHours: 24,
} as const;

/** The limiter bindings the auth routes use (wrangler.jsonc `ratelimits`). */
export interface AuthLimiters {
  /** Per client address, every password endpoint (30 a minute). */
  ip: RateLimit;
  /** Per account: login, change-password, reset-password (10 a minute). */
  account: RateLimit;
  /** Per email address for forgot-password, which sends mail (3 a minute). */
  mail: RateLimit;
}

export type GuardedAction = "login" | "forgot" | "reset" | "change";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * What identifies an attempt's lockout subjects: the email as typed (the repository stores it as
 * `email:` + lower(email)) and the client address key (`ip:` + address or /64), when known.
 */
export interface LockoutKeys {
  email: string;
  ip: string | undefined;
}

export function lockoutKeys(email: string, ip: string | null): LockoutKeys {
  return { email: email.trim(), ip: clientAddressKey(ip) };
}

/**
 * Counts this attempt against the client address's and the account's limits; 429 when over.
 * `account` is what identifies the account for this action (an email, a user id, a token hash).
 * No limiters (AUTH_RATE_LIMITS=off, development only) means no limit; the lockout still applies.
 */
export async function enforceAuthRateLimits(
  limiters: AuthLimiters | undefined,
  action: GuardedAction,
  ip: string | null,
  account: string,
): Promise<void> {
  if (!limiters) return;
  const checks: RateLimitCheck[] = [
    { limiter: action === "forgot" ? limiters.mail : limiters.account, key: `${action}:acct:${account}` },
  ];
  const address = clientAddressKey(ip);
  if (address) checks.push({ limiter: limiters.ip, key: `${action}:ip:${address}` });
  await enforceRateLimits(checks);
}
