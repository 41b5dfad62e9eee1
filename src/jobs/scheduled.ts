import { log } from "../core/logger";
import { attendanceHourly, rebuildAttendanceRollups } from "../modules/attendance";
import { purgeExpiredTrash } from "../modules/trash";
import { purgeExpired } from "./housekeeping";
import { createJobContext, type JobContext } from "./job-context";
import { nightlyRollupRebuilds, quarterHourRollupRebuilds } from "./rollups";

export const CRON_REPORTS = "*/15 * * * *";
export const CRON_NIGHTLY = "30 2 * * *";
/** Hourly: closes each tenant's local day within an hour of its midnight (attendance). */
export const CRON_HOURLY = "5 * * * *";

type CronJob = (jc: JobContext, scheduledTime: Date) => Promise<unknown>;

/** Cron expression (as in wrangler.jsonc) → the jobs it runs, in order. Modules add theirs. */
export const cronJobs: Readonly<Record<string, readonly CronJob[]>> = {
  [CRON_REPORTS]: [...quarterHourRollupRebuilds, rebuildAttendanceRollups],
  [CRON_NIGHTLY]: [purgeExpired, purgeExpiredTrash, ...nightlyRollupRebuilds],
  [CRON_HOURLY]: [attendanceHourly],
};

/** The Worker's `scheduled` export: runs the jobs registered for the trigger's cron expression. */
export async function handleScheduled(
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const jobs = cronJobs[controller.cron];
  if (!jobs) throw new Error(`No jobs registered for cron "${controller.cron}"`);
  const jc = createJobContext(env, ctx);
  const scheduledTime = new Date(controller.scheduledTime);
  for (const job of jobs) {
    const result = await job(jc, scheduledTime);
    log("info", "cron job", {
      cron: controller.cron,
      job: job.name,
      result,
      db_round_trips: jc.meter.roundTrips,
    });
  }
}
