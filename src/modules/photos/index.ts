/**
 * What the photos module offers the rest of the code on purpose (a check, `npm run check`, refuses
 * imports of any other file of this module from outside it): its event and shelf-share rollups for
 * src/jobs.
 */

export { PHOTO_REGISTERED, SHELF_QUADRANTS_SUBMITTED } from "./photos.service";
export {
  applyShelfQuadrantsSubmitted,
  rebuildTodayShelfShareRollups,
  rebuildYesterdayShelfShareRollups,
} from "./shelf-share.rollups";
