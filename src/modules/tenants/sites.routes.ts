import { tenantContext } from "../../core/context";
import { itemRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { siteListResponse, siteResponse } from "./tenants.schemas";
import { getMySite, listMySites } from "./tenants.service";

/** Seed 001's sites: the tenants the caller belongs to, with their roles there. */
export const siteRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/",
      summary: "List my sites",
      description: "The tenants (sites) you are a member of, with your roles; the current one has is_active.",
      tags: ["tenants"],
      auth: true,
      responses: { 200: jsonResponse(siteListResponse, "Your sites") },
    }),
    async (c) => c.json({ data: await listMySites(tenantContext(c)) }, 200),
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("tenants", "Site"),
        summary: "Get one of my sites",
        description: "A site you are not a member of is not found.",
        auth: true,
        responses: { 200: jsonResponse(siteResponse, "The site") },
      },
      getMySite,
    ),
  );
