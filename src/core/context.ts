import type { Context } from "hono";
import type { DataScope } from "./auth/permissions";
import type { Db, DbMeter } from "./db";
import type { AppConfig } from "./env";

/** The verified caller, from the access token alone. */
export interface AuthInfo {
  userId: string;
  /**
   * The tenant the request acts in: the token's, a super admin's X-Tenant-ID, or an organization
   * named by X-Organization-Id the caller is an active member of (with `roles`/`permissions`/
   * `scope` of their membership there).
   */
  tenantId: string;
  /** The token's own (active) tenant; differs from `tenantId` only under one of the two headers. */
  homeTenantId: string;
  roles: readonly string[];
  permissions: ReadonlySet<string>;
  scope: DataScope;
  isSuperAdmin: boolean;
  tokenId: string;
  expiresAt: number;
  /** Refresh-token family (session) of this login. */
  sessionId: string;
}

/**
 * What every service and repository function takes first. `tenantId` comes only from the
 * verified token, never from a body, query or path.
 */
export interface TenantContext {
  tenantId: string;
  userId: string;
  roles: readonly string[];
  permissions: ReadonlySet<string>;
  scope: DataScope;
  isSuperAdmin: boolean;
  db: Db;
  /** Request metadata recorded with every audit row. */
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /**
   * Set by `sharedScope` (src/core/scope.ts) for one statement: the scope predicates read the
   * visible users from that statement's CTE instead of computing them at every use.
   */
  sharedVisible?: true;
}

/** Per-request values set by the global middleware (typed `c.get(...)`). */
export interface AppVariables {
  requestId: string;
  config: AppConfig;
  meter: DbMeter;
  db: Db;
  auth: AuthInfo;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;

/** Builds the tenant context for an authenticated request (after `authenticate`). */
export function tenantContext(c: AppContext): TenantContext {
  const auth = c.get("auth");
  return {
    tenantId: auth.tenantId,
    userId: auth.userId,
    roles: auth.roles,
    permissions: auth.permissions,
    scope: auth.scope,
    isSuperAdmin: auth.isSuperAdmin,
    db: c.get("db"),
    requestId: c.get("requestId"),
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
  };
}
