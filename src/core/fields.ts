import { z } from "zod";

/** Field rules more than one module validates the same way. */

/** An IANA time zone name the runtime's own tz database knows, e.g. Africa/Johannesburg. */
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
  }, "Must be an IANA time zone name such as Africa/Johannesburg");

export const latitude = z
  .number()
  .min(-90, "Must be between -90 and 90")
  .max(90, "Must be between -90 and 90");
export const longitude = z
  .number()
  .min(-180, "Must be between -180 and 180")
  .max(180, "Must be between -180 and 180");
