/**
 * What the goals module offers the rest of the code on purpose (a check, `npm run check`, refuses
 * imports of any other file of this module from outside it): for offline sync, the caller's goals
 * with their own progress as one batchable query (`db.batch([myGoalProgressQuery(ctx, date), …])`)
 * and the mapper of its result to `GoalProgress` items (goals.schemas.ts has `goalProgressSchema` to
 * export from here when the sync response documents it).
 */
export { myGoalProgressQuery, myGoalProgressRows } from "./goals.progress";
