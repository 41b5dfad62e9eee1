import { z } from "zod";
import { latitude, longitude } from "../../core/fields";
import { optionalText } from "../../core/resource/params";

/** The validation rules of the attendance fields (the declarations and the custom verbs use them). */

export const name200 = z.string().trim().min(1, "Must not be empty").max(200);
export const code = z.string().trim().min(1, "Must not be empty (send null to clear it)").max(50).nullable();
export const personName = z.string().trim().min(1, "Must not be empty").max(100);

/** `HH:MM` or `HH:MM:SS`, 24-hour. */
export const wallTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "Must be a 24-hour time HH:MM")
  .describe("Local wall-clock time, HH:MM");

/** A calendar date, YYYY-MM-DD (checked to exist). */
export const calendarDate = z.iso.date("Must be a date YYYY-MM-DD");

export const minutes = (max: number) => z.number().int().min(0).max(max);

export const weekdays = z
  .array(z.number().int().min(1, "ISO weekday 1..7").max(7, "ISO weekday 1..7"))
  .min(1, "At least one working day")
  .max(7)
  .refine((days) => new Set(days).size === days.length, "Each weekday once")
  .describe("ISO weekdays the shift works: 1 = Monday … 7 = Sunday");

export const workLocation = z.strictObject({
  name: z.string().trim().min(1).max(100),
  lat: latitude,
  lng: longitude,
  radius_m: z.number().int().min(10, "At least 10 m").max(10_000, "At most 10,000 m"),
});

export const workLocations = z
  .array(workLocation)
  .max(20, "At most 20 work locations")
  .describe("Where the employee may check in: circles of radius_m metres (the nearest one counts)");

export const optionalName = optionalText(200);
export const optionalPhone = z
  .string()
  .regex(/^\+?[0-9 ()-]{6,20}$/, "Must be a phone number")
  .nullable();
