import { createMiddleware } from "hono/factory";
import { systemAudit } from "../../db/schema";
import { PERMISSIONS } from "../auth/permissions";
import { isRevoked, revocationKeys, verifyAccessToken } from "../auth/tokens";
import type { AppContext, AppEnv } from "../context";
import { ApiError } from "../errors";
import { isUuid, uuidv7 } from "../ids";
import { log } from "../logger";

/**
 * Authenticates from the bearer token alone: signature and claims, then ONE bulk KV read of the
 * revocation entries — the token's own, its session's (logout, tenant switch, refresh reuse), the
 * user's (password changed or reset: every tenant) and the membership's (disabled or removed in
 * this tenant only). No database round trip. Every failure is the same 401, so the answer never tells an attacker
 * which check failed.
 *
 * `X-Tenant-ID` lets a platform super admin act in any tenant with every permission; anyone else
 * sending it is refused, and each such request is recorded in `system_audit` (after the response).
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!match?.[1]) throw ApiError.unauthenticated();
  const claims = await verifyAccessToken(c.get("config"), match[1]);
  if (!claims) throw ApiError.unauthenticated("Invalid or expired token");
  if (isRevoked(claims, await c.env.KV.get(revocationKeys(claims)))) {
    throw ApiError.unauthenticated("Invalid or expired token");
  }
  const override = c.req.header("x-tenant-id");
  if (override !== undefined) {
    if (!claims.sa) throw ApiError.forbidden("Only platform administrators may act in another tenant");
    if (!isUuid(override)) {
      throw ApiError.validation("Invalid X-Tenant-ID", [{ field: "X-Tenant-ID", message: "Must be a UUID" }]);
    }
  }
  const actsElsewhere = override !== undefined && override.toLowerCase() !== claims.tid;
  c.set("auth", {
    userId: claims.sub,
    tenantId: actsElsewhere ? override.toLowerCase() : claims.tid,
    roles: actsElsewhere ? ["super_admin"] : claims.roles,
    permissions: actsElsewhere ? new Set<string>(PERMISSIONS) : new Set(claims.perms),
    scope: actsElsewhere ? "tenant" : claims.scope,
    isSuperAdmin: claims.sa === true,
    tokenId: claims.jti,
    expiresAt: claims.exp,
    sessionId: claims.sid,
  });
  if (actsElsewhere) auditOverride(c, claims.sub, override.toLowerCase(), claims.tid);
  await next();
});

/** Records a super admin's cross-tenant request in system_audit without delaying the response. */
function auditOverride(c: AppContext, actorId: string, tenantId: string, homeTenantId: string): void {
  const row = {
    id: uuidv7(),
    actorId,
    tenantId,
    action: "tenant.override",
    entityType: "request",
    entityId: c.get("requestId"),
    newValues: { method: c.req.method, path: c.req.path, home_tenant_id: homeTenantId },
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
    requestId: c.get("requestId"),
  };
  c.executionCtx.waitUntil(
    c
      .get("db")
      .insert(systemAudit)
      .values(row)
      .then(
        () => undefined,
        (err: unknown) =>
          log("error", "override_audit_failed", { request_id: row.requestId, error: String(err) }),
      ),
  );
}

/** 403 unless the caller's token grants every listed permission. Runs after `authenticate`. */
export function requirePermission(...permissions: string[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const granted = c.get("auth").permissions;
    const missing = permissions.filter((p) => !granted.has(p));
    if (missing.length > 0) throw ApiError.forbidden(`Missing permission: ${missing.join(", ")}`);
    await next();
  });
}
