import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
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

const memberErrors = ["CONFLICT"] as const;

/** Seed 004's organizations: the caller's tenants and member management by owners and admins. */
export const organizationRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/me",
    describe({
      summary: "List my organizations",
      description: "The tenants (organizations) you are a member of, with your roles.",
      tags: ["tenants"],
      auth: true,
      responses: { 200: { description: "Your organizations", schema: siteListResponse } },
    }),
    async (c) => c.json({ data: await listMySites(tenantContext(c)) }),
  )
  .post(
    "/:id/members",
    describe({
      summary: "Add a member",
      description:
        "Adds an existing user (by email or user_id) with one role, default member. You cannot grant a role above your own rights.",
      tags: ["tenants"],
      auth: true,
      permission: "members:manage",
      responses: { 201: { description: "The member", schema: memberResponse } },
      errors: [...memberErrors],
    }),
    requirePermission("members:manage"),
    validate("param", organizationIdParam),
    validate("json", addMemberBody),
    async (c) =>
      c.json({ data: await addMember(tenantContext(c), c.req.valid("param").id, c.req.valid("json")) }, 201),
  )
  .patch(
    "/:id/members/:user_id",
    describe({
      summary: "Update a member's role or status",
      description:
        "Replaces the member's role and/or sets their status; disabling ends their sessions. Nobody changes their own.",
      tags: ["tenants"],
      auth: true,
      permission: "members:manage",
      responses: { 200: { description: "The member", schema: memberResponse } },
    }),
    requirePermission("members:manage"),
    validate("param", memberParams),
    validate("json", updateMemberBody),
    async (c) => {
      const { id, user_id } = c.req.valid("param");
      return c.json({
        data: await updateMember(tenantContext(c), c.env.KV, id, user_id, c.req.valid("json")),
      });
    },
  )
  .delete(
    "/:id/members/:user_id",
    describe({
      summary: "Remove a member",
      description: "Removes the membership (roles and team places with it) and ends the member's sessions.",
      tags: ["tenants"],
      auth: true,
      permission: "members:manage",
      responses: { 204: { description: "Removed" } },
    }),
    requirePermission("members:manage"),
    validate("param", memberParams),
    async (c) => {
      const { id, user_id } = c.req.valid("param");
      await removeMember(tenantContext(c), c.env.KV, id, user_id);
      return c.body(null, 204);
    },
  );
