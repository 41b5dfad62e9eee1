import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { authenticate } from "../../core/middleware/auth";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import { siteListResponse, siteResponse, tenantIdParam } from "./tenants.schemas";
import { getMySite, listMySites } from "./tenants.service";

/** Seed 001's sites: the tenants the caller belongs to, with their roles there. */
export const siteRoutes = new Hono<AppEnv>()
  .use("*", authenticate)
  .get(
    "/",
    describe({
      summary: "List my sites",
      description: "The tenants (sites) you are a member of, with your roles; the current one has is_active.",
      tags: ["tenants"],
      auth: true,
      responses: { 200: { description: "Your sites", schema: siteListResponse } },
    }),
    async (c) => c.json({ data: await listMySites(tenantContext(c)) }),
  )
  .get(
    "/:id",
    describe({
      summary: "Get one of my sites",
      description: "A site you are not a member of is not found.",
      tags: ["tenants"],
      auth: true,
      responses: { 200: { description: "The site", schema: siteResponse } },
    }),
    validate("param", tenantIdParam),
    async (c) => c.json({ data: await getMySite(tenantContext(c), c.req.valid("param").id) }),
  );
