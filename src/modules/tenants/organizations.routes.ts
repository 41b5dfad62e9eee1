import { tenantContext } from "../../core/context";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import {
  addMemberBody,
  memberParams,
  memberResponse,
  organizationIdParam,
  updateMemberBody,
} from "./members.schemas";
import { addMember, removeMember, updateMember } from "./members.service";
import { siteListResponse } from "./tenants.schemas";
import { listMySites } from "./tenants.service";

const MEMBER_NOT_FOUND = "Organization not found, or Member not found";

/** Seed 004's organizations: the caller's tenants and member management by owners and admins. */
export const organizationRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/me",
      summary: "List my organizations",
      description: "The tenants (organizations) you are a member of, with your roles.",
      tags: ["tenants"],
      auth: true,
      responses: { 200: jsonResponse(siteListResponse, "Your organizations") },
    }),
    async (c) => c.json({ data: await listMySites(tenantContext(c)) }, 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/{id}/members",
      summary: "Add a member",
      description:
        "Adds an existing user (by email or user_id) with one role, default member. You cannot grant a role above your own rights.",
      tags: ["tenants"],
      permission: "members:manage",
      params: organizationIdParam,
      body: addMemberBody,
      responses: { 201: jsonResponse(memberResponse, "The member") },
      errors: {
        404: "Organization not found, or User not found",
        409: "This user is already a member (CONFLICT)",
      },
    }),
    async (c) =>
      c.json(
        { data: await addMember(tenantContext(c), c.env.KV, c.req.valid("param").id, c.req.valid("json")) },
        201,
      ),
  )
  .openapi(
    route({
      method: "patch",
      path: "/{id}/members/{user_id}",
      summary: "Update a member's role or status",
      description:
        "Replaces the member's role and/or sets their status; disabling ends their sessions. Nobody changes their own.",
      tags: ["tenants"],
      permission: "members:manage",
      params: memberParams,
      body: updateMemberBody,
      responses: { 200: jsonResponse(memberResponse, "The member") },
      errors: { 404: MEMBER_NOT_FOUND },
    }),
    async (c) => {
      const { id, user_id } = c.req.valid("param");
      return c.json(
        { data: await updateMember(tenantContext(c), c.env.KV, id, user_id, c.req.valid("json")) },
        200,
      );
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/{id}/members/{user_id}",
      summary: "Remove a member",
      description: "Removes the membership (roles and team places with it) and ends the member's sessions.",
      tags: ["tenants"],
      permission: "members:manage",
      params: memberParams,
      responses: { 204: emptyResponse("Removed") },
      errors: { 404: MEMBER_NOT_FOUND },
    }),
    async (c) => {
      const { id, user_id } = c.req.valid("param");
      await removeMember(tenantContext(c), c.env.KV, id, user_id);
      return c.body(null, 204);
    },
  );
