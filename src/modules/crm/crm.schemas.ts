import { z } from "zod";
import { optionalText } from "../../core/resource/params";
import {
  CLIENT_STATUS_OPTIONS,
  LEAD_SOURCE_OPTIONS,
  LEAD_STATUS_OPTIONS,
  PROJECT_STATUS_OPTIONS,
} from "../../db/schema";

/** The validation rules of the CRM's fields (seed 003: statuses from the seed's lists and nothing else). */

export const crmName = z.string().trim().min(1, "Must not be empty").max(200);
export const crmEmail = z
  .email("Must be an email address")
  .max(320)
  .transform((v) => v.toLowerCase())
  .nullable();
export const crmPhone = optionalText(50);
export const crmText = (max: number) => optionalText(max);
export const userRef = z.uuid().nullable().describe("A user of the tenant");
export const rowRef = (what: string) => z.uuid().nullable().describe(`The ${what}'s id`);

export const clientStatus = z.enum(CLIENT_STATUS_OPTIONS);
export const leadStatus = z.enum(LEAD_STATUS_OPTIONS);
export const leadSource = z.enum(LEAD_SOURCE_OPTIONS);
export const projectStatus = z.enum(PROJECT_STATUS_OPTIONS);

export const money = z.number().min(0).max(999_999_999_999).describe("Amount, two decimals");
export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "An ISO 4217 code, e.g. USD")
  .nullable();
export const isoDate = z.iso.date().nullable();
export const dateTime = z.iso.datetime({ offset: true, error: "Must be an RFC 3339 date-time" });

/** A list filter on a user or row id. */
export const idQuery = z.uuid({ error: "Must be a UUID" });

/** A date-time with an offset, or seed 001's local date-time (no offset) read in the row's `timezone`. */
export const zonedDateTime = z.iso.datetime({
  local: true,
  offset: true,
  error: "Must be an RFC 3339 date-time, or a local date-time (read in `timezone`)",
});

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** The UTC offset of `timeZone` at instant `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * A local date-time (`2023-08-15T09:00:00`) in an IANA zone as RFC 3339 UTC; a value with an
 * offset is returned as it is. DST: the offset is taken at the resulting instant.
 */
export function zonedToUtc(value: string, timeZone: string): string {
  if (HAS_OFFSET.test(value)) return value;
  const naive = Date.parse(`${value}Z`);
  const first = naive - offsetAt(naive, timeZone);
  return new Date(naive - offsetAt(first, timeZone)).toISOString();
}
