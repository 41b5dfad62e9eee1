import { auditRow } from "../../core/audit";
import { hashPassword, verifyPassword } from "../../core/auth/password";
import { resolveGrants, systemRoleRows } from "../../core/auth/permissions";
import { deniedTokenKey, signAccessToken } from "../../core/auth/tokens";
import type { AuthInfo } from "../../core/context";
import type { Db } from "../../core/db";
import type { AppConfig } from "../../core/env";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { log } from "../../core/logger";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { rateLimited } from "../../core/rate-limit";
import type { refreshTokens, users } from "../../db/schema";
import { toTenantDto } from "../tenants";
import { type AuthLimiters, enforceAuthRateLimits, lockoutKeys, normalizeEmail } from "./abuse";
import {
  findLoginCandidate,
  findRefreshSession,
  findUserById,
  insertRegistration,
  type MembershipGrant,
  recordFailures,
  recordLogin,
  reissueUnusedChild,
  revokeFamily,
  rotateRefreshToken,
  type UserWithMemberships,
} from "./auth.repo";
import type { LoginInput, RegisterInput } from "./auth.schemas";
import { hashRefreshToken, newRefreshToken, REFRESH_TOKEN_TTL_SECONDS } from "./refresh-token";

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

/** Verifying against this when the email is unknown makes both answers cost the same time. */
let dummyHash: Promise<string> | undefined;

function toUserDto(user: typeof users.$inferSelect) {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    phone: user.phone,
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
async function mintAccess(
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

function sessionBody(
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

async function newChildToken(ctx: PublicContext) {
  const token = newRefreshToken();
  return {
    token,
    row: {
      id: uuidv7(),
      tokenHash: await hashRefreshToken(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
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
 * Starts a new session with the login stamp; one round trip. A login also passes its email,
 * whose failure count is cleared in the same round trip.
 */
function startSession(
  ctx: PublicContext,
  found: UserWithMemberships,
  membership: MembershipGrant,
  rehashed: string | undefined,
  clearFailuresOf?: string,
) {
  return mintSession(ctx, found, membership, (token) =>
    recordLogin(ctx.db, token, rehashed, clearFailuresOf),
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
  const { found, lockedForSeconds } = await findLoginCandidate(ctx.db, keys);
  if (lockedForSeconds !== null) throw rateLimited(lockedForSeconds);
  const check = await checkPassword(input.password, found?.user.passwordHash);
  const membership = input.tenant_id
    ? found?.memberships.find((m) => m.tenant.id === input.tenant_id)
    : found?.memberships[0];
  if (!found || !check.valid || !found.user.isActive || !membership) {
    await recordFailures(ctx.db, keys);
    throw ApiError.unauthenticated(INVALID_CREDENTIALS);
  }
  const rehashed = check.needsRehash ? await hashPassword(input.password) : undefined;
  return startSession(ctx, found, membership, rehashed, email);
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

/** A retry within this many seconds of a rotation, whose new token was never used, is a lost response. */
export const REFRESH_REUSE_GRACE_SECONDS = 30;

const INVALID_REFRESH = "Invalid or expired refresh token";

/**
 * Rotates a refresh token: two round trips (the token with its user and roles; the atomic
 * rotate-and-insert). A token used twice revokes its whole family — unless the second use comes
 * within the grace window and the token it produced was never used, which is a mobile client
 * retrying after a lost response: that one gets a fresh pair.
 */
export async function refresh(ctx: PublicContext, refreshToken: string) {
  const found = await findRefreshSession(ctx.db, await hashRefreshToken(refreshToken));
  if (!found) throw ApiError.unauthenticated(INVALID_REFRESH);
  const { token, session } = found;
  const membership = session.memberships.find((m) => m.tenant.id === token.tenantId);
  if (token.revokedAt || token.expiresAt.getTime() <= Date.now() || !session.user.isActive || !membership) {
    throw ApiError.unauthenticated(INVALID_REFRESH);
  }
  const child = await newChildToken(ctx);
  let issued = token.rotatedAt ? false : await rotateRefreshToken(ctx.db, token.id, child.row);
  if (!issued) {
    const rotatedAt = token.rotatedAt?.getTime() ?? Date.now();
    const withinGrace = Date.now() - rotatedAt <= REFRESH_REUSE_GRACE_SECONDS * 1000;
    issued = withinGrace && (await reissueUnusedChild(ctx.db, token.id, child.row));
    if (!issued) {
      await revokeFamily(ctx.db, token.familyId);
      log("warn", "refresh token reuse: family revoked", {
        request_id: ctx.requestId,
        user_id: token.userId,
        family_id: token.familyId,
      });
      throw ApiError.unauthenticated(INVALID_REFRESH);
    }
  }
  return sessionBody(
    session,
    membership,
    await mintAccess(ctx, session, membership, token.familyId),
    child.token,
  );
}

/**
 * Ends the session: the refresh family is revoked and the access token's id is denied in KV until
 * the token would have expired anyway. One round trip plus one KV write.
 */
export async function logout(ctx: PublicContext, kv: KVNamespace, auth: AuthInfo): Promise<void> {
  const ttl = Math.max(60, auth.expiresAt - Math.floor(Date.now() / 1000));
  await Promise.all([
    auth.sessionId ? revokeFamily(ctx.db, auth.sessionId) : Promise.resolve(),
    kv.put(deniedTokenKey(auth.tokenId), "1", { expirationTtl: ttl }),
  ]);
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

/**
 * Makes another of the caller's tenants the active one: a new session for that tenant replaces
 * the current one (its refresh family is revoked and its access token denied). A tenant the caller
 * does not belong to is "not found".
 */
export async function switchTenant(ctx: PublicContext, kv: KVNamespace, auth: AuthInfo, tenantId: string) {
  const found = await findUserById(ctx.db, auth.userId);
  if (!found?.user.isActive) throw ApiError.unauthenticated("Session is no longer valid");
  const membership = found.memberships.find((m) => m.tenant.id === tenantId);
  if (!membership) throw ApiError.notFound("Site");
  const [session] = await Promise.all([
    startSession(ctx, found, membership, undefined),
    logout(ctx, kv, auth),
  ]);
  return session;
}
