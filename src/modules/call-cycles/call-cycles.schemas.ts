import "../../core/openapi";
import { z } from "zod";
import { CALL_FREQUENCIES } from "../../db/schema";

/** The validation rules of call cycles and their locations (zod), shared by the declaration and the verbs. */

export const isoDate = z.iso.date({ error: "Must be an ISO date, e.g. 2026-01-31" });
export const cycleName = z.string().trim().min(1).max(200);
export const cycleDescription = z.string().trim().max(2000).nullable();

/** Longest range the status route expands (days). */
export const MAX_STATUS_DAYS = 92;
/** Most locations one request adds. */
export const MAX_LOCATIONS_PER_REQUEST = 200;
/** Days of the upcoming schedule, today included. */
export const UPCOMING_DAYS = 14;

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** Inclusive length of [start, end] in days. */
export function spanDays(start: string, end: string): number {
  return dayNumber(end) - dayNumber(start) + 1;
}

/** A cycle's dates: `end_date`, when sent with `start_date`, on or after it (400 naming `end_date`). */
export function checkCycleDates(
  body: { start_date?: string | undefined; end_date?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (body.start_date && body.end_date && body.end_date < body.start_date) {
    ctx.addIssue({ code: "custom", path: ["end_date"], message: "Must be on or after start_date" });
  }
}

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Must be a local time HH:MM (24 h)")
  .describe("Local time in the tenant's time zone, HH:MM");

const locationShape = {
  shop_id: z
    .uuid()
    .optional()
    .describe("A live shop of the tenant (404 naming the field otherwise). Required"),
  frequency: z
    .enum(CALL_FREQUENCIES)
    .optional()
    .describe(
      "Required. `weekly`: every week on `weekdays`; `every_n_weeks`: on `weekdays` of every `interval_weeks`-th week counted from the cycle's start week (the start week is due); `monthly`: on `month_day` of every month, clamped to the month's last day (31 → 30 April, 28/29 February)",
    ),
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .optional()
    .describe("ISO weekdays, 1 = Monday … 7 = Sunday; required for weekly and every_n_weeks, else forbidden"),
  interval_weeks: z
    .number()
    .int()
    .min(2)
    .max(12)
    .optional()
    .describe("2–12; required for every_n_weeks, else forbidden"),
  month_day: z
    .number()
    .int()
    .min(1)
    .max(31)
    .optional()
    .describe("1–31; required for monthly, else forbidden"),
  window_start: localTime.optional(),
  window_end: localTime
    .optional()
    .describe("Local time HH:MM; a call completed after it is `late`. After window_start when both are sent"),
  agent_id: z.uuid().optional().describe("The assigned agent, a member of the tenant (404 otherwise)"),
  team_id: z
    .uuid()
    .optional()
    .describe("Or the assigned team (its direct members); neither: the cycle's owner. Not both"),
};

type LocationFields = { [K in keyof typeof locationShape]?: z.output<(typeof locationShape)[K]> };

/** The cross-field rules of one location, as issues at the named fields. */
function checkLocation(l: LocationFields, ctx: z.RefinementCtx): void {
  const issue = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
  if (l.shop_id === undefined) issue("shop_id", "Required");
  if (l.frequency === undefined) issue("frequency", "Required");
  const weekly = l.frequency === "weekly" || l.frequency === "every_n_weeks";
  if (weekly && l.weekdays === undefined) issue("weekdays", `Required for ${l.frequency}`);
  if (l.frequency === "monthly" && l.weekdays !== undefined)
    issue("weekdays", "Only for weekly and every_n_weeks");
  if (l.weekdays && new Set(l.weekdays).size !== l.weekdays.length) issue("weekdays", "Each weekday once");
  if (l.frequency === "every_n_weeks" && l.interval_weeks === undefined)
    issue("interval_weeks", "Required for every_n_weeks");
  if (l.frequency !== "every_n_weeks" && l.interval_weeks !== undefined)
    issue("interval_weeks", "Only for every_n_weeks");
  if (l.frequency === "monthly" && l.month_day === undefined) issue("month_day", "Required for monthly");
  if (l.frequency !== "monthly" && l.month_day !== undefined) issue("month_day", "Only for monthly");
  if (l.window_start && l.window_end && l.window_start >= l.window_end)
    issue("window_end", "Must be after window_start");
  if (l.agent_id && l.team_id) issue("team_id", "Assign an agent or a team, not both");
}

const locationItem = z.strictObject(locationShape).superRefine(checkLocation);

/**
 * `POST /api/call_cycles/{id}/locations`: one location, or `{locations: [...]}` (1–200, each shop
 * once). Field errors name the field (`shop_id`, or `locations.3.shop_id`).
 */
export const addLocationsBody = z
  .strictObject({
    ...locationShape,
    locations: z
      .array(locationItem)
      .min(1)
      .max(MAX_LOCATIONS_PER_REQUEST)
      .optional()
      .describe(`Up to ${MAX_LOCATIONS_PER_REQUEST} locations at once, instead of the fields of one`),
  })
  .superRefine((body, ctx) => {
    if (body.locations === undefined) {
      checkLocation(body, ctx);
      return;
    }
    for (const key of Object.keys(locationShape) as (keyof typeof locationShape)[]) {
      if (body[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "Send one location or `locations`, not both" });
      }
    }
    const seen = new Set<string>();
    body.locations.forEach((l, i) => {
      if (l.shop_id === undefined) return;
      if (seen.has(l.shop_id)) {
        ctx.addIssue({
          code: "custom",
          path: ["locations", i, "shop_id"],
          message: "This shop is listed twice",
        });
      }
      seen.add(l.shop_id);
    });
  })
  .openapi("AddCallCycleLocations");
export type AddLocationsBody = z.output<typeof addLocationsBody>;
export type LocationInput = LocationFields;

/** A location as responses carry it. */
export const locationSchema = z
  .object({
    id: z.uuid(),
    call_cycle_id: z.uuid(),
    shop_id: z.uuid(),
    shop_name: z.string().nullable(),
    frequency: z.enum(CALL_FREQUENCIES),
    weekdays: z.array(z.number().int()).nullable(),
    interval_weeks: z.number().int().nullable(),
    month_day: z.number().int().nullable(),
    window_start: z.string().nullable().describe("HH:MM, tenant-local"),
    window_end: z.string().nullable().describe("HH:MM, tenant-local"),
    agent_id: z.uuid().nullable(),
    team_id: z.uuid().nullable(),
    version: z.number().int(),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("CallCycleLocation");
export type LocationDto = z.infer<typeof locationSchema>;

export const locationParams = z.object({
  id: z.uuid().describe("The call cycle's id"),
  location_id: z.uuid().describe("The location's id"),
});

/** `start_date`/`end_date` of the status route: default the current ISO week (Monday–Sunday, tenant-local). */
export const statusQuery = z
  .strictObject({
    start_date: isoDate
      .optional()
      .describe(
        "First day, inclusive, tenant-local. Default: Monday of the current ISO week (or end_date − 6)",
      ),
    end_date: isoDate
      .optional()
      .describe(
        "Last day, inclusive, tenant-local. Default: Sunday of the current ISO week (or start_date + 6)",
      ),
  })
  .superRefine((q, ctx) => {
    if (q.start_date === undefined || q.end_date === undefined) return;
    const days = spanDays(q.start_date, q.end_date);
    if (days < 1) {
      ctx.addIssue({ code: "custom", path: ["start_date"], message: "Must not be after end_date" });
    } else if (days > MAX_STATUS_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["end_date"],
        message: `A range spans at most ${MAX_STATUS_DAYS} days`,
      });
    }
  });
export type StatusQuery = z.output<typeof statusQuery>;

export const todayQuery = z.strictObject({
  date: isoDate.optional().describe("The tenant-local day; default today in the tenant's time zone"),
});

export const CALL_STATES = ["done", "late", "missed", "upcoming"] as const;

export const callStateSchema = z
  .enum(CALL_STATES)
  .describe(
    "`done`: a completed visit at the shop by an assignee (the assigned agent, a direct member of the assigned team, or — with neither — the cycle's owner) on that tenant-local day, its first completion at or before `window_end` (or no window; an early visit counts); `late`: completed that day but only after `window_end`; `missed`: the day has passed (before today, tenant-local) with no completed visit; `upcoming`: today or later, not done yet. The day of a visit is the tenant-local day of its completion",
  );

/** One planned call: a location due on a tenant-local day. */
export const plannedCallSchema = z
  .object({
    location_id: z.uuid(),
    call_cycle_id: z.uuid(),
    call_cycle_name: z.string(),
    shop_id: z.uuid(),
    shop_name: z.string().nullable(),
    date: z.iso.date().describe("Tenant-local day the call is due"),
    window_start: z.string().nullable(),
    window_end: z.string().nullable(),
    agent_id: z
      .uuid()
      .nullable()
      .describe("The assigned agent (the cycle's owner when neither agent nor team is set)"),
    team_id: z.uuid().nullable(),
    state: callStateSchema,
    completed_local_time: z
      .string()
      .nullable()
      .describe("HH:MM:SS (tenant-local) of the day's first completed visit by an assignee, if any"),
    visited_by: z.uuid().nullable().describe("The assignee who completed that visit"),
  })
  .openapi("PlannedCall");
export type PlannedCall = z.infer<typeof plannedCallSchema>;

const adherence = z
  .number()
  .nullable()
  .describe("(done + late) ÷ (done + late + missed) × 100, 2 decimals; null when nothing was due yet");

const tally = {
  planned: z.number().int().describe("Planned calls in the range (every state)"),
  done: z
    .number()
    .int()
    .describe("Calls done: visited by an assignee that day, at or before window_end or without a window"),
  late: z.number().int().describe("Calls visited by an assignee that day, but only after window_end"),
  missed: z
    .number()
    .int()
    .describe("Calls whose day is before today (tenant-local) with no completed visit by an assignee"),
  upcoming: z.number().int().describe("Calls of today or later not done yet"),
  adherence,
};

export const statusSchema = z
  .object({
    call_cycle_id: z.uuid(),
    range: z.object({ start_date: z.iso.date(), end_date: z.iso.date(), timezone: z.string() }),
    today: z.iso.date().describe("Today in the tenant's time zone"),
    summary: z.object(tally),
    by_agent: z
      .array(z.object({ agent_id: z.uuid(), ...tally }))
      .describe("Per assigned agent (a location's agent, or the cycle's owner)"),
    by_team: z.array(z.object({ team_id: z.uuid(), ...tally })).describe("Per assigned team"),
    calls: z.array(plannedCallSchema).describe("Every planned call in the range, by date"),
    upcoming: z
      .array(plannedCallSchema)
      .describe(
        `The schedule of the next ${UPCOMING_DAYS} days from today (today included), with their states`,
      ),
  })
  .openapi("CallCycleStatus");
export type StatusDto = z.infer<typeof statusSchema>;

/** The caller's planned calls of one day, with the shop's name and position. */
export const todayCallSchema = plannedCallSchema
  .extend({
    shop_lat: z.number().nullable(),
    shop_lng: z.number().nullable(),
    shop_address: z.string().nullable(),
  })
  .openapi("TodayCall");
export type TodayCall = z.infer<typeof todayCallSchema>;
