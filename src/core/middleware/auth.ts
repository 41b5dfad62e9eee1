import { createMiddleware } from "hono/factory";
import { systemAudit } from "../../db/schema";
import {
  cacheOrganizationGrant,
  lookupOrganizationGrant,
  type OrganizationGrant,
  organizationKeys,
  validCachedGrant,
} from "../auth/organization";
import { PERMISSIONS } from "../auth/permissions";
import { isRevoked, revocationKeys, revokedMemberKey, verifyAccessToken } from "../auth/tokens";
import type { AppContext, AppEnv } from "../context";
import { ApiError } from "../errors";
import { isUuid, uuidv7 } from "../ids";
import { log } from "../logger";

/**
 * Authenticates from the bearer token alone: signature and claims, then ONE bulk KV read of the
 * revocation entries — the token's own, its session's (logout, tenant switch, refresh reuse), the
 * user's (password changed or reset: every tenant) and the membership's (disabled or removed in
 * this tenant only). No database round trip (unless X-Organization-Id names another organization,
 * below). Every failure is the same 401, so the answer never tells an attacker which check failed.
 *
 * `X-Tenant-ID` lets a platform super admin act in any tenant with every permission; anyone else
 * sending it is refused, and each such request is recorded in `system_audit` (after the response).
 *
 * `X-Organization-Id` (seed 004) names the organization to act in: the token's own tenant is a
 * no-op; another tenant the caller is an active member of acts there with the caller's roles,
 * permissions and scope in it (`resolveOrganization`); any other tenant → 403, a non-UUID → 400.
 * Its cache keys ride in the same bulk KV read, so a cached answer costs no extra round trip.
 * With both headers they must name the same tenant (400 otherwise), and the super admin override
 * applies (audited); a super admin sending only `X-Organization-Id` is verified like anyone else.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!match?.[1]) throw ApiError.unauthenticated();
  const claims = await verifyAccessToken(c.get("config"), match[1]);
  if (!claims) throw ApiError.unauthenticated("Invalid or expired token");
  const override = c.req.header("x-tenant-id");
  const named = namedOrganization(c.req.header(ORGANIZATION_HEADER), claims.tid, override);
  const org =
    typeof named === "string"
      ? { id: named, keys: organizationKeys(named, claims.sub), deny: revokedMemberKey(named, claims.sub) }
      : undefined;
  const keys = revocationKeys(claims);
  const found = await c.env.KV.get(org ? [...keys, ...Object.values(org.keys), org.deny] : keys);
  if (isRevoked(claims, found)) {
    throw ApiError.unauthenticated("Invalid or expired token");
  }
  if (override !== undefined) {
    if (!claims.sa) throw ApiError.forbidden("Only platform administrators may act in another tenant");
    if (!isUuid(override)) {
      throw ApiError.validation("Invalid X-Tenant-ID", [{ field: "X-Tenant-ID", message: "Must be a UUID" }]);
    }
  }
  if (named instanceof ApiError) throw named;
  const actsElsewhere = override !== undefined && override.toLowerCase() !== claims.tid;
  const base = {
    userId: claims.sub,
    homeTenantId: claims.tid,
    isSuperAdmin: claims.sa === true,
    tokenId: claims.jti,
    expiresAt: claims.exp,
    sessionId: claims.sid,
  };
  if (org) {
    const grant = await resolveOrganization(c, org.id, claims.sub, {
      keys: org.keys,
      cached: validCachedGrant(found, org.keys, org.deny),
    });
    c.set("auth", {
      ...base,
      tenantId: org.id,
      roles: grant.roles,
      permissions: new Set(grant.perms),
      scope: grant.scope,
    });
  } else {
    c.set("auth", {
      ...base,
      tenantId: actsElsewhere ? override.toLowerCase() : claims.tid,
      roles: actsElsewhere ? ["super_admin"] : claims.roles,
      permissions: actsElsewhere ? new Set<string>(PERMISSIONS) : new Set(claims.perms),
      scope: actsElsewhere ? "tenant" : claims.scope,
    });
  }
  if (actsElsewhere) auditOverride(c, claims.sub, override.toLowerCase(), claims.tid);
  await next();
});

/** The header's name as Hono reads it (case-insensitive on the wire). */
const ORGANIZATION_HEADER = "x-organization-id";

/**
 * What `X-Organization-Id` asks for: undefined when absent, when it names the token's tenant, or
 * when the super admin override names the same tenant (the override then applies); a tenant id
 * to verify; or the 400 to answer (thrown only after the token passed its revocation check, so a
 * void token is always the uniform 401).
 */
function namedOrganization(
  value: string | undefined,
  homeTenantId: string,
  override: string | undefined,
): string | ApiError | undefined {
  if (value === undefined) return undefined;
  const id = value.trim().toLowerCase();
  if (!isUuid(id)) {
    return ApiError.validation("Invalid X-Organization-Id", [
      { field: "X-Organization-Id", message: "Must be an organization id (UUID)" },
    ]);
  }
  if (override !== undefined) {
    if (override.trim().toLowerCase() === id) return undefined;
    return ApiError.validation("X-Organization-Id and X-Tenant-ID name different tenants", [
      { field: "X-Organization-Id", message: "Must name the same tenant as X-Tenant-ID, or be left out" },
    ]);
  }
  return id === homeTenantId ? undefined : id;
}

const CACHED_METHODS = new Set(["GET", "HEAD"]);

/**
 * The caller's grant in the named organization, or 403. Reads (GET/HEAD) use a valid cached grant
 * (read in authenticate's bulk KV get); writes and misses run the one indexed lookup, and a positive
 * answer is cached after the response (src/core/auth/organization.ts explains why this is safe).
 */
async function resolveOrganization(
  c: AppContext,
  tenantId: string,
  userId: string,
  found: { keys: ReturnType<typeof organizationKeys>; cached: OrganizationGrant | undefined },
): Promise<OrganizationGrant> {
  if (found.cached && CACHED_METHODS.has(c.req.method)) return found.cached;
  const at = Date.now();
  const grant = await lookupOrganizationGrant(c.get("db"), tenantId, userId);
  if (!grant) throw ApiError.forbidden("You are not an active member of this organization");
  c.executionCtx.waitUntil(
    cacheOrganizationGrant(c.env.KV, found.keys, grant, at).catch((err: unknown) =>
      log("warn", "organization_cache_failed", { request_id: c.get("requestId"), error: String(err) }),
    ),
  );
  return grant;
}

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
