import { tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned } from "../../core/etag";
import { itemRoute, listRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import {
  addTeamMemberBody,
  createTeamBody,
  ifMatchHeader,
  ifNoneMatchHeader,
  listTeamsQuery,
  teamListResponse,
  teamMemberParam,
  teamMemberResponse,
  teamResponse,
  teamWithMembersResponse,
  updateTeamBody,
} from "./teams.schemas";
import { addTeamMember, createTeam, getTeam, listTeams, removeTeamMember, updateTeam } from "./teams.service";

const ETAG = { ETag: 'The team\'s version, `"v<n>"`; send it back in If-Match / If-None-Match' };

export const teamRoutes = apiRouter()
  .openapi(
    ...listRoute(
      {
        path: "/",
        summary: "List teams",
        description:
          "Teams of the tenant ordered by name. Filters: `parent_id` (children of a team, or `root`), `ancestor_id` (the whole subtree below a team), `q` (name contains). Page-numbered (`page`, `page_size`); `total` with `include_total=true`.",
        tags: ["teams"],
        permission: "teams:read",
        query: listTeamsQuery,
        responses: { 200: jsonResponse(teamListResponse, "One page of teams") },
        errors: {
          404: "Parent team not found, or Ancestor team not found (the filters name a team of another tenant)",
        },
      },
      listTeams,
    ),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a team",
      description:
        "A root team, or a team under `parent_id` (which must be a team of this tenant). Names are unique among siblings (case-insensitive): a duplicate is a 409. Audited. Honours Idempotency-Key.",
      tags: ["teams"],
      permission: "teams:write",
      body: createTeamBody,
      responses: {
        201: jsonResponse(teamResponse, "The new team", { ...ETAG, Location: "The team's URL" }),
      },
      errors: {
        404: "Parent team not found (RESOURCE_NOT_FOUND)",
        409: "A team with this name already exists under the same parent, or the tree would be too deep (CONFLICT)",
      },
    }),
    async (c) => {
      const { data, version } = await createTeam(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/teams/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("teams", "Team"),
        summary: "Get a team with its members",
        description:
          "The team and its members (leaders first). The ETag changes whenever the team or its membership changes; If-None-Match answers 304.",
        permission: "teams:read",
        headers: ifNoneMatchHeader,
        notModified: true,
        responses: { 200: jsonResponse(teamWithMembersResponse, "The team", ETAG) },
      },
      getTeam,
    ),
  );

for (const method of ["put", "patch"] as const) {
  teamRoutes.openapi(
    route({
      ...onRow("teams"),
      method,
      summary: "Update or move a team",
      description:
        "Partial update of `name`, `description` and `parent_id` (`null` makes the team a root). Moving a team rewrites the path of the team and of every team below it in the same atomic write as the audit row. Moving a team under itself or one of its descendants is a 409; a parent that is not a team of this tenant is a 404. Honours If-Match (412 on a stale version).",
      permission: "teams:write",
      headers: ifMatchHeader,
      body: updateTeamBody,
      ifMatch: true,
      responses: { 200: jsonResponse(teamResponse, "The updated team", ETAG) },
      errors: {
        404: "Team not found, or Parent team not found",
        409: "A sibling has this name, the move would create a cycle, or the tree would be too deep (CONFLICT)",
      },
    }),
    async (c) => {
      const expected = ifMatchVersion(c);
      const { data, version } = await updateTeam(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        expected,
      );
      return jsonVersioned(c, { data }, version);
    },
  );
}

teamRoutes
  .openapi(
    route({
      ...onRow("teams", "Team not found, or User"),
      method: "post",
      path: "/{id}/members",
      summary: "Add a team member (or change their leader flag)",
      description:
        "`user_id` must be a member of this tenant (else 404). Adding an existing member updates `is_leader` when given (omitted keeps it). A team leader without `teams:write` may add members to a team they lead (seed 000: team_leader/admin) but not set `is_leader` (403). Audited. Honours Idempotency-Key.",
      permissionNote: "teams:write, or teams:read as a leader of this team",
      body: addTeamMemberBody,
      responses: {
        201: jsonResponse(teamMemberResponse, "Added"),
        200: jsonResponse(teamMemberResponse, "Already a member (leader flag applied)"),
      },
    }),
    async (c) => {
      const { data, created } = await addTeamMember(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return created ? c.json({ data }, 201) : c.json({ data }, 200);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/{id}/members/{user_id}",
      summary: "Remove a team member",
      description: "404 when the user is not a member of the team. Audited.",
      tags: ["teams"],
      permission: "teams:write",
      params: teamMemberParam,
      responses: { 204: emptyResponse("Removed") },
      errors: { 404: "Team member not found" },
    }),
    async (c) => {
      const { id, user_id } = c.req.valid("param");
      await removeTeamMember(tenantContext(c), id, user_id);
      return c.body(null, 204);
    },
  );
