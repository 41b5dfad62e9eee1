import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { tenantSchema } from "../tenants";

export const loginBody = z
  .strictObject({
    email: z.string().trim().max(254).optional().describe("Your email, or your username"),
    username: z
      .string()
      .trim()
      .max(254)
      .optional()
      .describe(
        "Your username (staff without email, seed 002), or your email (the seeds' clients send it here)",
      ),
    password: z.string().min(1).max(1024),
    tenant_id: z.uuid().optional(),
  })
  .refine((b) => (b.email ?? b.username) !== undefined, { message: "email is required", path: ["email"] });

export type LoginInput = z.infer<typeof loginBody>;

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  phone: z.string().nullable(),
  username: z.string().nullable(),
  is_active: z.boolean(),
  is_super_admin: z.boolean(),
  last_login_at: z.iso.datetime().nullable(),
});

export const siteSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  roles: z.array(z.string()),
});

export const authResultSchema = z.object({
  user: userSchema,
  tenant: tenantSchema,
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  sites: z.array(siteSchema),
});

export const loginResponse = dataEnvelope(authResultSchema);

export const meResponse = dataEnvelope(
  z.object({
    user: userSchema,
    tenant: tenantSchema,
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
    scope: z.enum(["own", "team", "subtree", "tenant"]),
    sites: z.array(siteSchema),
  }),
);

export const refreshBody = z.strictObject({
  refresh_token: z.string().min(1).max(4096).optional(),
});

export const refreshHeaders = z.object({
  authorization: z.string().optional().describe("`Bearer rt_…`: the refresh token, as seeds 000/002 send it"),
});

export const passwordSchema = z
  .string()
  .min(8, "At least 8 characters")
  .max(128, "At most 128 characters")
  .refine((p) => /[A-Za-z]/.test(p) && /[0-9]/.test(p), "Use letters and at least one digit");

export const registerBody = z.strictObject({
  email: z.email().max(254),
  password: passwordSchema,
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().min(1).max(100),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,20}$/, "Must be a phone number")
    .optional(),
  tenant_name: z.string().trim().min(1).max(200),
  subdomain: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      "Lowercase letters, digits and inner hyphens, at most 63",
    )
    .optional(),
});

export type RegisterInput = z.infer<typeof registerBody>;

export const sitesResponse = z.object({ data: z.array(siteSchema.extend({ is_active: z.boolean() })) });

/** The tenant to switch to: `tenant_id`, or `site_id` as seed 001's clients send it. */
export const switchTenantBody = z
  .strictObject({ tenant_id: z.uuid().optional(), site_id: z.uuid().optional() })
  .refine((b) => (b.tenant_id === undefined) !== (b.site_id === undefined), {
    message: "Send exactly one of tenant_id and site_id",
    path: ["tenant_id"],
  });

/** The same password policy as registration for the new password; the current one is only checked. */
export const changePasswordBody = z.strictObject({
  current_password: z.string().min(1).max(1024),
  new_password: passwordSchema,
});

export type ChangePasswordInput = z.infer<typeof changePasswordBody>;

export const forgotPasswordBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
});

export type ForgotPasswordInput = z.infer<typeof forgotPasswordBody>;

export const forgotPasswordResponse = dataEnvelope(z.object({ message: z.string() }));

export const resetPasswordBody = z.strictObject({
  token: z.string().min(1).max(512).describe("The `token` query parameter of the emailed reset link"),
  new_password: passwordSchema,
});

export type ResetPasswordInput = z.infer<typeof resetPasswordBody>;

export const changeEmailBody = z.strictObject({
  new_email: z.email().max(254).describe("The new login email; a confirmation link goes there"),
  password: z.string().min(1).max(1024).describe("Your current password"),
});

export type ChangeEmailInput = z.infer<typeof changeEmailBody>;

export const changeEmailResponse = dataEnvelope(z.object({ message: z.string() }));

export const confirmEmailBody = z.strictObject({
  token: z.string().min(1).max(512).describe("The `token` query parameter of the emailed confirmation link"),
});

export type ConfirmEmailInput = z.infer<typeof confirmEmailBody>;
