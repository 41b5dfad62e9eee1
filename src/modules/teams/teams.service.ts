import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { preconditionFailed } from "../../core/etag";
import { uuidv7 } from "../../core/ids";
import { pagination } from "../../core/pagination";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { deleteTeamMemberAudited, upsertTeamMemberAudited } from "./teams.members.repo";
import type { TeamRecord } from "./teams.queries";
import { findTeam, listTeams as listTeamRows } from "./teams.read.repo";
import {
  type AddTeamMemberInput,
  type CreateTeamInput,
  type ListTeamsQuery,
  MAX_TEAM_DEPTH,
  type TeamDto,
  type TeamMemberDto,
  type TeamWithMembersDto,
  type UpdateTeamInput,
} from "./teams.schemas";
import { insertTeamAudited, updateTeamAudited } from "./teams.tree.repo";

/** A team DTO with the version its ETag carries. */
export interface Versioned<T> {
  data: T;
  version: number;
}

export function toTeamDto(row: TeamRecord): TeamDto {
  const pathIds = row.path.split("/").filter(Boolean);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    parent_id: row.parent_id,
    path_ids: pathIds,
    depth: pathIds.length - 1,
    member_count: row.member_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const teamNotFound = () => ApiError.notFound("Team");

const parentNotFound = () =>
  new ApiError("RESOURCE_NOT_FOUND", "Parent team not found", {
    details: [{ field: "parent_id", message: "No such team in this tenant" }],
  });

const tooDeep = () =>
  ApiError.conflict(`Teams nest at most ${MAX_TEAM_DEPTH} levels deep`, [
    { field: "parent_id", message: "The tree would become too deep" },
  ]);

/** The unique index (tenant, parent, lower(name)) as the API's 409; anything else rethrown. */
function duplicateName(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === UNIQUE_VIOLATION && pg.constraint === "teams_tenant_parent_name_key") {
    throw ApiError.conflict("A team with this name already exists under the same parent", [
      { field: "name", message: "Already taken under this parent" },
    ]);
  }
  throw err;
}

/**
 * Creates a team under `parent_id` (or as a root). The path comes from the parent row in the same
 * statement, so a parent of another tenant is simply not found (404) and nothing is written.
 */
export async function createTeam(ctx: TenantContext, input: CreateTeamInput): Promise<Versioned<TeamDto>> {
  const id = uuidv7();
  const audit = auditRow(ctx, { action: "team.create", entityType: "team", entityId: id });
  const result = await insertTeamAudited(
    ctx.db,
    {
      tenantId: ctx.tenantId,
      id,
      name: input.name,
      description: input.description ?? null,
      parentId: input.parent_id ?? null,
    },
    audit,
  ).catch(duplicateName);
  if (!result.parentFound) throw parentNotFound();
  if (!result.team) throw tooDeep();
  return { data: toTeamDto(result.team), version: result.team.version };
}

/** A team with its members (leaders first, then by name). */
export async function getTeam(ctx: TenantContext, id: string): Promise<Versioned<TeamWithMembersDto>> {
  const found = await findTeam(ctx.db, ctx.tenantId, id);
  if (!found) throw teamNotFound();
  return { data: { ...toTeamDto(found.team), members: found.members }, version: found.team.version };
}

/**
 * Teams of the tenant by name, filtered by parent (`root` = top level), by ancestor (the whole
 * subtree below a team) and by name. A parent or ancestor that is not a team of this tenant is a
 * 404, like any other reference to another tenant's id.
 */
export async function listTeams(ctx: TenantContext, query: ListTeamsQuery) {
  const result = await listTeamRows(ctx.db, ctx.tenantId, {
    ...(query.parent_id !== undefined
      ? { parentId: query.parent_id === "root" ? null : query.parent_id }
      : {}),
    ...(query.ancestor_id !== undefined ? { ancestorId: query.ancestor_id } : {}),
    ...(query.q !== undefined ? { nameContains: query.q } : {}),
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
    includeTotal: query.include_total,
  });
  if (!result.parentFound) throw parentNotFound();
  if (!result.ancestorFound) {
    throw new ApiError("RESOURCE_NOT_FOUND", "Ancestor team not found", {
      details: [{ field: "ancestor_id", message: "No such team in this tenant" }],
    });
  }
  return { data: result.items.map(toTeamDto), pagination: pagination(query, result.total) };
}

/**
 * Renames, re-describes and/or moves a team. A move rewrites the paths of the team and its whole
 * subtree in the same atomic batch as the audit row. `expectedVersion` comes from If-Match.
 */
export async function updateTeam(
  ctx: TenantContext,
  id: string,
  input: UpdateTeamInput,
  expectedVersion: number | undefined,
): Promise<Versioned<TeamDto>> {
  const audit = auditRow(ctx, { action: "team.update", entityType: "team", entityId: id });
  const outcome = await updateTeamAudited(
    ctx.db,
    ctx.tenantId,
    id,
    {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.parent_id !== undefined ? { parentId: input.parent_id } : {}),
    },
    expectedVersion,
    audit,
  ).catch(duplicateName);
  if (!outcome.found) throw teamNotFound();
  if (expectedVersion !== undefined && outcome.currentVersion !== expectedVersion) throw preconditionFailed();
  if (outcome.parentMissing) throw parentNotFound();
  if (outcome.cycle) {
    throw ApiError.conflict("A team cannot be moved under itself or one of its own descendants", [
      { field: "parent_id", message: "Would create a cycle" },
    ]);
  }
  if (outcome.tooDeep) throw tooDeep();
  // Every check passed on the statement's snapshot but the row did not match: a concurrent write.
  if (!outcome.team) throw preconditionFailed();
  return { data: toTeamDto(outcome.team), version: outcome.team.version };
}

/**
 * Adds a member of this tenant to the team, or changes an existing member's leader flag.
 * `created` tells a new membership (201) from an existing one (200). Without `teams:write` (seed
 * 000: "team_leader/admin") the caller must lead this team — checked inside the write — and may
 * add members but not make leaders.
 */
export async function addTeamMember(
  ctx: TenantContext,
  teamId: string,
  input: AddTeamMemberInput,
): Promise<{ data: TeamMemberDto; created: boolean }> {
  const manages = ctx.permissions.has("teams:write");
  if (!manages && !ctx.permissions.has("teams:read")) {
    throw ApiError.forbidden("Missing permission: teams:write");
  }
  if (!manages && input.is_leader !== undefined) {
    throw new ApiError("AUTHORIZATION_ERROR", "Only teams:write may set is_leader", {
      details: [
        { field: "is_leader", message: "Team leaders add members; making leaders needs teams:write" },
      ],
    });
  }
  const audit = auditRow(ctx, { action: "team.member_add", entityType: "team", entityId: teamId });
  const outcome = await upsertTeamMemberAudited(
    ctx.db,
    ctx.tenantId,
    teamId,
    input.user_id,
    input.is_leader,
    audit,
    manages ? undefined : ctx.userId,
  );
  if (!outcome.teamFound) throw teamNotFound();
  if (!outcome.allowed) throw ApiError.forbidden("Only a leader of this team or teams:write may add members");
  if (!outcome.userFound || !outcome.member) {
    throw new ApiError("RESOURCE_NOT_FOUND", "User not found", {
      details: [{ field: "user_id", message: "Not a member of this tenant" }],
    });
  }
  return { data: outcome.member, created: !outcome.existed };
}

export async function removeTeamMember(ctx: TenantContext, teamId: string, userId: string): Promise<void> {
  const audit = auditRow(ctx, { action: "team.member_remove", entityType: "team", entityId: teamId });
  const outcome = await deleteTeamMemberAudited(ctx.db, ctx.tenantId, teamId, userId, audit);
  if (!outcome.teamFound) throw teamNotFound();
  if (!outcome.deleted) throw ApiError.notFound("Team member");
}
