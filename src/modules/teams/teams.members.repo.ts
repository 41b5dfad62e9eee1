import { sql } from "drizzle-orm";
import { auditInsertSelect } from "../../core/audit";
import type { Db } from "../../core/db";
import { type AuditInsert, memberJson, type TeamMemberRecord } from "./teams.queries";

/** Team membership writes: add / change a member, remove a member (each bumps the team's version). */

export interface MemberUpsertOutcome {
  teamFound: boolean;
  /** False when `leaderId` was given and that user does not lead the team (nothing written). */
  allowed: boolean;
  userFound: boolean;
  existed: boolean;
  changed: boolean;
  member: TeamMemberRecord | null;
}

/**
 * Adds a member of the tenant to a team, or changes an existing member's leader flag, with its
 * audit row and a bump of the team's version (the team's representation lists its members, so its
 * ETag must change): one statement. A request that changes nothing writes nothing. With
 * `leaderId` the write happens only if that user leads the team (a team leader adding to their
 * own team), checked in the same statement.
 */
export async function upsertTeamMemberAudited(
  db: Db,
  tenantId: string,
  teamId: string,
  userId: string,
  isLeader: boolean | undefined,
  audit: AuditInsert,
  leaderId?: string,
): Promise<MemberUpsertOutcome> {
  const conflict =
    isLeader === undefined
      ? sql`on conflict (tenant_id, team_id, user_id) do nothing`
      : sql`on conflict (tenant_id, team_id, user_id) do update set is_leader = excluded.is_leader
            where team_members.is_leader is distinct from excluded.is_leader`;
  const leads =
    leaderId === undefined
      ? sql`true`
      : sql`exists (select 1 from team_members l where l.tenant_id = ${tenantId}::uuid
          and l.team_id = ${teamId}::uuid and l.user_id = ${leaderId}::uuid and l.is_leader)`;
  const result = await db.execute<{
    team_found: boolean;
    allowed: boolean;
    user_found: boolean;
    existed: boolean;
    changed: boolean;
    member: TeamMemberRecord | null;
  }>(sql`
    with team as (
      select t.id, ${leads} as allowed from teams t where t.tenant_id = ${tenantId}::uuid and t.id = ${teamId}::uuid
    ),
    member as (
      select ms.user_id from memberships ms where ms.tenant_id = ${tenantId}::uuid and ms.user_id = ${userId}::uuid
    ),
    prev as (
      select tm.* from team_members tm
      where tm.tenant_id = ${tenantId}::uuid and tm.team_id = ${teamId}::uuid and tm.user_id = ${userId}::uuid
    ),
    up as (
      insert into team_members (tenant_id, team_id, user_id, is_leader)
      select ${tenantId}::uuid, team.id, member.user_id, ${isLeader ?? false}::boolean
      from team, member
      where team.allowed
      ${conflict}
      returning *
    ),
    bump as (
      update teams set version = version + 1, updated_at = now()
      where tenant_id = ${tenantId}::uuid and id = ${teamId}::uuid and exists (select 1 from up)
    ),
    aud as (${auditInsertSelect(
      audit,
      {
        action: sql`case when prev.user_id is null then 'team.member_add' else 'team.member_update' end`,
        old: sql`case when prev.user_id is null then null
               else jsonb_build_object('user_id', prev.user_id, 'is_leader', prev.is_leader) end`,
        new: sql`jsonb_build_object('user_id', up.user_id, 'is_leader', up.is_leader)`,
      },
      sql`from up left join prev on true`,
    )})
    select exists (select 1 from team) as team_found, coalesce((select allowed from team), false) as allowed,
      exists (select 1 from member) as user_found, exists (select 1 from prev) as existed, exists (select 1 from up) as changed,
      (select ${memberJson("x", "u")}
       from (select * from up union all select * from prev where not exists (select 1 from up)) x
       join users u on u.id = x.user_id
       limit 1) as member`);
  const row = result.rows[0];
  return {
    teamFound: row?.team_found === true,
    allowed: row?.allowed === true,
    userFound: row?.user_found === true,
    existed: row?.existed === true,
    changed: row?.changed === true,
    member: row?.member ?? null,
  };
}

/** Removes a member from a team with its audit row and a bump of the team's version: one statement. */
export async function deleteTeamMemberAudited(
  db: Db,
  tenantId: string,
  teamId: string,
  userId: string,
  audit: AuditInsert,
): Promise<{ teamFound: boolean; deleted: boolean }> {
  const result = await db.execute<{ team_found: boolean; deleted: boolean }>(sql`
    with team as (select t.id from teams t where t.tenant_id = ${tenantId}::uuid and t.id = ${teamId}::uuid),
    del as (
      delete from team_members tm
      where tm.tenant_id = ${tenantId}::uuid and tm.team_id = ${teamId}::uuid and tm.user_id = ${userId}::uuid
      returning tm.*
    ),
    bump as (
      update teams set version = version + 1, updated_at = now()
      where tenant_id = ${tenantId}::uuid and id = ${teamId}::uuid and exists (select 1 from del)
    ),
    aud as (${auditInsertSelect(
      audit,
      {
        old: sql`jsonb_build_object('user_id', del.user_id, 'is_leader', del.is_leader)`,
        new: sql`null::jsonb`,
      },
      sql`from del`,
    )})
    select exists (select 1 from team) as team_found, exists (select 1 from del) as deleted`);
  const row = result.rows[0];
  return { teamFound: row?.team_found === true, deleted: row?.deleted === true };
}
