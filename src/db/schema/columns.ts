import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { foreignKey, integer, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenancy";

/**
 * Column builders shared by the tenant-scoped tables, spelled once so every table names and types
 * them the same way (the generated SQL is what the tables spelled by hand before).
 */

/** `tenant_id`, cascading from the tenant: a tenant's rows go with it. */
const tenantRef = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

/** The key pair of a tenant resource: `tenant_id` (cascading) and `id` (a UUIDv7 from the app). */
export const tenantKey = () => ({
  tenantId: tenantRef(),
  id: uuid("id").notNull(),
});

/** `version`: bumped on every update; the ETag and the If-Match check compare it. */
export const version = () => ({ version: integer("version").notNull().default(1) });

/** `created_by`: the user who created the row (nullable: imports and seeds have none). */
export const createdBy = () => ({ createdBy: uuid("created_by") });

/** `created_at` and `updated_at`, both set by the database on insert. */
export const timestamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** `deleted_at`: rows an offline phone has cached are soft-deleted, so sync can send tombstones. */
export const softDelete = () => ({ deletedAt: timestamp("deleted_at", { withTimezone: true }) });

/** The composite primary key `(tenant_id, id)` every tenant resource has. */
export const tenantPk = (t: { tenantId: AnyPgColumn; id: AnyPgColumn }) =>
  primaryKey({ columns: [t.tenantId, t.id] });

/**
 * A foreign key `(tenant_id, column) → target (tenant_id, id)`: a reference can never cross
 * tenants, because the tenant is part of the key it points at.
 */
export const tenantFk = (
  name: string,
  columns: [tenantId: AnyPgColumn, column: AnyPgColumn],
  target: { tenantId: AnyPgColumn; id: AnyPgColumn },
) => foreignKey({ name, columns, foreignColumns: [target.tenantId, target.id] });
