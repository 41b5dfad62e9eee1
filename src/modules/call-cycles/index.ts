/**
 * What the call-cycles module offers the rest of the code on purpose: the plan as SQL for the
 * analytics reports (coverage, the overview's adherence), and the caller's planned calls as a
 * batchable query for offline sync.
 */
export {
  daysFrom,
  plannedCallDetails,
  plannedCallInScope,
  plannedCallStates,
  spanOr,
} from "./call-cycles.plan";
export { adherencePercent } from "./call-cycles.service";
export { plannedCallsFrom, plannedCallsQuery } from "./call-cycles.status.repo";
