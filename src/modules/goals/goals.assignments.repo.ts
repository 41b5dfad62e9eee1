import { sql } from "drizzle-orm";
import { auditInsertSelect, auditRow, isoSql, jsonb } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import { ownerVisible, teamVisible } from "../../core/scope";
import type { AssignmentDto } from "./goals.schemas";

/**
 * Goal assignments, each write ONE statement with its audit row: the checks that decide the 404s
 * (the goal, every user an active member of the tenant inside the caller's scope, every team of
 * the tenant inside the caller's scope) are CTEs of the same statement, so a refused request
 * writes nothing.
 */

const T = (ctx: TenantContext) => sql`${ctx.tenantId}::uuid`;

/** An assignment row under `alias` as the API's JSON. */
function assignmentJson(alias: string) {
  const a = sql.raw(alias);
  return sql`json_build_object('id', ${a}.id, 'goal_id', ${a}.goal_id, 'user_id', ${a}.user_id,
    'team_id', ${a}.team_id, 'created_by', ${a}.created_by, 'created_at', ${isoSql(sql`${a}.created_at`)})`;
}

/** The assignment under `alias` is one the caller may see (its user or its team in scope). */
function assignmentVisible(ctx: TenantContext, alias: string) {
  const a = sql.raw(alias);
  return sql`(case when ${a}.user_id is not null then ${ownerVisible(ctx, sql`${a}.user_id`)}
    else exists (select 1 from teams vt where vt.tenant_id = ${a}.tenant_id and vt.id = ${a}.team_id
      and ${teamVisible(ctx, { id: sql`vt.id`, path: sql`vt.path` })}) end)`;
}

export type AssignOutcome = {
  found: boolean;
  bad_user: string | null;
  bad_team: string | null;
  assignments: AssignmentDto[];
};

/**
 * Adds the (deduplicated) users and teams to the goal; pairs already assigned stay as they are.
 * Answers the goal's assignments the caller may see, the new ones included.
 */
export async function insertAssignments(
  ctx: TenantContext,
  goalId: string,
  userIds: readonly string[],
  teamIds: readonly string[],
): Promise<AssignOutcome> {
  const users = userIds.map((user_id) => ({ id: uuidv7(), user_id }));
  const teamRows = teamIds.map((team_id) => ({ id: uuidv7(), team_id }));
  const audit = auditRow(ctx, { action: "goal.assign", entityType: "goal", entityId: goalId });
  const result = await ctx.db.execute<AssignOutcome>(sql`
    with g as (
      select gl.tenant_id, gl.id from goals gl
      where gl.tenant_id = ${T(ctx)} and gl.id = ${goalId}::uuid and gl.deleted_at is null
    ),
    ru as (select * from jsonb_to_recordset(${jsonb(users)}) as r(id uuid, user_id uuid)),
    rt as (select * from jsonb_to_recordset(${jsonb(teamRows)}) as r(id uuid, team_id uuid)),
    bad_user as (
      select ru.user_id from ru
      where not exists (select 1 from memberships m
          where m.tenant_id = ${T(ctx)} and m.user_id = ru.user_id and m.status = 'active')
        or not ${ownerVisible(ctx, sql`ru.user_id`)}
      limit 1
    ),
    bad_team as (
      select rt.team_id from rt
      where not exists (select 1 from teams tt where tt.tenant_id = ${T(ctx)} and tt.id = rt.team_id
        and ${teamVisible(ctx, { id: sql`tt.id`, path: sql`tt.path` })})
      limit 1
    ),
    ok as (
      select g.id from g
      where not exists (select 1 from bad_user) and not exists (select 1 from bad_team)
    ),
    ins_u as (
      insert into goal_assignments (tenant_id, id, goal_id, user_id, created_by)
      select ${T(ctx)}, ru.id, ok.id, ru.user_id, ${ctx.userId}::uuid from ok cross join ru
      on conflict (tenant_id, goal_id, user_id) where user_id is not null do nothing
      returning *
    ),
    ins_t as (
      insert into goal_assignments (tenant_id, id, goal_id, team_id, created_by)
      select ${T(ctx)}, rt.id, ok.id, rt.team_id, ${ctx.userId}::uuid from ok cross join rt
      on conflict (tenant_id, goal_id, team_id) where team_id is not null do nothing
      returning *
    ),
    aud as (${auditInsertSelect(
      audit,
      {
        old: sql`null::jsonb`,
        new: sql`jsonb_build_object(
          'user_ids', coalesce((select jsonb_agg(user_id order by user_id) from ins_u), '[]'::jsonb),
          'team_ids', coalesce((select jsonb_agg(team_id order by team_id) from ins_t), '[]'::jsonb))`,
      },
      sql`from ok where exists (select 1 from ins_u) or exists (select 1 from ins_t)`,
    )}),
    rows as (
      select a.* from goal_assignments a join ok on a.tenant_id = ${T(ctx)} and a.goal_id = ok.id
      union all select * from ins_u
      union all select * from ins_t
    )
    select exists (select 1 from g) as found,
      (select user_id from bad_user) as bad_user, (select team_id from bad_team) as bad_team,
      coalesce((select json_agg(${assignmentJson("rows")} order by rows.created_at, rows.id) from rows
        where ${assignmentVisible(ctx, "rows")}), '[]'::json) as assignments`);
  const row = result.rows[0];
  return row ?? { found: false, bad_user: null, bad_team: null, assignments: [] };
}

/** Removes one assignment of a live goal, if the caller may see it; audited. Whether it was removed. */
export async function deleteAssignment(
  ctx: TenantContext,
  goalId: string,
  assignmentId: string,
): Promise<boolean> {
  const audit = auditRow(ctx, { action: "goal.unassign", entityType: "goal", entityId: goalId });
  const result = await ctx.db.execute<{ deleted: boolean }>(sql`
    with del as (
      delete from goal_assignments a
      using goals gl
      where a.tenant_id = ${T(ctx)} and a.id = ${assignmentId}::uuid and a.goal_id = ${goalId}::uuid
        and gl.tenant_id = a.tenant_id and gl.id = a.goal_id and gl.deleted_at is null
        and ${assignmentVisible(ctx, "a")}
      returning a.*
    ),
    aud as (${auditInsertSelect(
      audit,
      {
        old: sql`(select jsonb_build_object('assignment_id', id, 'user_id', user_id, 'team_id', team_id) from del)`,
        new: sql`null::jsonb`,
      },
      sql`from del`,
    )})
    select exists (select 1 from del) as deleted`);
  return result.rows[0]?.deleted === true;
}
