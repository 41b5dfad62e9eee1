import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe, type RouteSpec } from "../../core/openapi";
import { validate } from "../../core/validation";
import {
  addTeamMemberBody,
  createTeamBody,
  ifMatchHeader,
  ifNoneMatchHeader,
  listTeamsQuery,
  teamIdParam,
  teamListResponse,
  teamMemberParam,
  teamMemberResponse,
  teamResponse,
  teamWithMembersResponse,
  updateTeamBody,
} from "./teams.schemas";
import { addTeamMember, createTeam, getTeam, listTeams, removeTeamMember, updateTeam } from "./teams.service";

const ETAG = { ETag: 'The team\'s version, `"v<n>"`; send it back in If-Match / If-None-Match' };

const updateSpec: RouteSpec = {
  summary: "Update or move a team",
  description:
    "Partial update of `name`, `description` and `parent_id` (`null` makes the team a root). Moving a team rewrites the path of the team and of every team below it in the same atomic write as the audit row. Moving a team under itself or one of its descendants is a 409; a parent that is not a team of this tenant is a 404. Honours If-Match (412 on a stale version).",
  tags: ["teams"],
  auth: true,
  permission: "teams:write",
  responses: { 200: { description: "The updated team", schema: teamResponse, headers: ETAG } },
  errors: ["CONFLICT", "PRECONDITION_FAILED"],
};

export const teamRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List teams",
      description:
        "Teams of the tenant ordered by name. Filters: `parent_id` (children of a team, or `root`), `ancestor_id` (the whole subtree below a team), `q` (name contains). Page-numbered (`page`, `page_size`); `total` with `include_total=true`.",
      tags: ["teams"],
      auth: true,
      permission: "teams:read",
      responses: { 200: { description: "One page of teams", schema: teamListResponse } },
    }),
    requirePermission("teams:read"),
    validate("query", listTeamsQuery),
    async (c) => c.json(await listTeams(tenantContext(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describe({
      summary: "Create a team",
      description:
        "A root team, or a team under `parent_id` (which must be a team of this tenant). Names are unique among siblings (case-insensitive): a duplicate is a 409. Audited. Honours Idempotency-Key.",
      tags: ["teams"],
      auth: true,
      permission: "teams:write",
      responses: {
        201: {
          description: "The new team",
          schema: teamResponse,
          headers: { ...ETAG, Location: "The team's URL" },
        },
      },
      errors: ["CONFLICT"],
    }),
    requirePermission("teams:write"),
    validate("json", createTeamBody),
    async (c) => {
      const { data, version } = await createTeam(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/teams/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a team with its members",
      description:
        "The team and its members (leaders first). The ETag changes whenever the team or its membership changes; If-None-Match answers 304.",
      tags: ["teams"],
      auth: true,
      permission: "teams:read",
      responses: {
        200: { description: "The team", schema: teamWithMembersResponse, headers: ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("teams:read"),
    validate("param", teamIdParam),
    validate("header", ifNoneMatchHeader),
    async (c) => {
      const { data, version } = await getTeam(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe(updateSpec),
    requirePermission("teams:write"),
    validate("param", teamIdParam),
    validate("header", ifMatchHeader),
    validate("json", updateTeamBody),
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
  )
  .post(
    "/:id/members",
    describe({
      summary: "Add a team member (or change their leader flag)",
      description:
        "`user_id` must be a member of this tenant (else 404). Adding an existing member updates `is_leader` when given (omitted keeps it). Audited. Honours Idempotency-Key.",
      tags: ["teams"],
      auth: true,
      permission: "teams:write",
      responses: {
        201: { description: "Added", schema: teamMemberResponse },
        200: { description: "Already a member (leader flag applied)", schema: teamMemberResponse },
      },
    }),
    requirePermission("teams:write"),
    validate("param", teamIdParam),
    validate("json", addTeamMemberBody),
    async (c) => {
      const { data, created } = await addTeamMember(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return c.json({ data }, created ? 201 : 200);
    },
  )
  .delete(
    "/:id/members/:user_id",
    describe({
      summary: "Remove a team member",
      description: "404 when the user is not a member of the team. Audited.",
      tags: ["teams"],
      auth: true,
      permission: "teams:write",
      responses: { 204: { description: "Removed" } },
    }),
    requirePermission("teams:write"),
    validate("param", teamMemberParam),
    async (c) => {
      const { id, user_id } = c.req.valid("param");
      await removeTeamMember(tenantContext(c), id, user_id);
      return c.body(null, 204);
    },
  );
