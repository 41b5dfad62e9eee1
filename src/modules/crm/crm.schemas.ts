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

/** An IANA time zone the runtime knows (`Intl`), e.g. America/New_York. */
export const ianaTimezone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Must be an IANA time zone, e.g. America/New_York");

/** A list filter on a user or row id. */
export const idQuery = z.uuid({ error: "Must be a UUID" });
