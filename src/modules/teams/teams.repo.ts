import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, isoSql } from "../../core/audit";
import type { Db } from "../../core/db";
import type { auditLogs } from "../../db/schema";
import { MAX_TEAM_DEPTH } from "./teams.schemas";

/**
 * Team SQL. Paths are `/<root id>/…/<own id>/`: every id is a 36-character UUID plus its slash, so
 * a path's length says its depth, and "every team below X" is the prefix range on
 * `teams_tenant_path_idx` (tenant_id, path text_pattern_ops). Every write that reads or rewrites
 * paths (create, update/move) first takes a per-tenant advisory lock inside its own batch, so tree
 * changes of one tenant apply one after the other and each statement sees the previous one's paths:
 * two concurrent moves can never build a cycle or leave a stale path behind.
 */

type AuditInsert = typeof auditLogs.$inferInsert;

/** `/` + MAX_TEAM_DEPTH × (36-character id + `/`). */
const MAX_PATH_LENGTH = 1 + 37 * MAX_TEAM_DEPTH;

export interface TeamRecord {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  path: string;
  version: number;
  created_at: string;
  updated_at: string;
  member_count: number;
}

export interface TeamMemberRecord {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  is_leader: boolean;
  added_at: string;
}

/** A team row (under `alias`) as the JSON the service maps, with its member count. */
function teamJson(alias: string): SQL {
  const t = sql.raw(alias);
  return sql`json_build_object(
    'id', ${t}.id, 'name', ${t}.name, 'description', ${t}.description, 'parent_id', ${t}.parent_id,
    'path', ${t}.path, 'version', ${t}.version,
    'created_at', ${isoSql(sql`${t}.created_at`)}, 'updated_at', ${isoSql(sql`${t}.updated_at`)},
    'member_count', (select count(*)::int from team_members mc
                     where mc.tenant_id = ${t}.tenant_id and mc.team_id = ${t}.id))`;
}

function memberJson(member: string, user: string): SQL {
  const m = sql.raw(member);
  const u = sql.raw(user);
  return sql`json_build_object(
    'user_id', ${u}.id, 'first_name', ${u}.first_name, 'last_name', ${u}.last_name, 'email', ${u}.email,
    'is_leader', ${m}.is_leader, 'added_at', ${isoSql(sql`${m}.created_at`)})`;
}

/** `path` lies strictly or not below `prefix` (prefix range, index-friendly). */
function inSubtree(path: SQL, prefix: SQL): SQL {
  return sql`(${path} operator(pg_catalog.~>=~) ${prefix} and ${path} operator(pg_catalog.~<~) (${prefix} || '~'))`;
}

/** Serialises the tenant's tree writes until the batch commits. */
function lockTree(db: Db, tenantId: string) {
  return db.execute(sql`select pg_advisory_xact_lock(hashtext('teams'), hashtext(${tenantId}::text))`);
}

export interface NewTeam {
  tenantId: string;
  id: string;
  name: string;
  description: string | null;
  parentId: string | null;
}

/**
 * Inserts a team with its path computed from the parent row in the same statement (INSERT …
 * SELECT from the parent, looked up in the caller's tenant only) and its audit row: one round trip.
 * No parent row (missing, or another tenant's) or a tree already at MAX_TEAM_DEPTH → nothing is
 * written. A duplicate name under the same parent raises `teams_tenant_parent_name_key`.
 */
export async function insertTeamAudited(
  db: Db,
  team: NewTeam,
  audit: AuditInsert,
): Promise<{ parentFound: boolean; team: TeamRecord | null }> {
  const parent = team.parentId
    ? sql`select p.path from teams p where p.tenant_id = ${team.tenantId}::uuid and p.id = ${team.parentId}::uuid`
    : sql`select '/'::text as path`;
  const [, result] = await db.batch([
    lockTree(db, team.tenantId),
    db.execute<{ parent_found: boolean; team: TeamRecord | null }>(sql`
      with parent as (${parent}),
      ins as (
        insert into teams (tenant_id, id, name, description, parent_id, path)
        select ${team.tenantId}::uuid, ${team.id}::uuid, ${team.name}::text, ${team.description}::text,
               ${team.parentId}::uuid, parent.path || ${team.id}::text || '/'
        from parent
        where length(parent.path) + 37 <= ${MAX_PATH_LENGTH}
        returning *
      ),
      aud as (${auditInsertSelect(
        audit,
        {
          old: sql`null::jsonb`,
          new: sql`jsonb_build_object('name', ins.name, 'description', ins.description,
                                    'parent_id', ins.parent_id, 'path', ins.path)`,
        },
        sql`from ins`,
      )})
      select exists (select 1 from parent) as parent_found, (select ${teamJson("ins")} from ins) as team`),
  ]);
  const row = result.rows[0];
  return { parentFound: row?.parent_found === true, team: row?.team ?? null };
}

export async function findTeam(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ team: TeamRecord; members: TeamMemberRecord[] } | undefined> {
  const result = await db.execute<{ team: TeamRecord; members: TeamMemberRecord[] }>(sql`
    select ${teamJson("t")} as team,
      coalesce((
        select json_agg(${memberJson("m", "u")}
                        order by m.is_leader desc, lower(u.last_name), lower(u.first_name), u.id)
        from team_members m join users u on u.id = m.user_id
        where m.tenant_id = t.tenant_id and m.team_id = t.id
      ), '[]'::json) as members
    from teams t
    where t.tenant_id = ${tenantId}::uuid and t.id = ${id}::uuid`);
  return result.rows[0];
}

export interface TeamFilter {
  /** Children of this team; `null` = root teams. */
  parentId?: string | null;
  /** Every team strictly below this one. */
  ancestorId?: string;
  /** Name contains, case-insensitive. */
  nameContains?: string;
  limit: number;
  offset: number;
  includeTotal: boolean;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * One page of teams (by name), the total when asked, and whether the named parent / ancestor
 * exists in this tenant: one round trip.
 */
export async function listTeams(
  db: Db,
  tenantId: string,
  filter: TeamFilter,
): Promise<{ parentFound: boolean; ancestorFound: boolean; total: number | null; items: TeamRecord[] }> {
  const conditions: SQL[] = [sql`t.tenant_id = ${tenantId}::uuid`];
  if (filter.parentId === null) conditions.push(sql`t.parent_id is null`);
  else if (filter.parentId !== undefined) conditions.push(sql`t.parent_id = ${filter.parentId}::uuid`);
  if (filter.ancestorId !== undefined) {
    const anchor = sql`(select a.path from teams a where a.tenant_id = ${tenantId}::uuid and a.id = ${filter.ancestorId}::uuid)`;
    conditions.push(inSubtree(sql`t.path`, anchor), sql`t.id <> ${filter.ancestorId}::uuid`);
  }
  if (filter.nameContains !== undefined) {
    conditions.push(sql`t.name ilike ${`%${likeEscape(filter.nameContains)}%`}::text`);
  }
  const exists = (id: string | null | undefined) =>
    id
      ? sql`exists (select 1 from teams x where x.tenant_id = ${tenantId}::uuid and x.id = ${id}::uuid)`
      : sql`true`;
  const result = await db.execute<{
    parent_found: boolean;
    ancestor_found: boolean;
    total: number | null;
    items: TeamRecord[];
  }>(sql`
    with filtered as (select t.* from teams t where ${sql.join(conditions, sql` and `)})
    select ${exists(filter.parentId)} as parent_found, ${exists(filter.ancestorId)} as ancestor_found,
      ${filter.includeTotal ? sql`(select count(*)::int from filtered)` : sql`null::int`} as total,
      coalesce((
        select json_agg(s.j order by s.sort_name, s.id)
        from (
          select ${teamJson("f")} as j, lower(f.name) as sort_name, f.id
          from filtered f
          order by lower(f.name), f.id
          limit ${filter.limit} offset ${filter.offset}
        ) s
      ), '[]'::json) as items`);
  const row = result.rows[0];
  return {
    parentFound: row?.parent_found === true,
    ancestorFound: row?.ancestor_found === true,
    total: row?.total ?? null,
    items: row?.items ?? [],
  };
}

export interface TeamPatch {
  name?: string;
  description?: string | null;
  /** Omitted: stays; `null`: becomes a root; an id: moves under that team. */
  parentId?: string | null;
}

export interface TeamUpdateOutcome {
  found: boolean;
  currentVersion: number | null;
  parentMissing: boolean;
  cycle: boolean;
  tooDeep: boolean;
  team: TeamRecord | null;
  descendantsMoved: number;
}

/**
 * Updates a team — and, when it moves, rewrites the path of the team and of every team below it —
 * with its audit row, in one atomic round trip (lock + one statement). The statement checks
 * everything before it writes: the team exists in this tenant, `expectedVersion` (If-Match) is
 * still the stored version (also re-checked on the row itself, so a concurrent writer cannot slip
 * in), the new parent exists in this tenant, is neither the team nor one of its descendants, and
 * the moved subtree stays within MAX_TEAM_DEPTH. When any check fails nothing is written and the
 * outcome says why.
 */
export async function updateTeamAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: TeamPatch,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<TeamUpdateOutcome> {
  const moving = patch.parentId !== undefined;
  const newParent = patch.parentId ?? null;
  const parentPath = sql`(select p.path from teams p where p.tenant_id = ${tenantId}::uuid and p.id = ${newParent}::uuid)`;

  let newPath = sql`cur.path`;
  let parentMissing = sql`false`;
  let cycle = sql`false`;
  let tooDeep = sql`false`;
  if (moving && newParent === null) {
    newPath = sql`'/' || cur.id::text || '/'`;
  } else if (moving) {
    newPath = sql`${parentPath} || cur.id::text || '/'`;
    parentMissing = sql`${parentPath} is null`;
    cycle = sql`coalesce(starts_with(${parentPath}, cur.path), false)`;
    tooDeep = sql`coalesce(length(${parentPath}) + 37 + (
        select max(length(d.path)) from teams d
        where d.tenant_id = cur.tenant_id and ${inSubtree(sql`d.path`, sql`cur.path`)}
      ) - length(cur.path) > ${MAX_PATH_LENGTH}, false)`;
  }

  const sets: SQL[] = [];
  const oldValues: SQL[] = [];
  const newValues: SQL[] = [];
  const field = (name: string, value: SQL) => {
    sets.push(sql`${sql.raw(name)} = ${value}`);
    oldValues.push(sql`${name}::text, cur.${sql.raw(name)}`);
    newValues.push(sql`${name}::text, upd.${sql.raw(name)}`);
  };
  if (patch.name !== undefined) field("name", sql`${patch.name}::text`);
  if (patch.description !== undefined) field("description", sql`${patch.description}::text`);
  if (moving) {
    field("parent_id", sql`${newParent}::uuid`);
    field("path", sql`plan.new_path`);
  }
  const versionCheck = expectedVersion === undefined ? sql`` : sql`and t.version = ${expectedVersion}::int`;

  const [, result] = await db.batch([
    lockTree(db, tenantId),
    db.execute<{
      found: boolean;
      current_version: number | null;
      parent_missing: boolean | null;
      cycle: boolean | null;
      too_deep: boolean | null;
      team: TeamRecord | null;
      descendants_moved: number;
    }>(sql`
      with cur as (select * from teams where tenant_id = ${tenantId}::uuid and id = ${id}::uuid),
      plan as (
        select cur.id, cur.path as old_path, cur.version,
          ${newPath} as new_path, ${parentMissing} as parent_missing, ${cycle} as cycle, ${tooDeep} as too_deep
        from cur
      ),
      upd as (
        update teams t
        set ${sql.join(sets, sql`, `)}, version = t.version + 1, updated_at = now()
        from plan
        where t.tenant_id = ${tenantId}::uuid and t.id = plan.id ${versionCheck}
          and not plan.parent_missing and not plan.cycle and not plan.too_deep
        returning t.*
      ),
      moved as (
        update teams d
        set path = upd.path || substr(d.path, length(plan.old_path) + 1), version = d.version + 1, updated_at = now()
        from upd, plan
        where d.tenant_id = ${tenantId}::uuid and upd.path <> plan.old_path
          and ${inSubtree(sql`d.path`, sql`plan.old_path`)} and d.id <> plan.id
        returning d.id
      ),
      aud as (${auditInsertSelect(
        audit,
        {
          old: sql`jsonb_build_object(${sql.join(oldValues, sql`, `)})`,
          new: moving
            ? sql`jsonb_build_object(${sql.join(newValues, sql`, `)}, 'descendants_moved', (select count(*) from moved))`
            : sql`jsonb_build_object(${sql.join(newValues, sql`, `)})`,
        },
        sql`from upd, cur`,
      )})
      select exists (select 1 from cur) as found, plan.version as current_version,
        plan.parent_missing, plan.cycle, plan.too_deep,
        (select ${teamJson("upd")} from upd) as team,
        (select count(*)::int from moved) as descendants_moved
      from (select 1) as one left join plan on true`),
  ]);
  const row = result.rows[0];
  return {
    found: row?.found === true,
    currentVersion: row?.current_version ?? null,
    parentMissing: row?.parent_missing === true,
    cycle: row?.cycle === true,
    tooDeep: row?.too_deep === true,
    team: row?.team ?? null,
    descendantsMoved: row?.descendants_moved ?? 0,
  };
}

export interface MemberUpsertOutcome {
  teamFound: boolean;
  userFound: boolean;
  existed: boolean;
  changed: boolean;
  member: TeamMemberRecord | null;
}

/**
 * Adds a member of the tenant to a team, or changes an existing member's leader flag, with its
 * audit row and a bump of the team's version (the team's representation lists its members, so its
 * ETag must change): one statement. A request that changes nothing writes nothing.
 */
export async function upsertTeamMemberAudited(
  db: Db,
  tenantId: string,
  teamId: string,
  userId: string,
  isLeader: boolean | undefined,
  audit: AuditInsert,
): Promise<MemberUpsertOutcome> {
  const conflict =
    isLeader === undefined
      ? sql`on conflict (tenant_id, team_id, user_id) do nothing`
      : sql`on conflict (tenant_id, team_id, user_id) do update set is_leader = excluded.is_leader
            where team_members.is_leader is distinct from excluded.is_leader`;
  const result = await db.execute<{
    team_found: boolean;
    user_found: boolean;
    existed: boolean;
    changed: boolean;
    member: TeamMemberRecord | null;
  }>(sql`
    with team as (select t.id from teams t where t.tenant_id = ${tenantId}::uuid and t.id = ${teamId}::uuid),
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
    select exists (select 1 from team) as team_found, exists (select 1 from member) as user_found,
      exists (select 1 from prev) as existed, exists (select 1 from up) as changed,
      (select ${memberJson("x", "u")}
       from (select * from up union all select * from prev where not exists (select 1 from up)) x
       join users u on u.id = x.user_id
       limit 1) as member`);
  const row = result.rows[0];
  return {
    teamFound: row?.team_found === true,
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
