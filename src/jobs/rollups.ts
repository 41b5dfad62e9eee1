import {
  applyShelfQuadrantsSubmitted,
  rebuildYesterdayShelfShareRollups,
  SHELF_QUADRANTS_SUBMITTED,
} from "../modules/photos";
import { applyVisitCompleted, rebuildYesterdayVisitRollups, VISIT_COMPLETED } from "../modules/visits";
import type { EventHandlers } from "./events";

/**
 * The modules' rollups, registered: event type → the module function that applies it (the queue
 * consumer dispatches by type), and the nightly rebuilds the cron runs. The SQL lives in the
 * modules that own the data (visits.rollups.ts, shelf-share.rollups.ts).
 */
export const rollupEventHandlers: EventHandlers = {
  [VISIT_COMPLETED]: applyVisitCompleted,
  [SHELF_QUADRANTS_SUBMITTED]: applyShelfQuadrantsSubmitted,
};

/** Nightly rebuilds of every tenant's yesterday, in order (each one atomic). */
export const nightlyRollupRebuilds = [rebuildYesterdayVisitRollups, rebuildYesterdayShelfShareRollups];
