import { ApiError } from "./errors";

/**
 * Rate limits on top of the Workers rate-limit binding (`ratelimits` in wrangler.jsonc): a
 * fixed-window counter per key, kept per Cloudflare location, with no database round trip. The
 * binding's period is 10 or 60 seconds and it does not say when the window ends, so a refusal
 * answers `Retry-After` with the whole period: a client that waits that long is always let in.
 *
 * Miniflare (wrangler dev, vitest-pool-workers) implements the same binding in memory, so the
 * code and its tests run unchanged locally.
 */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

export interface RateLimitCheck {
  limiter: RateLimit;
  /** Namespaced by the caller, e.g. `login:ip:203.0.113.7`. */
  key: string;
}

/** Thrown for any exceeded limit: 429 RATE_LIMITED with Retry-After, the same text for every key. */
export function rateLimited(retryAfterSeconds: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError("RATE_LIMITED", "Too many attempts; try again later", {
    headers: { "Retry-After": String(seconds) },
  });
}

/**
 * Counts one hit on every check (in parallel) and refuses when any of them is over its limit.
 * Every check is counted even when another one fails, so an attacker cannot spread attempts
 * across keys to dodge one of them.
 */
export async function enforceRateLimits(
  checks: readonly RateLimitCheck[],
  periodSeconds = RATE_LIMIT_PERIOD_SECONDS,
): Promise<void> {
  const outcomes = await Promise.all(checks.map((c) => c.limiter.limit({ key: c.key })));
  if (outcomes.some((o) => !o.success)) throw rateLimited(periodSeconds);
}

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Expands an IPv6 address to its eight 16-bit groups, or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const embedded = /^(.*:)([\d.]+)$/.exec(text);
  if (embedded?.[2]?.includes(".")) {
    if (!IPV4_RE.test(embedded[2])) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = embedded[2].split(".").map(Number);
    text = `${embedded[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  if ([...head, ...tail].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const known = head.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const hex = (g: string) => Number.parseInt(g, 16);
  return [...head.map(hex), ...new Array<number>(8 - known).fill(0), ...tail.map(hex)];
}

/**
 * The client address as a rate-limit and lockout subject: an IPv4 address as is, an IPv6 address
 * as its /64 network (one subscriber usually holds a whole /64, so counting single addresses
 * would let one client rotate through billions of them). Anything else — no `cf-connecting-ip`,
 * which Cloudflare always sets in production, or garbage — is undefined: no per-address limit.
 */
export function clientAddressKey(ip: string | null | undefined): string | undefined {
  if (!ip) return undefined;
  const address = ip.trim();
  if (IPV4_RE.test(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The address itself when it is a valid IPv4 or IPv6 literal (safe for an `inet` column), else null. */
export function validIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const address = ip.trim();
  return IPV4_RE.test(address) || ipv6Groups(address) ? address : null;
}
