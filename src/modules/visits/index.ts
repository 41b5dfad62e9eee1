/**
 * What the visits module offers the rest of the code on purpose (a check, `npm run check`, refuses
 * imports of any other file of this module from outside it): its event and rollups for src/jobs,
 * and the cell keys of a visit for the photos module's shelf-share rollups.
 */
export {
  applyPhotoActivity,
  applyVisitActivity,
  applyVisitCompleted,
  photoVisitCell,
  rebuildTodayVisitRollups,
  rebuildYesterdayVisitRollups,
  visitsStartedOn,
} from "./visits.rollups";
export { VISIT_COMPLETED, VISIT_STARTED } from "./visits.service";
