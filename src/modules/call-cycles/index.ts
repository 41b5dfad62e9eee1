/**
 * What the call-cycles module offers the rest of the code on purpose: the plan as SQL for the
 * analytics reports (coverage, the overview's adherence), and for offline sync the caller's planned
 * calls as a batchable query (with their schema) and the shops on the caller's call cycles.
 */
export {
  daysFrom,
  plannedCallDetails,
  plannedCallInScope,
  plannedCallStates,
  rollupCallInScope,
  shopLinksOfCaller,
  spanOr,
} from "./call-cycles.plan";
export { applyVisitCompletedToCallOutcomes, freezeYesterdayCallOutcomes } from "./call-cycles.rollups";
export { todayCallSchema } from "./call-cycles.schemas";
export { adherencePercent } from "./call-cycles.service";
export { plannedCallsFrom, plannedCallsQuery } from "./call-cycles.status.repo";
