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

/**
 * The check of a `from`..`to` query filter of RFC 3339 instants: when both are given, `from` after
 * `to` is an issue on `from`. For `.superRefine` of the query object.
 */
export function checkInstantRange(
  query: { from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
  message = "`from` must not be after `to`",
): void {
  if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) > Date.parse(query.to)) {
    ctx.addIssue({ code: "custom", path: ["from"], message });
  }
}
