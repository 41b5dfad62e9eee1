import { sql } from "drizzle-orm";
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Tenant settings with their defaults (timezone, locale, geofence radius in metres). */
export interface TenantSettings {
  timezone?: string;
  locale?: string;
  geofence_radius_m?: number;
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
