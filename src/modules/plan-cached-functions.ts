import type { PlanCachedFunction } from "../core/plan-cache";
import { callOutcomesOnCompletion } from "./call-cycles/call-cycles.rollups";
import { callerPlanFunctions } from "./call-cycles/call-cycles.status.repo";
import { goalProgressFn, myGoalProgressFn } from "./goals/goals.progress.fn";
import { photoActivityRollups, visitCompletedRollups, visitStartedRollups } from "./visits/visits.rollups";

/**
 * Every plan-cached function (core/plan-cache.ts). `npm run db:functions` prints their
 * definitions for a migration; test/foundation/plan-cached-functions.test.ts checks that the
 * database's copy of each is what its builder renders today.
 */
export const planCachedFunctions: readonly PlanCachedFunction<Record<string, string>>[] = [
  myGoalProgressFn,
  goalProgressFn,
  ...Object.values(callerPlanFunctions),
  visitStartedRollups,
  visitCompletedRollups,
  photoActivityRollups,
  callOutcomesOnCompletion,
];
