import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { visibleUserIds } from "../../core/scope";
import { goalProgressFn, myGoalProgressFn } from "./goals.progress.fn";
import type { RawAssignee, RawProgress } from "./goals.progress.query";
import type { AssigneeProgress, GoalProgress, ProgressFigures } from "./goals.schemas";

/**
 * A goal's progress as the API answers it, from the raw figures of goals.progress.query.ts:
 * - count metrics: actual = the count; percent = actual ÷ target × 100; expected = target ×
 *   elapsed_fraction; on_track = actual ≥ expected; the total sums the assignees you see, against
 *   target × their number;
 * - shelf_share: actual = Σ brand area ÷ Σ marked shelf area × 100 (null without a marked shelf
 *   photo); expected = target (a share is not pro-rated), on_track = actual ≥ target; the total
 *   weighs every assignee by marked area (Σ over them of both sums).
 */

const round2 = (x: number) => Math.round(x * 100) / 100;

function figures(
  metric: RawProgress["metric"],
  actual: number | null,
  target: number,
  elapsed: number,
): ProgressFigures {
  const expected = metric === "shelf_share" ? target : target * elapsed;
  return {
    actual,
    target,
    percent: actual === null || target === 0 ? null : round2((100 * actual) / target),
    expected: round2(expected),
    on_track: actual !== null && target > 0 && actual >= expected,
  };
}

function actualOf(
  metric: RawProgress["metric"],
  a: Pick<RawAssignee, "count" | "brand_area" | "shelf_area">,
) {
  if (metric !== "shelf_share") return a.count;
  return a.shelf_area > 0 ? (100 * a.brand_area) / a.shelf_area : null;
}

/** One row of the progress statement as the API's `GoalProgress`. */
export function toGoalProgress(row: RawProgress): GoalProgress {
  const { metric, target, elapsed_fraction: elapsed } = row;
  const assignees: AssigneeProgress[] = row.assignees.map((a) => ({
    user_id: a.user_id,
    name: a.name,
    via_team_id: a.via_team_id,
    ...figures(metric, actualOf(metric, a), target, elapsed),
  }));
  const sum = (pick: (a: RawAssignee) => number) => row.assignees.reduce((s, a) => s + pick(a), 0);
  const total = {
    count: sum((a) => a.count),
    brand_area: sum((a) => a.brand_area),
    shelf_area: sum((a) => a.shelf_area),
  };
  const totalTarget = metric === "shelf_share" ? target : target * row.assignees.length;
  return {
    goal_id: row.goal_id,
    metric,
    period: { start_date: row.start_date, end_date: row.end_date },
    elapsed_fraction: elapsed,
    total: figures(metric, actualOf(metric, total), totalTarget, elapsed),
    assignees,
  };
}

/** GET /api/goals/{id}/progress: the goal's progress over the assignees in the caller's scope. One round trip. */
export async function goalProgress(
  ctx: TenantContext,
  id: string,
  date: string | undefined,
): Promise<GoalProgress> {
  const result = await ctx.db.execute<{ row: RawProgress }>(
    goalProgressFn.call({ tenant: ctx.tenantId, goal: id, day: date ?? null, visible: visibleUserIds(ctx) }),
  );
  const row = result.rows[0]?.row;
  if (!row) throw ApiError.notFound("Goal");
  return toGoalProgress(row);
}

/**
 * For offline sync (to run inside `db.batch([...])`): every live goal assigned to the caller —
 * directly or through a team they are a member of — that is active on `date` (ISO; undefined: the
 * tenant's today), i.e. start_date ≤ date ≤ end_date (no end_date: open), each with the caller's
 * own progress as its only assignee. The query is returned unawaited; map its rows with
 * `myGoalProgressRows`.
 */
export function myGoalProgressQuery(ctx: TenantContext, date: string | undefined) {
  return ctx.db.execute<{ row: RawProgress }>(
    myGoalProgressFn.call({ tenant: ctx.tenantId, user: ctx.userId, day: date ?? null }),
  );
}

/** The result of `myGoalProgressQuery` as `GoalProgress` items (by goal name). */
export function myGoalProgressRows(result: { rows: { row: RawProgress }[] }): GoalProgress[] {
  return result.rows.map((r) => toGoalProgress(r.row));
}
