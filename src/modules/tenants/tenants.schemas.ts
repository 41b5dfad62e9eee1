import { z } from "zod";
import { dataEnvelope, registerComponent } from "../../core/openapi";

/** IANA time zone names, validated by the runtime's own tz database. */
export const timezoneSchema = z
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

export const DEFAULT_GEOFENCE_RADIUS_M = 200;

export const tenantSettingsSchema = z.object({
  timezone: z.string(),
  locale: z.string(),
  geofence_radius_m: z.number().int(),
});

export const tenantSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(["active", "suspended"]),
  settings: tenantSettingsSchema,
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
registerComponent(tenantSchema, "Tenant");

export type TenantDto = z.infer<typeof tenantSchema>;

export const tenantIdParam = z.object({ id: z.uuid({ error: "Must be a UUID" }) });

export const updateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    settings: z
      .strictObject({
        timezone: timezoneSchema.optional(),
        locale: z
          .string()
          .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Must be a BCP 47 language tag such as en-ZA")
          .optional(),
        geofence_radius_m: z.number().int().min(10).max(10_000).optional(),
      })
      .optional(),
  })
  .refine((b) => b.name !== undefined || b.settings !== undefined, "Nothing to update");

export type UpdateTenantInput = z.infer<typeof updateTenantBody>;

export const tenantResponse = dataEnvelope(tenantSchema);
