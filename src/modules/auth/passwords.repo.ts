import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import { auditLogs, loginAttempts, refreshTokens, type systemAudit, users } from "../../db/schema";
import { type AuthEventAudit, emailSubject } from "./auth.repo";

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
 * user with this email, the user's unused reset tokens are replaced by the new one, and the
 * request goes to system_audit (known or not). Returns the user (id and stored email) when a token
 * was stored.
 */
export async function issueResetToken(
  db: Db,
  email: string,
  token: { id: string; tokenHash: string; expiresAt: Date; ip: string | null },
  audit: AuthEventAudit,
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
    ), audited as (
      insert into system_audit (id, actor_id, tenant_id, action, entity_type, entity_id, new_values, ip, user_agent, request_id)
      select ${audit.id}, (select id from u), null, 'auth.forgot_password', 'user', (select id::text from u),
        jsonb_build_object('email', lower(${email.trim()}), 'known', exists (select 1 from u)),
        ${audit.ip}::inet, ${audit.userAgent}, ${audit.requestId}
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
