import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { GOAL_METRICS, GOAL_PERIOD_TYPES } from "../../db/schema";

/** The validation rules of a goal's single fields (the rules across fields are in goals.rules.ts). */

export const MAX_TARGET = 1_000_000_000;

export const goalName = z.string().trim().min(1).max(200);
export const goalDescription = z.string().trim().max(2000).nullable();
export const goalMetric = z
  .enum(GOAL_METRICS)
  .describe(
    "`visits_completed`: completed visits; `surveys_completed`: completed visits with at least one answer; `photos_uploaded`: photos registered on visits; `shelf_share`: the brand's share (percent) of the marked shelf area",
  );
export const goalTarget = z
  .number()
  .positive()
  .max(MAX_TARGET)
  .describe(
    "Per assignee and period: a count for the count metrics; for `shelf_share` a percentage (0 < target ≤ 100)",
  );
export const goalPeriodType = z
  .enum(GOAL_PERIOD_TYPES)
  .describe(
    "`fixed`: one period `start_date`..`end_date`; `weekly` / `monthly`: periods of 7 days / one calendar month repeating from `start_date` (tenant's time zone) until `end_date` (optional; the last period is cut short there)",
  );
export const isoDay = z.iso.date({ error: "Must be an ISO date, e.g. 2026-01-31" });
export const optionalId = z.uuid().nullable();
export const shopLabel = z.string().trim().min(1).max(100).nullable();

/** The body of `POST /api/goals/{id}/assign`. */
export const MAX_ASSIGN = 200;
export const assignGoalBody = z
  .strictObject({
    user_ids: z
      .array(z.uuid())
      .max(MAX_ASSIGN)
      .optional()
      .describe(`Users (active members of the tenant), up to ${MAX_ASSIGN}; duplicates count once`),
    team_ids: z
      .array(z.uuid())
      .max(MAX_ASSIGN)
      .optional()
      .describe(`Teams of the tenant (each covers its members), up to ${MAX_ASSIGN}; duplicates count once`),
  })
  .refine((b) => (b.user_ids?.length ?? 0) + (b.team_ids?.length ?? 0) > 0, {
    message: "Name at least one user or team",
    path: ["user_ids"],
  });
export type AssignGoalInput = z.infer<typeof assignGoalBody>;

export const assignmentSchema = z
  .object({
    id: z.uuid(),
    goal_id: z.uuid(),
    user_id: z.uuid().nullable().describe("A user assignment (else null)"),
    team_id: z.uuid().nullable().describe("A team assignment: covers the team's members (else null)"),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("GoalAssignment");
export type AssignmentDto = z.infer<typeof assignmentSchema>;
export const assignmentListResponse = dataEnvelope(z.array(assignmentSchema));

export const assignmentParams = z.object({
  id: z.uuid().describe("The goal"),
  assignment_id: z.uuid().describe("The assignment"),
});

export const progressQuery = z.strictObject({
  date: isoDay
    .optional()
    .describe(
      "The day to measure on (tenant's time zone); default today. For a recurring goal, the period containing it",
    ),
});

const figures = {
  actual: z
    .number()
    .nullable()
    .describe(
      "Count metrics: the count over the period. `shelf_share`: Σ brand area ÷ Σ marked shelf area × 100 (null: no marked shelf photo)",
    ),
  target: z
    .number()
    .describe(
      "Count metrics: the goal's target (× the assignees in `total`); `shelf_share`: the target percentage",
    ),
  percent: z.number().nullable().describe("actual ÷ target × 100, 2 decimals (null when actual is null)"),
  expected: z
    .number()
    .describe(
      "Count metrics: target × elapsed_fraction (2 decimals), what should be done by now; `shelf_share`: the target (a share is not pro-rated)",
    ),
  on_track: z
    .boolean()
    .describe(
      "actual ≥ expected (false when actual is null, or in `total` when no assignee is visible: target 0)",
    ),
};

export const progressFiguresSchema = z.object(figures).openapi("GoalProgressFigures");
export type ProgressFigures = z.infer<typeof progressFiguresSchema>;

export const assigneeProgressSchema = z
  .object({
    user_id: z.uuid(),
    name: z.string().describe("First and last name"),
    via_team_id: z
      .uuid()
      .nullable()
      .describe("null: assigned directly; else the team through which the goal reaches them"),
    ...figures,
  })
  .openapi("GoalAssigneeProgress");
export type AssigneeProgress = z.infer<typeof assigneeProgressSchema>;

export const periodSchema = z.object({
  start_date: z.iso.date(),
  end_date: z.iso.date().describe("Inclusive"),
});

export const goalProgressSchema = z
  .object({
    goal_id: z.uuid(),
    metric: goalMetric,
    period: periodSchema,
    elapsed_fraction: z
      .number()
      .describe("Days of the period elapsed up to and including `date` ÷ days in the period, 0..1"),
    total: progressFiguresSchema.describe(
      "Over the assignees you may see: count metrics sum (target = goal target × those assignees); `shelf_share` weighs by marked area",
    ),
    assignees: z.array(assigneeProgressSchema).describe("The assignees in your data scope, by name"),
  })
  .openapi("GoalProgress");
export type GoalProgress = z.infer<typeof goalProgressSchema>;
export const goalProgressResponse = dataEnvelope(goalProgressSchema);
