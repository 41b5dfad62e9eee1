import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { type DataScope, type GrantingRole, resolveGrants } from "./permissions";

/**
 * `X-Organization-Id` (seed 004, DESIGN §2): a request may act in another organization the caller
 * is an active member of, with the caller's roles there. The token names the home tenant; this
 * file answers "what may user U do in tenant T" from one indexed statement, cached in KV.
 *
 * Cache design (why it is safe with an eventually consistent KV):
 * - only positive answers are cached (a non-member is never remembered, so being added works at
 *   once), for `GRANT_TTL_SECONDS` (KV's minimum, 60 s);
 * - each entry records `at`, the moment BEFORE its database lookup started; it counts only while
 *   it is newer than every change marker read in the same bulk KV get: the membership's marker
 *   (`membershipChanged`: roles changed, disabled, removed — `revokeMemberAccessTokens` writes it
 *   too), the tenant's (`organizationChanged`: a custom role's permissions or scope edited)
 *   and the existing `deny:member` revocation entry. A lookup that raced a change and wrote its
 *   entry after the change's delete is therefore still ignored; change paths also delete the entry;
 * - writes (every method but GET/HEAD) never trust the cache: they verify the membership in the
 *   database, so a disabled or removed member can never change or end anything in that tenant
 *   once the change has committed, whatever KV says. Reads trust a valid entry; the only residual
 *   window is KV's cross-location propagation (≤ ~60 s in another Cloudflare location, none in
 *   the location that made the change), the same bound every KV revocation of this API has.
 */

/** Cached grants live this long (KV's minimum expirationTtl). */
export const GRANT_TTL_SECONDS = 60;

/**
 * Change markers must outlive every entry written before them: an entry lives GRANT_TTL_SECONDS
 * from its put, and the put happens within one request (≤ 30 s after the response, waitUntil).
 */
const MARKER_TTL_SECONDS = 300;

/** What a member may do in an organization: as an access token would carry it. */
export interface OrganizationGrant {
  roles: string[];
  perms: string[];
  scope: DataScope;
}

interface CachedGrant extends OrganizationGrant {
  /** Epoch ms before the lookup that produced it started. */
  at: number;
}

/** KV keys about user `userId` in tenant `tenantId`: the cached grant and the two change markers. */
export function organizationKeys(tenantId: string, userId: string) {
  return {
    grant: `org:grant:${tenantId}:${userId}`,
    member: `org:changed:${tenantId}:${userId}`,
    tenant: tenantMarkerKey(tenantId),
  };
}

function tenantMarkerKey(tenantId: string): string {
  return `org:changed:${tenantId}`;
}

const SCOPES: readonly string[] = ["own", "team", "subtree", "tenant"];

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function parseGrant(text: string | null): CachedGrant | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (
      typeof v.at === "number" &&
      isStrings(v.roles) &&
      isStrings(v.perms) &&
      typeof v.scope === "string" &&
      SCOPES.includes(v.scope)
    ) {
      return { at: v.at, roles: v.roles, perms: v.perms, scope: v.scope as DataScope };
    }
  } catch {
    // a corrupt entry is a miss
  }
  return undefined;
}

/**
 * The cached grant found by the bulk KV get, if it is newer than every change marker (the
 * membership's, the tenant's and the `deny:member` revocation entry, `denyKey`).
 */
export function validCachedGrant(
  found: Map<string, string | null>,
  keys: ReturnType<typeof organizationKeys>,
  denyKey: string,
): OrganizationGrant | undefined {
  const entry = parseGrant(found.get(keys.grant) ?? null);
  if (!entry) return undefined;
  const changed = [keys.member, keys.tenant, denyKey].map((k) => Number(found.get(k) ?? 0) || 0);
  if (changed.some((at) => at >= entry.at)) return undefined;
  return { roles: entry.roles, perms: entry.perms, scope: entry.scope };
}

/**
 * The caller's grant in `tenantId`, or undefined unless they are an ACTIVE member of an ACTIVE
 * tenant and an active user. One statement, primary-key lookups only (memberships, users, tenants,
 * user_roles by its (tenant_id, user_id) prefix, roles).
 */
export async function lookupOrganizationGrant(
  db: Db,
  tenantId: string,
  userId: string,
): Promise<OrganizationGrant | undefined> {
  const result = await db.execute<{
    roles: { name: string; is_system: boolean; permissions: string[]; scope: DataScope }[];
  }>(sql`
    select coalesce(json_agg(json_build_object('name', r.name, 'is_system', r.is_system,
             'permissions', r.permissions, 'scope', r.scope) order by r.name)
             filter (where r.id is not null), '[]'::json) as roles
    from memberships m
    join users u on u.id = m.user_id and u.is_active
    join tenants t on t.id = m.tenant_id and t.status = 'active'
    left join user_roles ur on ur.tenant_id = m.tenant_id and ur.user_id = m.user_id
    left join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
    where m.tenant_id = ${tenantId} and m.user_id = ${userId} and m.status = 'active'
    group by m.tenant_id, m.user_id`);
  const row = result.rows[0];
  if (!row) return undefined;
  const roles: GrantingRole[] = row.roles.map((r) => ({
    name: r.name,
    isSystem: r.is_system,
    permissions: r.permissions,
    scope: r.scope,
  }));
  const grants = resolveGrants(roles);
  return { roles: roles.map((r) => r.name), perms: grants.permissions, scope: grants.scope };
}

/** Caches a positive answer; `at` is the moment before its lookup started. */
export function cacheOrganizationGrant(
  kv: KVNamespace,
  keys: ReturnType<typeof organizationKeys>,
  grant: OrganizationGrant,
  at: number,
): Promise<void> {
  const entry: CachedGrant = { ...grant, at };
  return kv.put(keys.grant, JSON.stringify(entry), { expirationTtl: GRANT_TTL_SECONDS });
}

/**
 * Call on EVERY change of a membership (roles, status, removal): every cached grant of
 * `userId` in `tenantId` written before now stops counting, and the entry is deleted.
 */
export async function membershipChanged(kv: KVNamespace, tenantId: string, userId: string): Promise<void> {
  const keys = organizationKeys(tenantId, userId);
  await Promise.all([
    kv.put(keys.member, String(Date.now()), { expirationTtl: MARKER_TTL_SECONDS }),
    kv.delete(keys.grant),
  ]);
}

/**
 * Call when something changes the grants of many members of `tenantId` at once (a custom role's
 * permissions or scope edited): every cached grant in it stops counting.
 */
export async function organizationChanged(kv: KVNamespace, tenantId: string): Promise<void> {
  await kv.put(tenantMarkerKey(tenantId), String(Date.now()), { expirationTtl: MARKER_TTL_SECONDS });
}
