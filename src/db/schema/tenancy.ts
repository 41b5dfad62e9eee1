import { sql } from "drizzle-orm";
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Tenant settings with their defaults (timezone, locale, geofence radius in metres). */
export interface TenantSettings {
  timezone?: string;
  locale?: string;
  geofence_radius_m?: number;
  /** Attendance: face check-in is opt-in per tenant. */
  face_check_in?: boolean;
  /** Attendance: the cosine similarity a face must reach (0..1). */
  face_match_threshold?: number;
  /** Attendance: the length of the face descriptors the tenant's devices compute. */
  face_embedding_dimension?: number;
  /** Attendance: how far back (hours) an offline check-in's `taken_at` may lie. */
  offline_check_in_limit_hours?: number;
  /** Attendance: refuse (422) a check-in outside every work location instead of flagging it. */
  attendance_geofence_required?: boolean;
  /** Days a soft-deleted row waits in the trash before the nightly purge (default 30). */
  trash_retention_days?: number;
}

/** A tenant = organization = site. Global table: it is the root of every tenant-scoped key. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    status: text("status", { enum: ["active", "suspended"] })
      .notNull()
      .default("active"),
    settings: jsonb("settings").$type<TenantSettings>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tenants_slug_key").on(sql`lower(${t.slug})`)],
);
