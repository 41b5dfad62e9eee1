/**
 * What the visits module offers the rest of the code on purpose (a check, `npm run check`, refuses
 * imports of any other file of this module from outside it): its event and rollups for src/jobs.
 */
export {
  applyPhotoActivity,
  applyVisitActivity,
  applyVisitCompleted,
  rebuildTodayVisitRollups,
  rebuildYesterdayVisitRollups,
} from "./visits.rollups";
export { VISIT_COMPLETED, VISIT_STARTED } from "./visits.service";
