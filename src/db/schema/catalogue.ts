import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import { UPLOAD_STATUSES } from "./enums";

export const brands = pgTable(
  "brands",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description"),
    logoUrl: text("logo_url"),
    isActive: boolean("is_active").notNull().default(true),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    uniqueIndex("brands_tenant_name_key")
      .on(t.tenantId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    uniqueIndex("brands_tenant_slug_key").on(t.tenantId, t.slug).where(sql`${t.deletedAt} is null`),
    index("brands_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/** Image metadata for a brand; the bytes live in R2 under `object_key`, uploaded like photos. */
export const brandInfographics = pgTable(
  "brand_infographics",
  {
    ...tenantKey(),
    brandId: uuid("brand_id").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    objectKey: text("object_key").notNull(),
    contentType: text("content_type").notNull(),
    declaredSize: bigint("declared_size", { mode: "number" }).notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("pending"),
    ...createdBy(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("brand_infographics_brand_fk", [t.tenantId, t.brandId], brands).onDelete("cascade"),
    index("brand_infographics_tenant_brand_idx").on(t.tenantId, t.brandId, t.createdAt),
  ],
);

export const shops = pgTable(
  "shops",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    address: text("address"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    channel: text("channel"),
    region: text("region"),
    externalCode: text("external_code"),
    isActive: boolean("is_active").notNull().default(true),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    uniqueIndex("shops_tenant_external_code_key")
      .on(t.tenantId, t.externalCode)
      .where(sql`${t.externalCode} is not null and ${t.deletedAt} is null`),
    index("shops_tenant_lat_lng_idx").on(t.tenantId, t.lat, t.lng),
    index("shops_tenant_name_trgm_idx").using("gin", t.tenantId, sql`${t.name} gin_trgm_ops`),
    index("shops_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    // Live shops in name order (the coverage heatmap pages by shop name).
    index("shops_tenant_lower_name_idx")
      .on(t.tenantId, sql`lower(${t.name})`, t.id)
      .where(sql`${t.deletedAt} is null`),
  ],
);
