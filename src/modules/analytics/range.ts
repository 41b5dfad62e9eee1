import { z } from "zod";

/** Longest range a report accepts (days): about three years. */
export const MAX_RANGE_DAYS = 1096;

const isoDate = z.iso.date({ error: "Must be an ISO date, e.g. 2026-01-31" });

/** `start_date` / `end_date`: ISO dates, inclusive, in the tenant's time zone. */
export const rangeQuery = {
  start_date: isoDate
    .optional()
    .describe("First day (inclusive, tenant's time zone). Default: 29 days before `end_date`"),
  end_date: isoDate
    .optional()
    .describe("Last day (inclusive, tenant's time zone). Default: 29 days after `start_date`, else today"),
};

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The range checks every report shares: start not after end, at most MAX_RANGE_DAYS days. */
export function checkRange(
  q: { start_date?: string | undefined; end_date?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.start_date === undefined || q.end_date === undefined) return;
  const days = dayNumber(q.end_date) - dayNumber(q.start_date) + 1;
  if (days < 1) {
    ctx.addIssue({
      code: "custom",
      path: ["start_date"],
      message: "`start_date` must not be after `end_date`",
    });
  } else if (days > MAX_RANGE_DAYS) {
    ctx.addIssue({
      code: "custom",
      path: ["end_date"],
      message: `A range spans at most ${MAX_RANGE_DAYS} days`,
    });
  }
}

/** The resolved range, echoed in every report. */
export const rangeSchema = z.object({
  start_date: z.iso.date(),
  end_date: z.iso.date(),
  timezone: z.string().describe("The tenant's IANA time zone the days are counted in"),
});
