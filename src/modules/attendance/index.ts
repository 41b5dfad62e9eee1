/**
 * What the attendance module offers the rest of the code on purpose (`npm run check` refuses
 * imports of any other file of this module from outside it): its cron jobs for src/jobs.
 */
export { attendanceHourly, rebuildAttendanceRollups } from "./attendance.jobs";
