import { sql } from "drizzle-orm";
import { z } from "zod";
import { ianaTimezone } from "../../core/fields";
import { contains, defineResource, field } from "../../core/resource/declaration";
import { shifts } from "../../db/schema";
import { minutes, name200, wallTime, weekdays } from "./attendance.schemas";

/** "HH:MM:SS" as stored → "HH:MM" as sent. */
const timeOut = z.string().describe("HH:MM:SS");

/**
 * Shifts: start and end wall-clock times in the shift's zone (the tenant's unless set); a shift
 * whose end is not after its start ends the next day (`overnight`, computed so it cannot disagree).
 */
export const shiftResource = defineResource({
  name: "shift",
  entity: "Shift",
  path: "/shifts",
  tag: "attendance",
  table: shifts,
  fields: {
    name: field(shifts.name, name200, z.string()),
    start_time: field(shifts.startTime, wallTime, timeOut),
    end_time: field(shifts.endTime, wallTime.describe("Not after start_time: ends the next day"), timeOut),
    grace_late_minutes: field(
      shifts.graceLateMinutes,
      minutes(240).optional().describe("A check-in up to this many minutes after the start is on time"),
      z.number().int(),
    ),
    grace_early_minutes: field(
      shifts.graceEarlyMinutes,
      minutes(240).optional().describe("A check-out up to this many minutes before the end is not early"),
      z.number().int(),
    ),
    break_minutes: field(
      shifts.breakMinutes,
      minutes(480).optional().describe("Unpaid break, deducted from worked minutes"),
      z.number().int(),
    ),
    weekdays: field(
      shifts.weekdays,
      weekdays.optional().describe("Default Monday–Friday"),
      z.array(z.number()),
    ),
    timezone: field(
      shifts.timezone,
      ianaTimezone.nullable().optional().describe("IANA zone; default the tenant's"),
      z.string().nullable(),
    ),
  },
  computed: {
    overnight: {
      sql: (alias: string) => sql`(${sql.raw(alias)}.end_time <= ${sql.raw(alias)}.start_time)`,
      output: z.boolean().describe("The shift ends the next day (end_time not after start_time)"),
    },
  },
  permissions: { read: "attendance:read", write: "attendance:write", delete: "attendance:write" },
  scope: "tenant",
  unique: {
    shifts_tenant_name_key: { field: "name", message: "A shift with this name already exists" },
  },
  filters: { q: contains(shifts.name, "Name contains (case-insensitive)") },
  order: { column: shifts.name, caseInsensitive: true },
});
