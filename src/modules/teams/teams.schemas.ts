import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { pagingQuery } from "../../core/pagination";

/** How deep the tree may go (teams on one root-to-leaf chain): national → region → area → team needs 4. */
export const MAX_TEAM_DEPTH = 16;

const teamName = z.string().trim().min(1, "Must not be empty").max(120);
const teamDescription = z.string().trim().max(2000).nullable();
const uuid = z.uuid({ error: "Must be a UUID" });

export const teamSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    parent_id: z.uuid().nullable(),
    path_ids: z
      .array(z.uuid())
      .describe("The team's ancestors from the root down to the team itself (the last element is `id`)"),
    depth: z.number().int().describe("0 for a root team, 1 for its children, …"),
    member_count: z.number().int(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Team");

export type TeamDto = z.infer<typeof teamSchema>;

export const teamMemberSchema = z
  .object({
    user_id: z.uuid(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
    is_leader: z.boolean(),
    added_at: z.iso.datetime(),
  })
  .openapi("TeamMember");

export type TeamMemberDto = z.infer<typeof teamMemberSchema>;

export const teamWithMembersSchema = teamSchema.extend({ members: z.array(teamMemberSchema) });

export type TeamWithMembersDto = z.infer<typeof teamWithMembersSchema>;

export const teamMemberParam = z.object({ id: uuid, user_id: uuid });

export const createTeamBody = z.strictObject({
  name: teamName,
  description: teamDescription.optional(),
  parent_id: uuid.nullable().optional().describe("The parent team; omitted or null makes a root team"),
});

export type CreateTeamInput = z.infer<typeof createTeamBody>;

export const updateTeamBody = z
  .strictObject({
    name: teamName.optional(),
    description: teamDescription.optional(),
    parent_id: uuid
      .nullable()
      .optional()
      .describe("Moves the team (and everything below it) under this team; null makes it a root"),
  })
  .refine(
    (b) => b.name !== undefined || b.description !== undefined || b.parent_id !== undefined,
    "Nothing to update",
  );

export type UpdateTeamInput = z.infer<typeof updateTeamBody>;

export const addTeamMemberBody = z.strictObject({
  user_id: uuid,
  is_leader: z
    .boolean()
    .optional()
    .describe("Omitted: false for a new member, unchanged for an existing one"),
});

export type AddTeamMemberInput = z.infer<typeof addTeamMemberBody>;

export const listTeamsQuery = z.strictObject({
  parent_id: z
    .union([z.literal("root"), uuid])
    .optional()
    .describe("Children of this team, or `root` for the top-level teams"),
  ancestor_id: uuid.optional().describe("Every team below this one, at any depth"),
  q: z.string().trim().min(1).max(200).optional().describe("Name contains (case-insensitive)"),
  ...pagingQuery,
});

export type ListTeamsQuery = z.infer<typeof listTeamsQuery>;

export const teamResponse = dataEnvelope(teamSchema);
export const teamWithMembersResponse = dataEnvelope(teamWithMembersSchema);
export const teamListResponse = listEnvelope(teamSchema);
export const teamMemberResponse = dataEnvelope(teamMemberSchema);

/** Documented conditional headers (the ETag helpers read them). */
export const ifMatchHeader = z.object({
  "if-match": z
    .string()
    .optional()
    .describe(
      'The ETag you read (`"v3"`): the update applies only if the team is still at that version, else 412',
    ),
});
export const ifNoneMatchHeader = z.object({
  "if-none-match": z.string().optional().describe("The ETag you hold: 304 when the team has not changed"),
});
