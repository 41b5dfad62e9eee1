import { sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import type { AuthEventAudit } from "./auth.repo";

/**
 * Stores a pending email change in one round trip — unless another account already uses the new
 * address (case-insensitively). The user's earlier unused requests are dropped, so only the latest
 * link works. Returns false when the address is taken (nothing stored).
 */
export async function storeEmailChange(
  db: Db,
  change: {
    id: string;
    userId: string;
    newEmail: string;
    tokenHash: string;
    expiresAt: Date;
    ip: string | null;
  },
): Promise<boolean> {
  const result = await db.execute(sql`
    with free as (
      select 1 where not exists (select 1 from users where lower(email) = lower(${change.newEmail}))
    ), dropped as (
      delete from email_changes where user_id = ${change.userId} and used_at is null and exists (select 1 from free)
    )
    insert into email_changes (id, user_id, new_email, token_hash, expires_at, ip)
    select ${change.id}, ${change.userId}, ${change.newEmail}, ${change.tokenHash},
      ${change.expiresAt.toISOString()}, ${change.ip}::inet
    from free
    returning id`);
  return result.rows.length === 1;
}

export interface ConfirmedEmailChange {
  userId: string;
  oldEmail: string;
  newEmail: string;
}

/**
 * Confirms an email change in ONE atomic statement: the token is spent only if unused, unexpired
 * and its user active; the user's email moves (version bumped; a unique violation — the address
 * taken meanwhile — aborts everything); the user's other pending changes are dropped and a
 * system_audit row keeps the old and new address. Undefined when the token was not valid.
 */
export async function confirmEmailChange(
  db: Db,
  tokenHash: string,
  audit: AuthEventAudit,
): Promise<ConfirmedEmailChange | undefined> {
  const result = await db.execute<{ id: string; old_email: string; new_email: string }>(sql`
    with spent as (
      update email_changes set used_at = now()
      where token_hash = ${tokenHash} and used_at is null and expires_at > now()
        and user_id in (select id from users where is_active)
      returning id, user_id, new_email
    ), before as (
      select u.id, u.email from users u join spent on spent.user_id = u.id
    ), changed as (
      update users u set email = spent.new_email, version = u.version + 1, updated_at = now()
      from spent where u.id = spent.user_id
      returning u.id, u.email
    ), dropped as (
      delete from email_changes
      where user_id in (select id from changed) and used_at is null and id not in (select id from spent)
    ), audited as (
      insert into system_audit (id, actor_id, tenant_id, action, entity_type, entity_id, old_values, new_values, ip, user_agent, request_id)
      select ${audit.id}, changed.id, null, 'user.email_change', 'user', changed.id::text,
        jsonb_build_object('email', before.email), jsonb_build_object('email', changed.email),
        ${audit.ip}::inet, ${audit.userAgent}, ${audit.requestId}
      from changed join before on before.id = changed.id
    )
    select changed.id, before.email as old_email, changed.email as new_email
    from changed join before on before.id = changed.id`);
  const row = result.rows[0];
  return row ? { userId: String(row.id), oldEmail: row.old_email, newEmail: row.new_email } : undefined;
}
