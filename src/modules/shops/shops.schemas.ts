import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { booleanQuery, pagingQuery } from "../../core/pagination";
import { optionalText } from "../brands/catalog-schemas";

/** The widest "near a point" search, in metres. */
export const MAX_RADIUS_M = 50_000;

export const shopSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    channel: z.string().nullable(),
    region: z.string().nullable(),
    external_code: z.string().nullable(),
    is_active: z.boolean(),
    version: z.number().int().describe('The ETag of the shop is `"v<version>"`'),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Shop");

export type ShopDto = z.infer<typeof shopSchema>;

export const shopListItemSchema = shopSchema.extend({
  distance_m: z
    .number()
    .optional()
    .describe("Great-circle (haversine) distance from `near` in metres; only with `near`"),
});

export type ShopListItemDto = z.infer<typeof shopListItemSchema>;

const shopName = z.string().trim().min(1, "Must not be empty").max(200);
const latitude = z.number().min(-90, "Must be between -90 and 90").max(90, "Must be between -90 and 90");
const longitude = z
  .number()
  .min(-180, "Must be between -180 and 180")
  .max(180, "Must be between -180 and 180");
const label = optionalText(100);
const externalCode = z
  .string()
  .trim()
  .min(1, "Must not be empty (send null to clear it)")
  .max(100)
  .nullable()
  .describe("Your own code for the shop (ERP, distributor), unique among the tenant's live shops");

export const createShopBody = z.strictObject({
  name: shopName,
  address: optionalText(500).optional(),
  lat: latitude,
  lng: longitude,
  channel: label.optional().describe("Trade channel, e.g. supermarket, spaza, forecourt"),
  region: label.optional(),
  external_code: externalCode.optional(),
  is_active: z.boolean().optional().describe("Default true"),
});

export type CreateShopInput = z.infer<typeof createShopBody>;

export const updateShopBody = z
  .strictObject({
    name: shopName.optional(),
    address: optionalText(500).optional(),
    lat: latitude.optional(),
    lng: longitude.optional(),
    channel: label.optional(),
    region: label.optional(),
    external_code: externalCode.optional(),
    is_active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update");

export type UpdateShopInput = z.infer<typeof updateShopBody>;

const NEAR_RE = /^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

/** `near=lat,lng` → a point, checked for range. */
const nearPoint = z
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

export const listShopsQuery = z
  .strictObject({
    q: z.string().trim().min(1).max(200).optional().describe("Name contains (case-insensitive)"),
    channel: z.string().trim().min(1).max(100).optional(),
    region: z.string().trim().min(1).max(100).optional(),
    is_active: booleanQuery.optional(),
    near: nearPoint.optional(),
    radius_m: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_RADIUS_M)
      .optional()
      .describe(`Metres around \`near\`, 1..${MAX_RADIUS_M}; required with \`near\``),
    ...pagingQuery,
  })
  .superRefine((query, ctx) => {
    if (query.near !== undefined && query.radius_m === undefined) {
      ctx.addIssue({ code: "custom", path: ["radius_m"], message: "Required with near" });
    }
    if (query.radius_m !== undefined && query.near === undefined) {
      ctx.addIssue({ code: "custom", path: ["near"], message: "Required with radius_m" });
    }
  });

export type ListShopsQuery = z.infer<typeof listShopsQuery>;

export const shopResponse = dataEnvelope(shopSchema);
export const shopListResponse = listEnvelope(shopListItemSchema);
