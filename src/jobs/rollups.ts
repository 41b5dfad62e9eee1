import { applyVisitCompletedToCallOutcomes, freezeYesterdayCallOutcomes } from "../modules/call-cycles";
import { CRM_CHANGED } from "../modules/crm";
import { applyDealChanged, DEAL_CHANGED, rebuildYesterdayDealRollups } from "../modules/deals";
import {
  applyShelfQuadrantsSubmitted,
  PHOTO_REGISTERED,
  rebuildTodayShelfShareRollups,
  rebuildYesterdayShelfShareRollups,
  SHELF_QUADRANTS_SUBMITTED,
} from "../modules/photos";
import { applyCrmChanged, rebuildCrmRollups, refreshCrmRollups } from "../modules/reports";
import {
  applyPhotoActivity,
  applyVisitActivity,
  applyVisitCompleted,
  rebuildTodayVisitRollups,
  rebuildYesterdayVisitRollups,
  VISIT_COMPLETED,
  VISIT_STARTED,
} from "../modules/visits";
import type { EventHandlers } from "./events";

/**
 * The modules' rollups, registered: event type → the module function that applies it (the queue
 * consumer dispatches by type), and the rebuilds the crons run. The SQL lives in the modules that
 * own the data (visits.rollups.ts, shelf-share.rollups.ts). Every handler recomputes whole cells,
 * so a redelivered event changes nothing.
 */
export const rollupEventHandlers: EventHandlers = {
  [CRM_CHANGED]: applyCrmChanged,
  [VISIT_STARTED]: applyVisitActivity,
  // A completion for a past day also recomputes that day's call outcomes (after the visit rollups).
  [VISIT_COMPLETED]: async (event, jc) => {
    await applyVisitCompleted(event, jc);
    await applyVisitCompletedToCallOutcomes(event, jc);
  },
  [PHOTO_REGISTERED]: applyPhotoActivity,
  [DEAL_CHANGED]: applyDealChanged,
  // The shelf marks also change the visit's activity cell (its shelf area, the share's denominator).
  [SHELF_QUADRANTS_SUBMITTED]: async (event, jc) => {
    await applyShelfQuadrantsSubmitted(event, jc);
    await applyPhotoActivity(event, jc);
  },
};

/** Nightly rebuilds of every tenant's yesterday, in order (each one atomic). */
export const nightlyRollupRebuilds = [
  rebuildYesterdayVisitRollups,
  rebuildYesterdayShelfShareRollups,
  freezeYesterdayCallOutcomes,
  rebuildYesterdayDealRollups,
  rebuildCrmRollups,
];

/** Quarter-hourly rebuilds of every tenant's today, so a lost event heals within 15 minutes. */
export const quarterHourRollupRebuilds = [
  rebuildTodayVisitRollups,
  rebuildTodayShelfShareRollups,
  refreshCrmRollups,
];
