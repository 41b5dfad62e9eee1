import { eq, type SQL, sql } from "drizzle-orm";
import type { GrantingRole } from "../../core/auth/permissions";
import type { Db } from "../../core/db";
import {
  auditLogs,
  loginAttempts,
  memberships,
  refreshTokens,
  roles,
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
      username: u.username == null ? null : String(u.username),
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
export async function loadUser(
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
 * computed whether or not the user exists — the lock state of an unknown email, say. `write`, a
 * data-modifying statement, runs in the same statement (an audit row, say).
 */
async function loadUserWith(
  db: Db,
  where: SQL,
  extra: SQL,
  write?: SQL,
): Promise<{ found: UserWithMemberships | undefined; extra: Record<string, unknown> | null }> {
  const result = await db.execute(sql`
    ${write ? sql`with written as (${write}) ` : sql``}select ${extra} as extra, q."user", q.memberships
    from (select 1) as one left join lateral (${userQuery(where, sql`null::json`)}) q on true`);
  const row = result.rows[0] as unknown as RawRow | undefined;
  return {
    found: row?.user ? parseUser({ ...row, user: row.user }) : undefined,
    extra: row?.extra ?? null,
  };
}

export function findUserById(db: Db, id: string) {
  return loadUser(db, sql`u.id = ${id}`);
}

export const emailSubject = (email: string) => sql`'email:' || lower(${email.trim()})`;
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
 * and the client address — answered for an unknown email too, so both are locked alike. While
 * locked, the refused attempt is recorded in system_audit by the same statement.
 */
export async function findLoginCandidate(
  db: Db,
  keys: LockoutKeys,
  audit: AuthEventAudit,
): Promise<LoginCandidate> {
  const subjects = subjectsOf(keys);
  const locked = sql`exists (select 1 from login_attempts la
    where la.subject in (${sql.join(subjects, sql`, `)}) and la.locked_until > now())`;
  const { found, extra } = await loadUserWith(
    db,
    signsInAs(keys.email),
    lockState(subjects),
    sql`${failureAudit(audit, keys.email, "locked")} where ${locked}`,
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

/** Request metadata of an authentication event recorded in system_audit (no tenant known). */
export interface AuthEventAudit {
  id: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/**
 * A failed sign-in in system_audit: the email as typed (lower-cased), the user when the email is
 * known, and why — never the password.
 */
function failureAudit(audit: AuthEventAudit, email: string, reason: string): SQL {
  return sql`insert into system_audit (id, actor_id, tenant_id, action, entity_type, entity_id, new_values, ip, user_agent, request_id)
    select ${audit.id}, u.id, null, 'auth.login_failed', 'user', u.id::text,
      jsonb_build_object('email', lower(${email.trim()}), 'reason', ${reason}::text),
      ${audit.ip}::inet, ${audit.userAgent}, ${audit.requestId}
    from (select 1) one left join users u on ${signsInAs(email)}`;
}

/**
 * The user `u` signs in with `identifier`: their email, or their username (case-insensitive each;
 * a username never contains "@", so the two cannot collide). Both are unique expression indexes.
 */
function signsInAs(identifier: string): SQL {
  const id = identifier.trim();
  return sql`(lower(u.email) = lower(${id}) or lower(u.username) = lower(${id}))`;
}

/**
 * Counts one failure for each subject in one round trip. A subject reaching its threshold within
 * the window is locked for base × 2^(earlier lockouts) seconds (capped) and its count restarts.
 */
export async function recordFailures(
  db: Db,
  keys: LockoutKeys,
  audit: AuthEventAudit & { reason: string },
): Promise<void> {
  const p = LOCKOUT;
  const prior = sql`(case when la.last_failure_at < now() - make_interval(mins => ${p.windowMinutes}::int) then 0 else la.failures end)`;
  const threshold = sql`(case when la.subject like 'ip:%' then ${p.ipThreshold}::int else ${p.emailThreshold}::int end)`;
  const trips = sql`(${prior} + 1 >= ${threshold})`;
  const lockouts = sql`(case when la.last_failure_at < now() - make_interval(hours => ${p.memoryHours}::int) then 0 else la.lockouts end)`;
  const rows = subjectsOf(keys).map((subject) => sql`(${subject}, 1, 0, null::timestamptz, now())`);
  const upsert = db.execute(sql`
    insert into login_attempts as la (subject, failures, lockouts, locked_until, last_failure_at)
    values ${sql.join(rows, sql`, `)}
    on conflict (subject) do update set
      failures = case when ${trips} then 0 else ${prior} + 1 end,
      lockouts = case when ${trips} then ${lockouts} + 1 else ${lockouts} end,
      locked_until = case when ${trips}
        then now() + make_interval(secs => least(${p.maxSeconds}::int, ${p.baseSeconds}::int * power(2, ${lockouts})))
        else la.locked_until end,
      last_failure_at = now()`);
  await db.batch([upsert, db.execute(failureAudit(audit, keys.email, audit.reason))]);
}

/**
 * Stores the new refresh token, stamps the login (and, for a legacy or weaker hash, stores the
 * fresh password hash), writes the tenant's audit row for the sign-in and, after a password login,
 * clears the email's failure count: one atomic round trip.
 */
export async function recordLogin(
  db: Db,
  token: typeof refreshTokens.$inferInsert,
  audit: typeof auditLogs.$inferInsert,
  rehashed: string | undefined,
  clearFailuresOf: string | undefined,
): Promise<void> {
  const stamp = db
    .update(users)
    .set({ lastLoginAt: sql`now()`, ...(rehashed ? { passwordHash: rehashed } : {}) })
    .where(eq(users.id, token.userId));
  const insert = db.insert(refreshTokens).values(token);
  const audited = db.insert(auditLogs).values(audit);
  if (clearFailuresOf === undefined) {
    await db.batch([insert, stamp, audited]);
    return;
  }
  await db.batch([
    insert,
    stamp,
    audited,
    db.delete(loginAttempts).where(eq(loginAttempts.subject, emailSubject(clearFailuresOf))),
  ]);
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
