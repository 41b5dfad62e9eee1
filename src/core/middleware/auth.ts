import { createMiddleware } from "hono/factory";
import { deniedTokenKey, verifyAccessToken } from "../auth/tokens";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

/**
 * Authenticates from the bearer token alone: signature and claims, then the KV deny-list of
 * tokens revoked by logout. No database round trip. Every failure is the same 401, so the answer
 * never tells an attacker which check failed.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!match?.[1]) throw ApiError.unauthenticated();
  const claims = await verifyAccessToken(c.get("config"), match[1]);
  if (!claims) throw ApiError.unauthenticated("Invalid or expired token");
  if (await c.env.KV.get(deniedTokenKey(claims.jti))) {
    throw ApiError.unauthenticated("Invalid or expired token");
  }
  if (c.req.header("x-tenant-id") !== undefined && !claims.sa) {
    throw ApiError.forbidden("Only platform administrators may act in another tenant");
  }
  c.set("auth", {
    userId: claims.sub,
    tenantId: claims.tid,
    roles: claims.roles,
    permissions: new Set(claims.perms),
    scope: claims.scope,
    isSuperAdmin: claims.sa === true,
    tokenId: claims.jti,
    expiresAt: claims.exp,
    sessionId: claims.sid,
  });
  await next();
});

/** 403 unless the caller's token grants every listed permission. Runs after `authenticate`. */
export function requirePermission(...permissions: string[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const granted = c.get("auth").permissions;
    const missing = permissions.filter((p) => !granted.has(p));
    if (missing.length > 0) throw ApiError.forbidden(`Missing permission: ${missing.join(", ")}`);
    await next();
  });
}
