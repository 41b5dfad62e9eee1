import { z } from "zod";
import { ianaTimezone } from "../../core/fields";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { pagingQuery } from "../../core/pagination";

export const DEFAULT_GEOFENCE_RADIUS_M = 200;
export const DEFAULT_TRASH_RETENTION_DAYS = 30;

/** Attendance defaults (seed 002): face check-in off, cosine ≥ 0.8, 128-number descriptors, 72 h offline. */
export const ATTENDANCE_DEFAULTS = {
  face_check_in: false,
  face_match_threshold: 0.8,
  face_embedding_dimension: 128,
  offline_check_in_limit_hours: 72,
  attendance_geofence_required: false,
} as const;

export const tenantSettingsSchema = z.object({
  timezone: z.string(),
  locale: z.string(),
  geofence_radius_m: z.number().int(),
  face_check_in: z.boolean(),
  face_match_threshold: z.number(),
  face_embedding_dimension: z.number().int(),
  offline_check_in_limit_hours: z.number().int(),
  attendance_geofence_required: z.boolean(),
  trash_retention_days: z.number().int(),
});

export const tenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    status: z.enum(["active", "suspended"]),
    settings: tenantSettingsSchema,
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Tenant");

export type TenantDto = z.infer<typeof tenantSchema>;

const settingsInput = z.strictObject({
  timezone: ianaTimezone.optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Must be a BCP 47 language tag such as en-ZA")
    .optional(),
  geofence_radius_m: z.number().int().min(10).max(10_000).optional(),
  face_check_in: z.boolean().optional().describe("Attendance: check-ins carry a face descriptor"),
  face_match_threshold: z
    .number()
    .min(0.5)
    .max(0.999)
    .optional()
    .describe("Attendance: the cosine similarity a face must reach"),
  face_embedding_dimension: z
    .number()
    .int()
    .min(64)
    .max(1024)
    .optional()
    .describe("Attendance: the descriptor length the devices compute (e.g. 128 or 512)"),
  offline_check_in_limit_hours: z
    .number()
    .int()
    .min(0)
    .max(720)
    .optional()
    .describe("Attendance: how far back an offline check-in's taken_at may lie"),
  attendance_geofence_required: z
    .boolean()
    .optional()
    .describe("Attendance: refuse check-ins outside every work location (else flag them)"),
  trash_retention_days: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("Days deleted rows stay in the trash before the nightly purge (default 30)"),
});

export const updateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    settings: settingsInput.optional(),
  })
  .refine((b) => b.name !== undefined || b.settings !== undefined, "Nothing to update");

export type UpdateTenantInput = z.infer<typeof updateTenantBody>;

export const tenantResponse = dataEnvelope(tenantSchema);

const subdomainSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "Lowercase letters, digits and inner hyphens, at most 63");

/** Platform administrators create tenants; the tenant starts with the default roles. */
export const createTenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  subdomain: subdomainSchema,
  settings: settingsInput.optional(),
});

export type CreateTenantInput = z.infer<typeof createTenantBody>;

export const listTenantsQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().describe("Name or subdomain contains (case-insensitive)"),
  status: z.enum(["active", "suspended"]).optional(),
  ...pagingQuery,
});

export type ListTenantsQuery = z.infer<typeof listTenantsQuery>;

export const tenantListResponse = listEnvelope(tenantSchema);

/** Seed 001's site / seed 004's organization: a tenant the caller belongs to, with their roles there. */
export const siteSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    /** The first of `roles`, for clients of the seeds that know one role per site. */
    role: z.string().nullable(),
    roles: z.array(z.string()),
    is_active: z.boolean().describe("Whether this is the tenant of the current token"),
  })
  .openapi("Site");

export type SiteDto = z.infer<typeof siteSchema>;

export const siteListResponse = z.object({ data: z.array(siteSchema) });
export const siteResponse = dataEnvelope(siteSchema);
