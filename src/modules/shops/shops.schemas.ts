import { z } from "zod";
import { optionalText } from "../../core/resource/params";

/** The widest "near a point" search, in metres. */
export const MAX_RADIUS_M = 50_000;

/** The validation rules of a shop's fields (the declaration in shops.resource.ts uses them). */
export const shopName = z.string().trim().min(1, "Must not be empty").max(200);
export const shopAddress = optionalText(500);
export const label = optionalText(100);
export const externalCode = z
  .string()
  .trim()
  .min(1, "Must not be empty (send null to clear it)")
  .max(100)
  .nullable()
  .describe("Your own code for the shop (ERP, distributor), unique among the tenant's live shops");

const NEAR_RE = /^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

/** `near=lat,lng` → a point, checked for range. */
export const nearPoint = z
  .string()
  .transform((value, ctx) => {
    const match = NEAR_RE.exec(value);
    const lat = Number(match?.[1]);
    const lng = Number(match?.[2]);
    if (!match || !(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
      ctx.addIssue({
        code: "custom",
        message: "Must be `lat,lng` in decimal degrees (lat -90..90, lng -180..180), e.g. -26.2041,28.0473",
      });
      return z.NEVER;
    }
    return { lat, lng };
  })
  .describe("`lat,lng`: only shops within `radius_m` of this point, nearest first, with `distance_m`");
