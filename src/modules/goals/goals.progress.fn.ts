import { sql } from "drizzle-orm";
import { planCachedFunction } from "../../core/plan-cache";
import { progressSql } from "./goals.progress.query";

/**
 * The progress statement as plan-cached functions (core/plan-cache.ts): planning it took longer
 * than running it (about 2 ms against 1 on the bench's 1M-visit tenant). Migration 0048 (plan_cached_functions) creates
 * them from `definition()`; test/foundation/plan-cached-functions.test.ts checks the database's copy.
 */

/**
 * The caller's own progress on every live goal assigned to them — directly or through a team they
 * are a member of — active on the day (start_date ≤ day ≤ end_date; no end_date: open).
 */
export const myGoalProgressFn = planCachedFunction(
  "goal_progress_mine",
  { tenant: "uuid", user: "uuid", day: "date" },
  (a) =>
    progressSql({
      tenant: sql`${a.tenant}::uuid`,
      day: sql`${a.day}::date`,
      goalWhere: sql`gl.start_date <= day.d and (gl.end_date is null or gl.end_date >= day.d)
      and exists (select 1 from goal_assignments ma
        where ma.tenant_id = gl.tenant_id and ma.goal_id = gl.id
          and (ma.user_id = ${a.user}::uuid or ma.team_id in (
            select mt.team_id from team_members mt where mt.tenant_id = gl.tenant_id and mt.user_id = ${a.user}::uuid)))`,
      assigneeWhere: (userId) => sql`${userId} = ${a.user}::uuid`,
    }),
);

/** One goal's progress over the assignees in `visible` (user ids; null: every assignee). */
export const goalProgressFn = planCachedFunction(
  "goal_progress_one",
  { tenant: "uuid", goal: "uuid", day: "date", visible: "uuid[]" },
  (a) =>
    progressSql({
      tenant: sql`${a.tenant}::uuid`,
      day: sql`${a.day}::date`,
      goalWhere: sql`gl.id = ${a.goal}::uuid`,
      assigneeWhere: (userId) => sql`(${a.visible}::uuid[] is null or ${userId} = any(${a.visible}::uuid[]))`,
    }),
);
