import { z } from "zod";
import { canonicalRoleName } from "../../core/auth/permissions";
import { dataEnvelope } from "../../core/openapi";

export const memberSchema = z
  .object({
    user_id: z.uuid(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    status: z.enum(["active", "disabled"]),
    roles: z.array(z.string()),
  })
  .openapi("Member");

export type MemberDto = z.infer<typeof memberSchema>;

const roleName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform(canonicalRoleName)
  .describe(
    "A role name in this tenant, e.g. admin, manager, member (seed names org_admin, user, editor, employee are aliases)",
  );

/** Seed 004: owners and admins add an existing user (by email or id) with a role (default member). */
export const addMemberBody = z
  .strictObject({
    email: z.email().max(254).optional(),
    user_id: z.uuid().optional(),
    role: roleName.default("member"),
  })
  .refine((b) => (b.email === undefined) !== (b.user_id === undefined), {
    message: "Send exactly one of email and user_id",
    path: ["email"],
  });

export type AddMemberInput = z.infer<typeof addMemberBody>;

export const updateMemberBody = z
  .strictObject({
    role: roleName.optional(),
    status: z.enum(["active", "disabled"]).optional(),
  })
  .refine((b) => b.role !== undefined || b.status !== undefined, "Nothing to update");

export type UpdateMemberInput = z.infer<typeof updateMemberBody>;

export const organizationIdParam = z.object({ id: z.uuid({ error: "Must be a UUID" }) });
export const memberParams = z.object({
  id: z.uuid({ error: "Must be a UUID" }),
  user_id: z.uuid({ error: "Must be a UUID" }),
});

export const memberResponse = dataEnvelope(memberSchema);
