import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect } from "../../core/audit";
import type { Db } from "../../core/db";
import {
  type AuditInsert,
  inSubtree,
  lockTree,
  MAX_PATH_LENGTH,
  type TeamRecord,
  teamJson,
} from "./teams.queries";

/**
 * Team tree writes: create (path from the parent) and update/move (rewrites the subtree's paths).
 * Both take the tenant's tree lock first, in the same batch (see teams.queries.ts).
 */

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
