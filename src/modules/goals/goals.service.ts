import type { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { updateRow } from "../../core/resource/statements";
import {
  conflictOnUnique,
  createOne,
  referenceNotFound,
  settle,
  type Versioned,
} from "../../core/resource/verbs";
import { deleteAssignment, insertAssignments } from "./goals.assignments.repo";
import { type CreateGoalInput, goalResource } from "./goals.resource";
import { goalRuleCheck, ruleViolation } from "./goals.rules";
import type { AssignGoalInput, AssignmentDto } from "./goals.schemas";

export type GoalDto = z.infer<typeof goalResource.schemas.item>;
type UpdateGoalInput = z.infer<typeof goalResource.schemas.update>;

const ENTITIES: Record<string, string> = { brand_id: "Brand", survey_id: "Survey" };

/** The kit's create; the body already passed the rules across fields (createGoalBody). */
export function createGoal(ctx: TenantContext, input: CreateGoalInput): Promise<Versioned<GoalDto>> {
  return createOne<GoalDto>(ctx, goalResource, input);
}

/**
 * The kit's partial update with the rules across fields checked inside the UPDATE over the body
 * merged with the stored row (goals.rules.ts): one round trip; a broken rule is a 400 naming the
 * field, nothing written.
 */
export async function updateGoal(
  ctx: TenantContext,
  id: string,
  input: UpdateGoalInput,
  expectedVersion: number | undefined,
): Promise<Versioned<GoalDto>> {
  const outcome = await updateRow<GoalDto>(
    ctx,
    goalResource,
    id,
    input,
    expectedVersion,
    undefined,
    goalRuleCheck(input),
  ).catch((err: unknown) => conflictOnUnique(goalResource, err));
  const data = settle(outcome, expectedVersion, {
    notFound: () => ApiError.notFound("Goal"),
    refused: (reason) => ruleViolation(reason) ?? referenceNotFound(ENTITIES[reason] ?? reason, reason),
  });
  return { data, version: data.version };
}

/** Assigns users and teams (deduplicated) to a live goal; 404 naming the first unknown or out-of-scope one. */
export async function assignGoal(
  ctx: TenantContext,
  goalId: string,
  input: AssignGoalInput,
): Promise<AssignmentDto[]> {
  const userIds = [...new Set(input.user_ids ?? [])];
  const teamIds = [...new Set(input.team_ids ?? [])];
  const outcome = await insertAssignments(ctx, goalId, userIds, teamIds);
  if (!outcome.found) throw ApiError.notFound("Goal");
  if (outcome.bad_user !== null) {
    throw new ApiError("RESOURCE_NOT_FOUND", "User not found", {
      details: [{ field: "user_ids", message: `No such active member in your scope: ${outcome.bad_user}` }],
    });
  }
  if (outcome.bad_team !== null) {
    throw new ApiError("RESOURCE_NOT_FOUND", "Team not found", {
      details: [{ field: "team_ids", message: `No such team in your scope: ${outcome.bad_team}` }],
    });
  }
  return outcome.assignments;
}

/** Removes one assignment of a live goal (404 when there is no such assignment you may see). */
export async function unassignGoal(ctx: TenantContext, goalId: string, assignmentId: string): Promise<void> {
  if (!(await deleteAssignment(ctx, goalId, assignmentId))) throw ApiError.notFound("Goal assignment");
}
