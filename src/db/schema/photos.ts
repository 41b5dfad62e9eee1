import {
  bigint,
  doublePrecision,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { brands } from "./catalogue";
import { tenantFk, tenantKey, tenantPk, timestamps } from "./columns";
import { PHOTO_PURPOSES, UPLOAD_STATUSES } from "./enums";
import { visits } from "./visits";

/** Photo metadata; the bytes go straight from the phone to R2 under `object_key`. */
export const photos = pgTable(
  "photos",
  {
    ...tenantKey(),
    clientId: text("client_id"),
    visitId: uuid("visit_id").notNull(),
    questionId: uuid("question_id"),
    purpose: text("purpose", { enum: PHOTO_PURPOSES }).notNull(),
    objectKey: text("object_key").notNull(),
    contentType: text("content_type").notNull(),
    declaredSize: bigint("declared_size", { mode: "number" }).notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("pending"),
    takenAt: timestamp("taken_at", { withTimezone: true }),
    createdBy: uuid("created_by").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("photos_visit_fk", [t.tenantId, t.visitId], visits).onDelete("cascade"),
    uniqueIndex("photos_tenant_creator_client_key").on(t.tenantId, t.createdBy, t.clientId),
    index("photos_tenant_visit_idx").on(t.tenantId, t.visitId),
  ],
);

/**
 * Brand rectangles marked on a shelf photo, normalised to 0..1. `area_percentage` is the brand's
 * share of the marked shelf area of the photo (the same on every rectangle of that brand).
 */
export const shelfQuadrants = pgTable(
  "shelf_quadrants",
  {
    tenantId: uuid("tenant_id").notNull(),
    id: uuid("id").notNull(),
    photoId: uuid("photo_id").notNull(),
    brandId: uuid("brand_id").notNull(),
    x: doublePrecision("x").notNull(),
    y: doublePrecision("y").notNull(),
    width: doublePrecision("width").notNull(),
    height: doublePrecision("height").notNull(),
    areaPercentage: doublePrecision("area_percentage").notNull(),
    /** The photo's marked (union) area as a fraction of the photo, the same on all its rectangles; null on rows from before it was stored. */
    markedArea: doublePrecision("marked_area"),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("shelf_quadrants_photo_fk", [t.tenantId, t.photoId], photos).onDelete("cascade"),
    tenantFk("shelf_quadrants_brand_fk", [t.tenantId, t.brandId], brands),
    index("shelf_quadrants_tenant_photo_idx").on(t.tenantId, t.photoId),
  ],
);
