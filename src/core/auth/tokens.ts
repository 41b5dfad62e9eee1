import { sign, verify } from "hono/jwt";
import type { AppConfig } from "../env";
import { uuidv7 } from "../ids";
import { membershipChanged } from "./organization";
import type { DataScope } from "./permissions";

export const TOKEN_ISSUER = "sales-sync-edge";
export const TOKEN_AUDIENCE = "sales-sync-api";

/** What an access token asserts. Authorization reads only this: no database lookup per request. */
export interface AccessClaims {
  sub: string;
  tid: string;
  roles: string[];
  perms: string[];
  scope: DataScope;
  /** Platform super admin (may act in any tenant with X-Tenant-ID). */
  sa?: boolean;
  /** The session (refresh-token family) the token belongs to; revoking the session voids it at once. */
  sid: string;
}

export interface VerifiedAccessToken extends AccessClaims {
  jti: string;
  iat: number;
  exp: number;
}

function base64Url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Signs an HS256 access token with the current key; the `kid` header names the key. */
export async function signAccessToken(
  config: AppConfig,
  claims: AccessClaims,
  options: { ttlSeconds?: number; now?: number } = {},
): Promise<{ token: string; jti: string; expiresIn: number }> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const expiresIn = options.ttlSeconds ?? config.ACCESS_TOKEN_TTL_SECONDS;
  const jti = uuidv7();
  const payload = {
    ...claims,
    typ: "access",
    jti,
    iat: now,
    nbf: now,
    exp: now + expiresIn,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
  };
  const jwk = { kty: "oct", k: base64Url(config.JWT_SECRET), alg: "HS256", kid: config.JWT_KID };
  return { token: await sign(payload, jwk), jti, expiresIn };
}

function headerKid(token: string): string | undefined {
  const head = token.split(".")[0];
  if (!head) return undefined;
  try {
    const header = JSON.parse(atob(head.replaceAll("-", "+").replaceAll("_", "/"))) as { kid?: unknown };
    return typeof header.kid === "string" ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * HMAC verification keys by secret, imported once per isolate: hono/jwt's `verify` imports a
 * string secret on every call, which a CPU profile of a simple request showed costing more than
 * the verification itself; given a CryptoKey it uses it as it is.
 */
const verifyKeys = new Map<string, Promise<CryptoKey>>();

function verifyKey(secret: string): Promise<CryptoKey> {
  let key = verifyKeys.get(secret);
  if (!key) {
    const encoded = new TextEncoder().encode(secret);
    key = crypto.subtle.importKey("raw", encoded, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    verifyKeys.set(secret, key);
  }
  return key;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/**
 * Verifies an access token: HS256 only (the algorithm is pinned, never read from the token), a
 * known `kid`, signature, `exp` (required), `nbf`, `iat`, `iss`, `aud` and `typ: "access"`.
 * Returns undefined for anything else, so callers answer a uniform 401.
 */
export async function verifyAccessToken(
  config: AppConfig,
  token: string,
): Promise<VerifiedAccessToken | undefined> {
  const cached = verifiedTokens.get(token);
  if (cached && cached.secret === secretFor(config, cached.kid) && cached.claims.exp * 1000 > Date.now()) {
    return cached.claims;
  }
  const kid = headerKid(token);
  const secret = secretFor(config, kid);
  if (!secret) return undefined;
  const claims = await verifySigned(token, secret);
  if (claims) remember(token, { secret, kid, claims });
  return claims;
}

/** The secret that signs tokens with this `kid`: the current one or, during a rotation, the previous. */
function secretFor(config: AppConfig, kid: string | undefined): string | undefined {
  if (kid === undefined) return undefined;
  if (kid === config.JWT_KID) return config.JWT_SECRET;
  return kid === config.JWT_KID_PREVIOUS ? config.JWT_SECRET_PREVIOUS : undefined;
}

/**
 * Tokens this isolate verified, by their exact text (signature included), with the secret that
 * verified them: a repeat request skips the header parse, the HMAC and the claim checks. An entry
 * counts only while its token is unexpired and its secret is still the one its `kid` names, so a
 * rotated-out secret stops its tokens here too. Revocation is not cached: `authenticate` reads
 * the deny-list in KV on every request. Bounded; the oldest entry leaves first.
 */
interface VerifiedEntry {
  secret: string;
  kid: string | undefined;
  claims: VerifiedAccessToken;
}
const verifiedTokens = new Map<string, VerifiedEntry>();
const VERIFIED_TOKENS_MAX = 2000;

function remember(token: string, entry: VerifiedEntry): void {
  if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) {
    const oldest = verifiedTokens.keys().next();
    if (!oldest.done) verifiedTokens.delete(oldest.value);
  }
  verifiedTokens.set(token, entry);
}

async function verifySigned(token: string, secret: string): Promise<VerifiedAccessToken | undefined> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, await verifyKey(secret), {
      alg: "HS256",
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
  } catch {
    return undefined;
  }
  const { sub, tid, roles, perms, scope, jti, iat, exp, typ, sa, sid } = payload;
  if (
    typ !== "access" ||
    typeof sub !== "string" ||
    typeof tid !== "string" ||
    typeof jti !== "string" ||
    typeof sid !== "string" ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    !isStringArray(roles) ||
    !isStringArray(perms) ||
    (scope !== "own" && scope !== "team" && scope !== "subtree" && scope !== "tenant")
  ) {
    return undefined;
  }
  return {
    sub,
    tid,
    roles,
    perms,
    scope,
    jti,
    iat,
    exp,
    sid,
    ...(sa === true ? { sa: true } : {}),
  };
}

/** KV key under which a revoked access token's id is kept until the token expires. */
export function deniedTokenKey(jti: string): string {
  return `deny:jti:${jti}`;
}

/** KV key marking a session (refresh family) as ended: every access token carrying its `sid` is void. */
export function deniedSessionKey(sessionId: string): string {
  return `deny:sid:${sessionId}`;
}

/**
 * KV key holding the moment (epoch ms) before which every access token of a user is void, in every
 * tenant: set when the person's global identity changes hands (password changed or reset).
 */
export function revokedUserKey(userId: string): string {
  return `deny:user:${userId}`;
}

/**
 * KV key holding the moment (epoch ms) before which the user's access tokens for ONE tenant are
 * void: set when that tenant disables or removes the membership. Their other tenants are untouched.
 */
export function revokedMemberKey(tenantId: string, userId: string): string {
  return `deny:member:${tenantId}:${userId}`;
}

/** The KV keys `authenticate` reads (in one bulk get) for a verified token. */
export function revocationKeys(claims: VerifiedAccessToken): string[] {
  return [
    deniedTokenKey(claims.jti),
    deniedSessionKey(claims.sid),
    revokedUserKey(claims.sub),
    revokedMemberKey(claims.tid, claims.sub),
  ];
}

/** Whether the entries found under `revocationKeys(claims)` void the token. */
export function isRevoked(claims: VerifiedAccessToken, found: Map<string, string | null>): boolean {
  const [jti, sid, user, member] = revocationKeys(claims).map((k) => found.get(k) ?? null);
  if (jti || sid) return true;
  const issued = tokenIssuedAtMs(claims);
  return [user, member].some((at) => at !== null && issued <= Number(at));
}

/**
 * When a token was minted, in milliseconds: from its uuidv7 `jti` (millisecond precision, so a
 * login right after a revocation is not caught by it), else from `iat`.
 */
export function tokenIssuedAtMs(claims: { jti: string; iat: number }): number {
  const hex = claims.jti.replace(/-/g, "").slice(0, 12);
  return claims.jti[14] === "7" && /^[0-9a-f]{12}$/i.test(hex) ? Number.parseInt(hex, 16) : claims.iat * 1000;
}

/** The longest access-token lifetime the configuration allows (ACCESS_TOKEN_TTL_SECONDS ≤ 24 h). */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 86_400;

/**
 * Revocation entries outlive every access token they could void, whatever the configured lifetime;
 * the time-based ones void only tokens minted before them, so a long life costs nothing.
 */
const ENTRY_TTL = { expirationTtl: MAX_ACCESS_TOKEN_TTL_SECONDS + 60 };

/** Voids every access token of `userId`, in every tenant, minted before now (password change or reset). */
export async function revokeUserAccessTokens(kv: KVNamespace, userId: string): Promise<void> {
  await kv.put(revokedUserKey(userId), String(Date.now()), ENTRY_TTL);
}

/**
 * Voids the access tokens of `userId` in `tenantId` only, minted before now (membership disabled or
 * removed), and drops their cached X-Organization-Id grant there (`membershipChanged`).
 */
export async function revokeMemberAccessTokens(
  kv: KVNamespace,
  tenantId: string,
  userId: string,
): Promise<void> {
  await Promise.all([
    kv.put(revokedMemberKey(tenantId, userId), String(Date.now()), ENTRY_TTL),
    membershipChanged(kv, tenantId, userId),
  ]);
}

/** Voids every access token of one session at once (logout, tenant switch, refresh-token reuse). */
export async function revokeSessionAccessTokens(kv: KVNamespace, sessionId: string): Promise<void> {
  await kv.put(deniedSessionKey(sessionId), "1", ENTRY_TTL);
}
