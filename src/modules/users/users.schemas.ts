import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { booleanQuery, listPagingQuery, pagingQuery } from "../../core/pagination";
import { passwordSchema } from "../auth";
import { roleRefSchema } from "../roles";

/** A user as this tenant sees them: active only if both the identity and the membership are. */
export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    phone: z.string().nullable(),
    username: z.string().nullable().describe("Sign-in name for staff without email (log in with `username`)"),
    is_active: z.boolean().describe("The user is active and so is their membership in this tenant"),
    roles: z.array(z.string()).describe("Role names in this tenant"),
    teams: z.array(z.object({ id: z.uuid(), name: z.string(), is_leader: z.boolean() })),
    last_login_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("User");

export type UserDto = z.infer<typeof userSchema>;

export const userResponse = dataEnvelope(userSchema);
export const userListResponse = listEnvelope(userSchema);

const phoneSchema = z.string().regex(/^\+?[0-9 ()-]{6,20}$/, "Must be a phone number");
const nameSchema = z.string().trim().min(1).max(100);
/** A sign-in name: 3–64 letters, digits, `.`, `_` or `-` — never an `@`, so it cannot be taken for an email. */
export const usernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{3,64}$/, "3 to 64 letters, digits, '.', '_' or '-'")
  .describe("Unique in the platform, case-insensitive; log in with it as `username`");

/**
 * A new member of the tenant. Server-owned fields (`id`, `tenant_id`, `roles`, `is_active`,
 * `is_super_admin`, `created_by`) are unknown keys here, so sending them is a 400.
 */
export const createUserBody = z.strictObject({
  email: z.email().max(254),
  password: passwordSchema,
  first_name: nameSchema,
  last_name: nameSchema,
  phone: phoneSchema.nullable().optional(),
  username: usernameSchema.nullable().optional(),
  role: roleRefSchema
    .optional()
    .describe(
      "A role name in this tenant (default `agent`); seed names org_admin, user, editor, employee are aliases",
    ),
});

export type CreateUserInput = z.infer<typeof createUserBody>;

/**
 * Partial update. Everyone may change their own names, phone and username; `email` and `is_active` (the
 * membership in this tenant) are for `users:write` holders changing someone else.
 */
export const updateUserBody = z
  .strictObject({
    first_name: nameSchema.optional(),
    last_name: nameSchema.optional(),
    phone: phoneSchema.nullable().optional(),
    username: usernameSchema.nullable().optional(),
    email: z.email().max(254).optional(),
    is_active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update");

export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const assignRolesBody = z.strictObject({
  roles: z
    .array(roleRefSchema)
    .min(1, "At least one role")
    .max(20)
    .describe("The user's complete set of roles in this tenant"),
});

export type AssignRolesInput = z.infer<typeof assignRolesBody>;

export const listUsersQuery = z
  .strictObject({
    email: z.string().trim().min(1).max(254).optional().describe("Case-insensitive substring of the email"),
    q: z.string().trim().min(1).max(200).optional().describe("Case-insensitive search in email and names"),
    is_active: booleanQuery.optional(),
    role: roleRefSchema.optional().describe("Members holding this role"),
    team: z.uuid({ error: "Must be a UUID" }).optional().describe("Members of this team"),
    ...pagingQuery,
    cursor: listPagingQuery.cursor,
  })
  .refine((q) => q.cursor === undefined || q.page === 1, {
    message: "Send either page or cursor",
    path: ["cursor"],
  });

export type ListUsersQuery = z.infer<typeof listUsersQuery>;
