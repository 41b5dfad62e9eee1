/**
 * What the goals module offers the rest of the code on purpose (a check, `npm run check`, refuses
 * imports of any other file of this module from outside it): for offline sync, the caller's goals
 * with their own progress as one batchable query (`db.batch([myGoalProgressQuery(ctx, date), …])`)
 * the mapper of its result to `GoalProgress` items, and `goalProgressSchema` that documents them.
 */
export { myGoalProgressQuery, myGoalProgressRows } from "./goals.progress";
export { goalProgressSchema } from "./goals.schemas";
