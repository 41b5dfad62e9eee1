import { tenantContext } from "../../core/context";
import { itemWrite, onRow } from "../../core/resource/item-routes";
import { resourceRoutes } from "../../core/resource/routes";
import { emptyResponse, jsonResponse, route } from "../../core/route";
import { goalProgress } from "./goals.progress";
import { createGoalBody, goalResource } from "./goals.resource";
import {
  assignGoalBody,
  assignmentListResponse,
  assignmentParams,
  goalProgressResponse,
  MAX_ASSIGN,
  progressQuery,
} from "./goals.schemas";
import { assignGoal, createGoal, unassignGoal, updateGoal } from "./goals.service";

const RULES =
  "Rules across fields (400 naming the field, nothing written): `end_date` is required for `fixed` and never before `start_date`; `shelf_share` needs `brand_id`, takes a `target` of at most 100 and no `survey_id`.";

/**
 * Goals on the resource kit (the standard five routes; create and update check the rules across
 * fields, an update against the stored row inside its one statement), plus assignments and progress.
 */
export const goalRoutes = resourceRoutes(goalResource, {
  create: { body: createGoalBody, run: createGoal },
  update: { response: goalResource.schemas.response, run: updateGoal },
  docs: {
    list: "Every role with goals:read sees the tenant's goals; progress is scoped (`/{id}/progress`).",
    create: RULES,
    update: `${RULES} A partial update is checked against the stored values of the fields it leaves out.`,
    delete: "Its assignments stay with it (gone from progress and sync).",
  },
})
  .openapi(
    ...itemWrite(
      {
        ...onRow("goals"),
        method: "post",
        path: "/{id}/assign",
        summary: "Assign a goal to users and teams",
        description: `Adds assignments to a live goal: \`user_ids\` (active members of the tenant) and/or \`team_ids\` (teams of the tenant; a team covers its members, expanded when progress is read), at least one, up to ${MAX_ASSIGN} each, duplicates counted once. Idempotent: a user or team already assigned keeps its one assignment. Every user and team must be inside your data scope (a subtree manager: the users and teams below their teams), else 404 naming \`user_ids\` or \`team_ids\` and nothing written. Answers the goal's assignments you may see. One round trip; audited (\`goal.assign\`, only when something was added). Honours Idempotency-Key.`,
        permission: "goals:write",
        body: assignGoalBody,
        responses: { 200: jsonResponse(assignmentListResponse, "The goal's assignments") },
        errors: { 404: "Goal not found, or a user / team not found in your scope (`user_ids` / `team_ids`)" },
      },
      assignGoal,
    ),
  )
  .openapi(
    route({
      method: "delete",
      path: "/{id}/assignments/{assignment_id}",
      summary: "Remove a goal assignment",
      description:
        "Removes one assignment of a live goal (404 when there is none you may see: its user or team must be in your data scope). One round trip; audited (`goal.unassign`). Honours Idempotency-Key.",
      tags: ["goals"],
      permission: "goals:write",
      params: assignmentParams,
      responses: { 204: emptyResponse("Removed") },
    }),
    async (c) => {
      const { id, assignment_id } = c.req.valid("param");
      await unassignGoal(tenantContext(c), id, assignment_id);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      ...onRow("goals"),
      method: "get",
      path: "/{id}/progress",
      summary: "A goal's progress",
      description: [
        "Progress of a live goal on `date` (ISO, tenant's time zone; default today), in one round trip, read from the rollup tables only.",
        "**Period**: `fixed` — `start_date`..`end_date`; `weekly` — the 7-day period from `start_date` (every 7 days) containing `date`; `monthly` — `start_date` + k months .. the day before `start_date` + (k+1) months containing `date`. A recurring period never runs past `end_date`; a `date` before the goal gets its first period, after it its last.",
        "**elapsed_fraction** = days of the period up to and including `date` ÷ days in the period (0 before it, 1 after it).",
        "**Assignees**: the users assigned directly and the members of the assigned teams (`via_team_id`; a user reached both ways counts once, as direct), active members of the tenant, in your data scope (an agent: themselves; a team leader: their team; managers: their subtree; admins: all).",
        "**actual** over the period's days, the visits' tenant-local start day, filtered by the goal's `survey_id`, `region` and `channel` of the shop and, for the count metrics, `brand_id` (surveys of that brand): `visits_completed` = completed visits; `surveys_completed` = completed visits with at least one answer; `photos_uploaded` = photos registered on the visits; `shelf_share` = Σ the brand's marked area ÷ Σ the marked shelf area of the shelf photos × 100 (null without a marked shelf photo).",
        "**percent** = actual ÷ target × 100 (2 decimals). **expected** = target × elapsed_fraction (for `shelf_share`: the target). **on_track** = actual ≥ expected (false when actual is null; the total of no visible assignee has target 0 and is not on track).",
        "**total**, over the assignees listed: count metrics sum actual, target = goal target × their number; `shelf_share` is Σ brand area ÷ Σ shelf area over all of them (area-weighted) against the target.",
        "Rollups are kept by the queue consumer and rebuilt by cron, so a just-finished visit may take a moment to count.",
      ].join("\n\n"),
      permission: "goals:read",
      query: progressQuery,
      responses: { 200: jsonResponse(goalProgressResponse, "The goal's progress") },
    }),
    async (c) => {
      const data = await goalProgress(tenantContext(c), c.req.valid("param").id, c.req.valid("query").date);
      return c.json({ data }, 200);
    },
  );
