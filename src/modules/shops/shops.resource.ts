import { z } from "zod";
import { latitude, longitude } from "../../core/fields";
import { listEnvelope } from "../../core/openapi";
import { booleanQuery, checkPaging } from "../../core/pagination";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { listQueryShape } from "../../core/resource/schemas";
import { shops } from "../../db/schema";
import { externalCode, label, MAX_RADIUS_M, nearPoint, shopAddress, shopName } from "./shops.schemas";

/** Shops: the tenant's geocoded registry (reference data), by name; `external_code` unique among live shops. */
export const shopResource = defineResource({
  name: "shop",
  entity: "Shop",
  path: "/shops",
  tag: "shops",
  table: shops,
  fields: {
    name: field(shops.name, shopName, z.string()),
    address: field(shops.address, shopAddress.optional(), z.string().nullable()),
    lat: field(shops.lat, latitude, z.number()),
    lng: field(shops.lng, longitude, z.number()),
    channel: field(
      shops.channel,
      label.optional().describe("Trade channel, e.g. supermarket, spaza, forecourt"),
      z.string().nullable(),
    ),
    region: field(shops.region, label.optional(), z.string().nullable()),
    external_code: field(shops.externalCode, externalCode.optional(), z.string().nullable()),
    is_active: field(shops.isActive, z.boolean().optional().describe("Default true"), z.boolean()),
  },
  permissions: { read: "shops:read", write: "shops:write", delete: "shops:write" },
  scope: "tenant",
  unique: {
    shops_tenant_external_code_key: {
      field: "external_code",
      message: "A shop with this external code already exists",
    },
  },
  filters: {
    q: contains(shops.name, "Name contains (case-insensitive)"),
    channel: equals(shops.channel, z.string().trim().min(1).max(100)),
    region: equals(shops.region, z.string().trim().min(1).max(100)),
    is_active: equals(shops.isActive, booleanQuery),
  },
  order: { column: shops.name, caseInsensitive: true },
  offline: {},
});

/** The shop list's own query: the declared filters and paging, plus `near` and `radius_m`. */
export const listShopsQuery = z
  .strictObject({
    ...listQueryShape(shopResource),
    near: nearPoint.optional(),
    radius_m: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_RADIUS_M)
      .optional()
      .describe(`Metres around \`near\`, 1..${MAX_RADIUS_M}; required with \`near\``),
  })
  .superRefine((query, ctx) => {
    checkPaging(query, ctx);
    if (query.near !== undefined && query.radius_m === undefined) {
      ctx.addIssue({ code: "custom", path: ["radius_m"], message: "Required with near" });
    }
    if (query.radius_m !== undefined && query.near === undefined) {
      ctx.addIssue({ code: "custom", path: ["near"], message: "Required with radius_m" });
    }
  });

export type ListShopsQuery = z.infer<typeof listShopsQuery>;

export const shopListResponse = listEnvelope(
  shopResource.schemas.item.extend({
    distance_m: z
      .number()
      .optional()
      .describe("Great-circle (haversine) distance from `near` in metres; only with `near`"),
  }),
);
