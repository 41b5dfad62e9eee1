import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import { auditLogs, type refreshTokens } from "../../db/schema";
import { loadUser, type UserWithMemberships } from "./auth.repo";

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
 * it first, and the child exists only if that happened. False = it was rotated already (by a
 * concurrent duplicate, or earlier).
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
 * Whether the parent's successor (`childHash`) still stands for a repeat of the parent: the parent
 * was rotated at most `graceSeconds` ago and the successor is neither used nor revoked. Read in its
 * own statement, so it sees the rotation a concurrent duplicate has just committed.
 */
export async function successorStillFresh(
  db: Db,
  parentId: string,
  childHash: string,
  graceSeconds: number,
): Promise<boolean> {
  const result = await db.execute(sql`
    select 1 from refresh_tokens c join refresh_tokens p on p.id = c.parent_id
    where c.parent_id = ${parentId} and c.token_hash = ${childHash}
      and c.rotated_at is null and c.revoked_at is null and c.expires_at > now()
      and p.rotated_at > now() - make_interval(secs => ${graceSeconds}::int)`);
  return result.rows.length === 1;
}

/**
 * Revokes every live token of a refresh family (logout, tenant switch, reuse detected) together
 * with its audit row, in one atomic round trip.
 */
export async function revokeFamily(
  db: Db,
  familyId: string,
  audit: typeof auditLogs.$inferInsert,
): Promise<void> {
  await db.batch([
    db.execute(
      sql`update refresh_tokens set revoked_at = now() where family_id = ${familyId} and revoked_at is null`,
    ),
    db.insert(auditLogs).values(audit),
  ]);
}
