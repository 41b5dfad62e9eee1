import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { GrantingRole } from "../../core/auth/permissions";
import type { Db } from "../../core/db";
import {
  auditLogs,
  loginAttempts,
  memberships,
  refreshTokens,
  roles,
  type systemAudit,
  tenants,
  userRoles,
  users,
} from "../../db/schema";
import { LOCKOUT, type LockoutKeys } from "./abuse";

export interface MembershipGrant {
  tenant: typeof tenants.$inferSelect;
  roles: GrantingRole[];
}

export interface UserWithMemberships {
  user: typeof users.$inferSelect;
  memberships: MembershipGrant[];
}

interface RawRow {
  extra?: Record<string, unknown> | null;
  user: Record<string, unknown> | null;
  memberships: {
    tenant: Record<string, unknown>;
    roles: { name: string; is_system: boolean; permissions: string[]; scope: GrantingRole["scope"] }[];
  }[];
}

const toDate = (v: unknown) => (v == null ? null : new Date(String(v)));

/** The user row as JSON, its active memberships in active tenants, each with its roles, and `extra`. */
function userQuery(where: SQL, extra: SQL): SQL {
  return sql`
    select row_to_json(u) as "user", ${extra} as extra,
      coalesce((
        select json_agg(json_build_object(
          'tenant', row_to_json(t),
          'roles', (select coalesce(json_agg(json_build_object('name', r.name, 'is_system', r.is_system,
                      'permissions', r.permissions, 'scope', r.scope) order by r.name), '[]'::json)
                    from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
                    where ur.tenant_id = m.tenant_id and ur.user_id = m.user_id)
        ) order by m.created_at, m.tenant_id)
        from memberships m join tenants t on t.id = m.tenant_id and t.status = 'active'
        where m.user_id = u.id and m.status = 'active'
      ), '[]'::json) as memberships
    from users u where ${where} limit 1`;
}

function parseUser(row: RawRow & { user: Record<string, unknown> }): UserWithMemberships {
  const u = row.user;
  return {
    user: {
      id: String(u.id),
      email: String(u.email),
      passwordHash: String(u.password_hash),
      firstName: String(u.first_name),
      lastName: String(u.last_name),
      phone: u.phone == null ? null : String(u.phone),
      isActive: u.is_active === true,
      isSuperAdmin: u.is_super_admin === true,
      lastLoginAt: toDate(u.last_login_at),
      passwordChangedAt: toDate(u.password_changed_at),
      version: Number(u.version ?? 1),
      createdAt: new Date(String(u.created_at)),
      updatedAt: new Date(String(u.updated_at)),
    },
    memberships: row.memberships.map((m) => ({
      tenant: {
        id: String(m.tenant.id),
        name: String(m.tenant.name),
        slug: String(m.tenant.slug),
        status: m.tenant.status === "suspended" ? "suspended" : "active",
        settings: (m.tenant.settings ?? {}) as (typeof tenants.$inferSelect)["settings"],
        createdAt: new Date(String(m.tenant.created_at)),
        updatedAt: new Date(String(m.tenant.updated_at)),
      },
      roles: m.roles.map((r) => ({
        name: r.name,
        isSystem: r.is_system,
        permissions: r.permissions,
        scope: r.scope,
      })),
    })),
  };
}

/**
 * A user (by email or id) with every active membership in an active tenant and each membership's
 * roles: one round trip, whatever the number of tenants. `extra` is any further SQL expression
 * (it may refer to the user row as `u`) computed in the same round trip.
 */
async function loadUser(
  db: Db,
  where: SQL,
  extra: SQL = sql`null::json`,
): Promise<(UserWithMemberships & { extra: Record<string, unknown> | null }) | undefined> {
  const result = await db.execute(userQuery(where, extra));
  const row = result.rows[0] as unknown as RawRow | undefined;
  if (!row?.user) return undefined;
  return { ...parseUser({ ...row, user: row.user }), extra: row.extra ?? null };
}

/**
 * Like loadUser, but always answers one row: `extra` (which may not refer to the user) is
 * computed whether or not the user exists — the lock state of an unknown email, say.
 */
async function loadUserWith(
  db: Db,
  where: SQL,
  extra: SQL,
): Promise<{ found: UserWithMemberships | undefined; extra: Record<string, unknown> | null }> {
  const result = await db.execute(sql`
    select ${extra} as extra, q."user", q.memberships
    from (select 1) as one left join lateral (${userQuery(where, sql`null::json`)}) q on true`);
  const row = result.rows[0] as unknown as RawRow | undefined;
  return {
    found: row?.user ? parseUser({ ...row, user: row.user }) : undefined,
    extra: row?.extra ?? null,
  };
}

export function findUserByEmail(db: Db, email: string) {
  return loadUser(db, sql`lower(u.email) = lower(${email})`);
}

export function findUserById(db: Db, id: string) {
  return loadUser(db, sql`u.id = ${id}`);
}

const emailSubject = (email: string) => sql`'email:' || lower(${email.trim()})`;
const ipSubject = (key: string) => sql`${`ip:${key}`}`;

function subjectsOf(keys: LockoutKeys): SQL[] {
  return [emailSubject(keys.email), ...(keys.ip ? [ipSubject(keys.ip)] : [])];
}

/** JSON `{retry_after}`: seconds until the latest active lock among `subjects` ends (null: none). */
function lockState(subjects: SQL[]): SQL {
  return sql`(select json_build_object('retry_after', ceil(extract(epoch from max(la.locked_until) - now()))::int)
    from login_attempts la where la.subject in (${sql.join(subjects, sql`, `)}) and la.locked_until > now())`;
}

function retryAfterOf(extra: Record<string, unknown> | null): number | null {
  const value = extra?.retry_after;
  return typeof value === "number" && value > 0 ? value : null;
}

export interface LoginCandidate {
  found: UserWithMemberships | undefined;
  /** Seconds until the email's or the address's lock ends; null when neither is locked. */
  lockedForSeconds: number | null;
}

/**
 * Login's first round trip: the user with memberships and roles, and the lock state of the email
 * and the client address — answered for an unknown email too, so both are locked alike.
 */
export async function findLoginCandidate(db: Db, keys: LockoutKeys): Promise<LoginCandidate> {
  const { found, extra } = await loadUserWith(
    db,
    sql`lower(u.email) = lower(${keys.email.trim()})`,
    lockState(subjectsOf(keys)),
  );
  return { found, lockedForSeconds: retryAfterOf(extra) };
}

/**
 * The caller with memberships and roles plus the lock state of their email (and address): the
 * first round trip of change-password.
 */
export async function findUserWithLock(
  db: Db,
  userId: string,
  ipKey: string | undefined,
): Promise<(UserWithMemberships & { lockedForSeconds: number | null }) | undefined> {
  const subjects = [sql`'email:' || lower(u.email)`, ...(ipKey ? [ipSubject(ipKey)] : [])];
  const found = await loadUser(db, sql`u.id = ${userId}`, lockState(subjects));
  return found && { ...found, lockedForSeconds: retryAfterOf(found.extra) };
}

/**
 * Counts one failure for each subject in one round trip. A subject reaching its threshold within
 * the window is locked for base × 2^(earlier lockouts) seconds (capped) and its count restarts.
 */
export async function recordFailures(db: Db, keys: LockoutKeys): Promise<void> {
  const p = LOCKOUT;
  const prior = sql`(case when la.last_failure_at < now() - make_interval(mins => ${p.windowMinutes}::int) then 0 else la.failures end)`;
  const threshold = sql`(case when la.subject like 'ip:%' then ${p.ipThreshold}::int else ${p.emailThreshold}::int end)`;
  const trips = sql`(${prior} + 1 >= ${threshold})`;
  const lockouts = sql`(case when la.last_failure_at < now() - make_interval(hours => ${p.memoryHours}::int) then 0 else la.lockouts end)`;
  const rows = subjectsOf(keys).map((subject) => sql`(${subject}, 1, 0, null::timestamptz, now())`);
  await db.execute(sql`
    insert into login_attempts as la (subject, failures, lockouts, locked_until, last_failure_at)
    values ${sql.join(rows, sql`, `)}
    on conflict (subject) do update set
      failures = case when ${trips} then 0 else ${prior} + 1 end,
      lockouts = case when ${trips} then ${lockouts} + 1 else ${lockouts} end,
      locked_until = case when ${trips}
        then now() + make_interval(secs => least(${p.maxSeconds}::int, ${p.baseSeconds}::int * power(2, ${lockouts})))
        else la.locked_until end,
      last_failure_at = now()`);
}

/**
 * Stores the new refresh token, stamps the login (and, for a legacy or weaker hash, stores the
 * fresh password hash) and, after a password login, clears the email's failure count: one atomic
 * round trip.
 */
export async function recordLogin(
  db: Db,
  token: typeof refreshTokens.$inferInsert,
  rehashed: string | undefined,
  clearFailuresOf: string | undefined,
): Promise<void> {
  const stamp = db
    .update(users)
    .set({ lastLoginAt: sql`now()`, ...(rehashed ? { passwordHash: rehashed } : {}) })
    .where(eq(users.id, token.userId));
  const insert = db.insert(refreshTokens).values(token);
  if (clearFailuresOf === undefined) {
    await db.batch([insert, stamp]);
    return;
  }
  await db.batch([
    insert,
    stamp,
    db.delete(loginAttempts).where(eq(loginAttempts.subject, emailSubject(clearFailuresOf))),
  ]);
}

/**
 * A password change, atomically in one round trip: the new hash (version bumped), every refresh
 * token of the user revoked, the new session's first token, the audit row, the lock cleared.
 */
export async function applyPasswordChange(
  db: Db,
  change: {
    userId: string;
    email: string;
    passwordHash: string;
    refreshToken: typeof refreshTokens.$inferInsert;
    audit: typeof auditLogs.$inferInsert;
  },
): Promise<void> {
  await db.batch([
    db
      .update(users)
      .set({
        passwordHash: change.passwordHash,
        passwordChangedAt: sql`now()`,
        version: sql`${users.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, change.userId)),
    db
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(refreshTokens.userId, change.userId), isNull(refreshTokens.revokedAt))),
    db.insert(refreshTokens).values(change.refreshToken),
    db.insert(auditLogs).values(change.audit),
    db.delete(loginAttempts).where(eq(loginAttempts.subject, emailSubject(change.email))),
  ]);
}

/**
 * forgot-password's one round trip, the same whether or not the email is known: for an active
 * user with this email, the user's unused reset tokens are replaced by the new one. Returns the
 * user (id and stored email) when a token was stored.
 */
export async function issueResetToken(
  db: Db,
  email: string,
  token: { id: string; tokenHash: string; expiresAt: Date; ip: string | null },
): Promise<{ userId: string; email: string } | undefined> {
  const result = await db.execute(sql`
    with u as (
      select id, email from users where lower(email) = lower(${email.trim()}) and is_active limit 1
    ), dropped as (
      delete from password_reset_tokens where user_id in (select id from u) and used_at is null
    ), stored as (
      insert into password_reset_tokens (id, user_id, token_hash, expires_at, ip)
      select ${token.id}, u.id, ${token.tokenHash}, ${token.expiresAt.toISOString()}, ${token.ip}::inet from u
      returning user_id
    )
    select u.id, u.email from u join stored on stored.user_id = u.id`);
  const row = result.rows[0] as { id?: unknown; email?: unknown } | undefined;
  return row?.id ? { userId: String(row.id), email: String(row.email) } : undefined;
}

/**
 * reset-password in one atomic statement: the token is spent only if it is unused and unexpired
 * and its user is active; then the new hash is stored (version bumped), the user's other reset
 * tokens dropped, every refresh token revoked, the email's lock cleared and a system_audit row
 * written. Returns the user id, or undefined when the token was not valid (nothing changed).
 */
export async function spendResetToken(
  db: Db,
  reset: {
    tokenHash: string;
    passwordHash: string;
    audit: Omit<typeof systemAudit.$inferInsert, "actorId" | "entityId" | "tenantId">;
  },
): Promise<string | undefined> {
  const a = reset.audit;
  const result = await db.execute(sql`
    with spent as (
      update password_reset_tokens set used_at = now()
      where token_hash = ${reset.tokenHash} and used_at is null and expires_at > now()
        and user_id in (select id from users where is_active)
      returning id, user_id
    ), changed as (
      update users set password_hash = ${reset.passwordHash}, password_changed_at = now(),
        version = version + 1, updated_at = now()
      from spent where users.id = spent.user_id
      returning users.id, users.email
    ), dropped as (
      delete from password_reset_tokens
      where user_id in (select id from changed) and used_at is null and id not in (select id from spent)
    ), revoked as (
      update refresh_tokens set revoked_at = now()
      where user_id in (select id from changed) and revoked_at is null
    ), unlocked as (
      delete from login_attempts where subject in (select 'email:' || lower(email) from changed)
    ), audited as (
      insert into system_audit (id, actor_id, tenant_id, action, entity_type, entity_id, new_values, ip, user_agent, request_id)
      select ${a.id}, changed.id, null, ${a.action}, ${a.entityType}, changed.id::text, ${JSON.stringify(a.newValues ?? null)}::jsonb,
        ${a.ip ?? null}::inet, ${a.userAgent ?? null}, ${a.requestId ?? null}
      from changed
    )
    select id from changed`);
  const row = result.rows[0] as { id?: unknown } | undefined;
  return row?.id ? String(row.id) : undefined;
}

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/**
 * The refresh token with its user, memberships and roles: everything a refresh needs to mint the
 * next access token, in one round trip.
 */
export async function findRefreshSession(
  db: Db,
  tokenHash: string,
): Promise<{ token: RefreshTokenRow; session: UserWithMemberships } | undefined> {
  const found = await loadUser(
    db,
    sql`u.id = (select user_id from refresh_tokens where token_hash = ${tokenHash})`,
    sql`(select row_to_json(rt) from refresh_tokens rt where rt.token_hash = ${tokenHash})`,
  );
  const t = found?.extra;
  if (!found || !t) return undefined;
  const date = (v: unknown) => (v == null ? null : new Date(String(v)));
  return {
    session: found,
    token: {
      id: String(t.id),
      userId: String(t.user_id),
      tenantId: String(t.tenant_id),
      familyId: String(t.family_id),
      parentId: t.parent_id == null ? null : String(t.parent_id),
      tokenHash: String(t.token_hash),
      expiresAt: new Date(String(t.expires_at)),
      rotatedAt: date(t.rotated_at),
      revokedAt: date(t.revoked_at),
      userAgent: t.user_agent == null ? null : String(t.user_agent),
      ip: t.ip == null ? null : String(t.ip),
      createdAt: new Date(String(t.created_at)),
    },
  };
}

type NewChild = Pick<RefreshTokenRow, "id" | "tokenHash" | "expiresAt" | "userAgent" | "ip">;

function insertChild(child: NewChild, parentId: string, source: SQL) {
  return sql`
    insert into refresh_tokens (id, user_id, tenant_id, family_id, parent_id, token_hash, expires_at, user_agent, ip)
    select ${child.id}, user_id, tenant_id, family_id, ${parentId}, ${child.tokenHash}, ${child.expiresAt.toISOString()},
           ${child.userAgent}, ${child.ip}
    from ${source} limit 1
    returning id`;
}

/**
 * Rotates `parentId` into `child` atomically: the parent is marked rotated only if nobody rotated
 * it first, and the child exists only if that happened. False = lost the race (a concurrent use).
 */
export async function rotateRefreshToken(db: Db, parentId: string, child: NewChild): Promise<boolean> {
  const result = await db.execute(sql`
    with rotated as (
      update refresh_tokens set rotated_at = now()
      where id = ${parentId} and rotated_at is null and revoked_at is null and expires_at > now()
      returning user_id, tenant_id, family_id
    )
    ${insertChild(child, parentId, sql`rotated`)}`);
  return result.rows.length === 1;
}

/**
 * The grace path for a retry whose response was lost: the parent was rotated moments ago but the
 * child it produced was never used. That unused child is revoked and replaced. False = the child
 * was already used, so this is a genuine reuse.
 */
export async function reissueUnusedChild(db: Db, parentId: string, child: NewChild): Promise<boolean> {
  const result = await db.execute(sql`
    with dropped as (
      update refresh_tokens set revoked_at = now()
      where parent_id = ${parentId} and rotated_at is null and revoked_at is null
      returning user_id, tenant_id, family_id
    )
    ${insertChild(child, parentId, sql`dropped`)}`);
  return result.rows.length === 1;
}

/** Revokes every live token of a refresh family (reuse detected, logout, tenant switch). */
export async function revokeFamily(db: Db, familyId: string): Promise<void> {
  await db.execute(
    sql`update refresh_tokens set revoked_at = now() where family_id = ${familyId} and revoked_at is null`,
  );
}

/** Everything registration creates, written atomically in one round trip. */
export async function insertRegistration(
  db: Db,
  rows: {
    tenant: typeof tenants.$inferInsert;
    roles: (typeof roles.$inferInsert)[];
    user: typeof users.$inferInsert;
    ownerRoleId: string;
    refreshToken: typeof refreshTokens.$inferInsert;
    audit: (typeof auditLogs.$inferInsert)[];
  },
): Promise<void> {
  const tenantId = rows.tenant.id;
  const userId = rows.user.id;
  await db.batch([
    db.insert(tenants).values(rows.tenant),
    db.insert(roles).values(rows.roles),
    db.insert(users).values(rows.user),
    db.insert(memberships).values({ tenantId, userId }),
    db.insert(userRoles).values({ tenantId, userId, roleId: rows.ownerRoleId }),
    db.insert(refreshTokens).values(rows.refreshToken),
    db.insert(auditLogs).values(rows.audit),
  ]);
}
