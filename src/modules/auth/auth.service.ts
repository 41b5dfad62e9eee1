import { auditRow } from "../../core/audit";
import { hashPassword, verifyPassword } from "../../core/auth/password";
import { resolveGrants, systemRoleRows } from "../../core/auth/permissions";
import { signAccessToken } from "../../core/auth/tokens";
import type { AuthInfo } from "../../core/context";
import type { Db } from "../../core/db";
import type { AppConfig } from "../../core/env";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { rateLimited, validIp } from "../../core/rate-limit";
import type { auditLogs, refreshTokens, users } from "../../db/schema";
import { toTenantDto } from "../tenants";
import { type AuthLimiters, enforceAuthRateLimits, lockoutKeys, normalizeEmail } from "./abuse";
import {
  type AuthEventAudit,
  findLoginCandidate,
  findUserById,
  insertRegistration,
  type MembershipGrant,
  recordFailures,
  recordLogin,
  type UserWithMemberships,
} from "./auth.repo";
import type { LoginInput, RegisterInput } from "./auth.schemas";
import { hashRefreshToken, newRefreshToken } from "./refresh-token";

/**
 * Auth routes run before there is a tenant: they get the database, request metadata and the
 * bindings the password flows need (rate limiters, KV for token revocation, the outbox queue).
 */
export interface PublicContext {
  db: Db;
  config: AppConfig;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Undefined only when AUTH_RATE_LIMITS=off (development benchmarks). */
  limiters: AuthLimiters | undefined;
  kv: KVNamespace;
  outbox: Queue;
  /** Work that must finish but must not delay (or time) the response. */
  waitUntil: (promise: Promise<unknown>) => void;
}

const INVALID_CREDENTIALS = "Invalid email or password";

/** The tenant audit row of an authentication event (never a password or a token). */
export function authAudit(
  ctx: PublicContext,
  event: { tenantId: string; userId: string; action: string; newValues?: Record<string, unknown> },
): typeof auditLogs.$inferInsert {
  return {
    tenantId: event.tenantId,
    id: uuidv7(),
    actorId: event.userId,
    action: event.action,
    entityType: "session",
    entityId: null,
    oldValues: null,
    newValues: event.newValues ?? null,
    ip: validIp(ctx.ip),
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  };
}

/** Request metadata for a system_audit row of an authentication event. */
export function eventMeta(ctx: PublicContext): AuthEventAudit {
  return { id: uuidv7(), ip: validIp(ctx.ip), userAgent: ctx.userAgent, requestId: ctx.requestId };
}

/** Verifying against this when the email is unknown makes both answers cost the same time. */
let dummyHash: Promise<string> | undefined;

function toUserDto(user: typeof users.$inferSelect) {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    phone: user.phone,
    username: user.username,
    is_active: user.isActive,
    is_super_admin: user.isSuperAdmin,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
  };
}

function toSites(memberships: MembershipGrant[]) {
  return memberships.map((m) => ({
    id: m.tenant.id,
    name: m.tenant.name,
    slug: m.tenant.slug,
    roles: m.roles.map((r) => r.name),
  }));
}

/** The access token for `membership`, bound to the refresh family `sessionId`. */
export async function mintAccess(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  sessionId: string,
) {
  const grants = resolveGrants(membership.roles);
  return signAccessToken(ctx.config, {
    sub: found.user.id,
    tid: membership.tenant.id,
    roles: membership.roles.map((r) => r.name),
    perms: grants.permissions,
    scope: grants.scope,
    sid: sessionId,
    ...(found.user.isSuperAdmin ? { sa: true } : {}),
  });
}

export function sessionBody(
  found: UserWithMemberships,
  membership: MembershipGrant,
  access: { token: string; expiresIn: number },
  refreshToken: string,
) {
  return {
    user: toUserDto(found.user),
    tenant: toTenantDto(membership.tenant),
    access_token: access.token,
    refresh_token: refreshToken,
    token_type: "Bearer" as const,
    expires_in: access.expiresIn,
    sites: toSites(found.memberships),
  };
}

/** The stored row for refresh token `token` (a fresh random one unless given). */
export async function newChildToken(ctx: PublicContext, token = newRefreshToken()) {
  return {
    token,
    row: {
      id: uuidv7(),
      tokenHash: await hashRefreshToken(token),
      expiresAt: new Date(Date.now() + ctx.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      userAgent: ctx.userAgent,
      ip: ctx.ip,
    },
  };
}

/**
 * Starts a new refresh family for `membership`: `persist` stores its first refresh token (with
 * whatever else belongs in the same round trip), then the access token is minted.
 */
export async function mintSession(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  persist: (refreshToken: typeof refreshTokens.$inferInsert) => Promise<void>,
) {
  const child = await newChildToken(ctx);
  const familyId = child.row.id;
  await persist({ ...child.row, userId: found.user.id, tenantId: membership.tenant.id, familyId });
  return sessionBody(found, membership, await mintAccess(ctx, found, membership, familyId), child.token);
}

/**
 * Starts a new session with the login stamp and its audit row (`action`, e.g. `auth.login`); one
 * round trip. A login also passes its email, whose failure count is cleared in the same round trip.
 */
export function startSession(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  event: { action: string; newValues?: Record<string, unknown> },
  rehashed?: string,
  clearFailuresOf?: string,
) {
  const audit = authAudit(ctx, { tenantId: membership.tenant.id, userId: found.user.id, ...event });
  return mintSession(ctx, found, membership, (token) =>
    recordLogin(ctx.db, token, { ...audit, entityId: token.familyId }, rehashed, clearFailuresOf),
  );
}

/** Verifies `password` against the user's hash, or against a dummy one so both cost the same. */
export async function checkPassword(password: string, stored: string | undefined) {
  dummyHash ??= hashPassword("not-a-real-password");
  return verifyPassword(password, stored ?? (await dummyHash));
}

/**
 * Email + password → tokens for the requested (or first) tenant. Two round trips: the user with
 * memberships and roles together with the lock state of the email and the client address; then
 * either the refresh token with the login stamp (the email's failure count cleared, a legacy hash
 * replaced), or the failure count. Every failure — unknown email, wrong password, disabled user,
 * not a member — is the same 401 in the same time and counts towards the lockout alike; a locked
 * email or address answers 429 with Retry-After whether or not the email exists.
 */
export async function login(ctx: PublicContext, input: LoginInput) {
  const email = (input.email ?? input.username ?? "").trim();
  await enforceAuthRateLimits(ctx.limiters, "login", ctx.ip, normalizeEmail(email));
  const keys = lockoutKeys(email, ctx.ip);
  const { found, lockedForSeconds } = await findLoginCandidate(ctx.db, keys, eventMeta(ctx));
  if (lockedForSeconds !== null) throw rateLimited(lockedForSeconds);
  const check = await checkPassword(input.password, found?.user.passwordHash);
  const membership = input.tenant_id
    ? found?.memberships.find((m) => m.tenant.id === input.tenant_id)
    : found?.memberships[0];
  if (!found || !check.valid || !found.user.isActive || !membership) {
    await recordFailures(ctx.db, keys, { ...eventMeta(ctx), reason: "invalid_credentials" });
    throw ApiError.unauthenticated(INVALID_CREDENTIALS);
  }
  const rehashed = check.needsRehash ? await hashPassword(input.password) : undefined;
  return startSession(ctx, found, membership, { action: "auth.login" }, rehashed, email);
}

/** The caller as the token and the database see them: one round trip. */
export async function me(db: Db, auth: AuthInfo) {
  const found = await findUserById(db, auth.userId);
  const membership = found?.memberships.find((m) => m.tenant.id === auth.tenantId);
  if (!found || !membership || !found.user.isActive)
    throw ApiError.unauthenticated("Session is no longer valid");
  return {
    user: toUserDto(found.user),
    tenant: toTenantDto(membership.tenant),
    roles: [...auth.roles],
    permissions: [...auth.permissions].sort(),
    scope: auth.scope,
    sites: toSites(found.memberships),
  };
}

function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  const suffix = crypto.getRandomValues(new Uint32Array(1))[0]?.toString(36) ?? "0";
  return `${base || "tenant"}-${suffix}`;
}

/**
 * Public sign-up: a new tenant with its system roles, its owner, and the owner's first session —
 * all in one atomic round trip with the audit rows. The email and subdomain are unique (409).
 */
export async function register(ctx: PublicContext, input: RegisterInput) {
  const tenantId = uuidv7();
  const userId = uuidv7();
  const roleRows = systemRoleRows(tenantId, uuidv7);
  const owner = roleRows.find((r) => r.name === "owner");
  if (!owner) throw new Error("owner role missing from the catalogue");
  const child = await newChildToken(ctx);
  const tenantRow = {
    id: tenantId,
    name: input.tenant_name,
    slug: input.subdomain ?? slugify(input.tenant_name),
    status: "active" as const,
    settings: {},
  };
  const userRow = {
    id: userId,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    firstName: input.first_name,
    lastName: input.last_name,
    phone: input.phone ?? null,
  };
  const actor = {
    ...ctx,
    tenantId,
    userId,
    roles: ["owner"],
    permissions: new Set<string>(),
    scope: "tenant" as const,
    isSuperAdmin: false,
  };
  try {
    await insertRegistration(ctx.db, {
      tenant: tenantRow,
      roles: roleRows,
      user: userRow,
      ownerRoleId: owner.id,
      refreshToken: { ...child.row, userId, tenantId, familyId: child.row.id },
      audit: [
        auditRow(actor, {
          action: "tenant.create",
          entityType: "tenant",
          entityId: tenantId,
          newValues: { name: tenantRow.name, slug: tenantRow.slug },
        }),
        auditRow(actor, {
          action: "user.register",
          entityType: "user",
          entityId: userId,
          newValues: { email: input.email, roles: ["owner"] },
        }),
      ],
    });
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint === "users_email_key") {
      throw ApiError.conflict("This email is already registered; log in instead", [
        { field: "email", message: "Already registered" },
      ]);
    }
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint === "tenants_slug_key") {
      throw ApiError.conflict("This subdomain is taken", [{ field: "subdomain", message: "Already taken" }]);
    }
    throw err;
  }
  const now = new Date();
  const found: UserWithMemberships = {
    user: {
      ...userRow,
      username: null,
      isActive: true,
      isSuperAdmin: false,
      lastLoginAt: null,
      passwordChangedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
    memberships: [
      {
        tenant: { ...tenantRow, createdAt: now, updatedAt: now },
        roles: [{ name: "owner", isSystem: true, permissions: owner.permissions, scope: owner.scope }],
      },
    ],
  };
  const membership = found.memberships[0] as MembershipGrant;
  return sessionBody(found, membership, await mintAccess(ctx, found, membership, child.row.id), child.token);
}

/** The caller's tenants with their roles, the active one marked: one round trip. */
export async function listSites(db: Db, auth: AuthInfo) {
  const found = await findUserById(db, auth.userId);
  if (!found?.user.isActive) throw ApiError.unauthenticated("Session is no longer valid");
  return toSites(found.memberships).map((s) => ({ ...s, is_active: s.id === auth.tenantId }));
}
