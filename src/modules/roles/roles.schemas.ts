import { z } from "zod";
import { canonicalRoleName, DATA_SCOPES, PERMISSIONS } from "../../core/auth/permissions";
import { dataEnvelope, listEnvelope } from "../../core/openapi";

/** Role names: lowercase identifiers, as the system roles are (`team_leader`). */
export const roleNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{1,49}$/,
    "Lowercase letters, digits and underscores, 2 to 50, starting with a letter",
  );

/** A role named by a client: the seeds' names are aliases (`org_admin` → admin; `user`, `editor`, `employee` → member). */
export const roleRefSchema = roleNameSchema
  .transform(canonicalRoleName)
  .describe("A role name; the seeds' org_admin (admin) and user, editor, employee (member) are accepted");

const permissionSchema = z.enum(PERMISSIONS, { error: "Not a permission of the catalogue" });
const scopeSchema = z.enum(DATA_SCOPES);

export const roleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    permissions: z
      .array(z.string())
      .describe("What the role grants; for system roles, the current catalogue's definition"),
    scope: scopeSchema.describe("Which rows the role sees: own, team, subtree or tenant"),
    is_system: z.boolean().describe("A default role: its rights follow the code and it cannot be changed"),
    user_count: z.number().int().describe("Members holding the role (active or disabled)"),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Role");

export type RoleDto = z.infer<typeof roleSchema>;

export const roleResponse = dataEnvelope(roleSchema);
export const roleListResponse = listEnvelope(roleSchema);

const permissionsSchema = z
  .array(permissionSchema)
  .max(PERMISSIONS.length * 2)
  .transform((list) => [...new Set(list)].sort());

export const createRoleBody = z.strictObject({
  name: roleNameSchema,
  description: z.string().trim().max(500).nullable().optional(),
  permissions: permissionsSchema,
  scope: scopeSchema,
});

export type CreateRoleInput = z.infer<typeof createRoleBody>;

export const updateRoleBody = z
  .strictObject({
    name: roleNameSchema.optional(),
    description: z.string().trim().max(500).nullable().optional(),
    permissions: permissionsSchema.optional(),
    scope: scopeSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update");

export type UpdateRoleInput = z.infer<typeof updateRoleBody>;
