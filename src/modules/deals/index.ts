/**
 * What the deals module offers the rest of the code on purpose (`npm run check` refuses imports
 * of any other file of this module from outside it): its event and rollups for src/jobs.
 */

export { DEAL_CHANGED } from "./deals.events";
export { applyDealChanged, rebuildYesterdayDealRollups } from "./deals.rollups";
