import type { OpenAPIHono } from "@hono/zod-openapi";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion } from "../../core/etag";
import { listEnvelope } from "../../core/openapi";
import type { AnyResource } from "../../core/resource/declaration";
import { emitChange } from "../../core/resource/events";
import { listRoute, onRow } from "../../core/resource/item-routes";
import { idParam } from "../../core/resource/params";
import { derivedWrites, resourceRoutes } from "../../core/resource/routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { accountResource } from "./accounts.resource";
import { clientResource } from "./clients.resource";
import { deleteClient } from "./clients.service";
import { contactResource } from "./contacts.resource";
import { deleteContact } from "./contacts.service";
import { CRM_PERMISSIONS } from "./crm.permissions";
import { interactionResource } from "./interactions.resource";
import { finderQuery, finderResponse } from "./interactions.schemas";
import { createInteraction, findInteractions, updateInteraction } from "./interactions.service";
import { leadResource } from "./leads.resource";
import { convertedLeadResponse, convertLeadBody } from "./leads.schemas";
import { convertLead, stampConversion } from "./leads.service";
import { noteResource } from "./notes.resource";
import { parentNotesQuery } from "./notes.schemas";
import { listNotesOf } from "./notes.service";
import { projectResource } from "./projects.resource";
import { stampOutcome } from "./projects.service";
import { searchQuery, searchResponse } from "./search.schemas";
import { searchCrm } from "./search.service";

/**
 * The CRM on the resource kit. Normal lists and gets show your own rows (created by or assigned
 * to you; team and subtree roles their members' too); `view=all` with `crm:read_all` shows the
 * tenant (seed 003's admin pages).
 */
const VISIBILITY =
  "Visibility: rows you created or that are assigned to you (team/subtree roles: their members' too); `view=all` with `crm:read_all` shows the whole tenant.";
const docs = { list: VISIBILITY, get: VISIBILITY };

const noteList = listEnvelope(noteResource.schemas.item);

/** `GET /{id}/notes` on a parent's router: its notes, whoever wrote them, when you may see the parent. */
function withNotes(router: OpenAPIHono<AppEnv>, parent: AnyResource) {
  return router.openapi(
    route({
      method: "get",
      path: "/{id}/notes",
      summary: `List the notes on ${parent.entity.toLowerCase() === "account" || parent.entity.toLowerCase() === "interaction" ? "an" : "a"} ${parent.entity.toLowerCase()}`,
      description: `Every live note on the ${parent.entity.toLowerCase()} (whoever wrote it), newest first, when you may see the ${parent.entity.toLowerCase()} (\`view=all\` as on its get); \`pagination.total\` always. Add one with \`POST /api/notes\` and \`${parent.name}_id\`.`,
      tags: [parent.tag],
      permission: parent.permissions.read,
      params: idParam,
      query: parentNotesQuery,
      responses: { 200: jsonResponse(noteList, "One page of notes") },
    }),
    async (c) =>
      c.json(await listNotesOf(tenantContext(c), parent, c.req.valid("param").id, c.req.valid("query")), 200),
  );
}

export const accountRoutes = withNotes(resourceRoutes(accountResource, { docs }), accountResource);
export const clientRoutes = withNotes(
  resourceRoutes(clientResource, {
    delete: { run: deleteClient },
    docs: {
      ...docs,
      delete:
        "A client with open projects (pending or active) is refused with 409 naming them in `details`; nothing cascades. Deleted clients wait in the trash (`/api/trash`).",
    },
  }),
  clientResource,
);
export const leadRoutes = withNotes(
  resourceRoutes(leadResource, {
    ...derivedWrites(leadResource, stampConversion),
    docs: {
      ...docs,
      create: "A `lead_status` of converted stamps `converted_at` now (unless sent).",
      update:
        "Setting `lead_status` stamps `converted_at` (converted: now; other statuses: cleared) unless sent.",
    },
  }),
  leadResource,
).openapi(
  route({
    ...onRow("leads"),
    method: "post",
    path: "/{id}/convert",
    summary: "Convert a lead into a client",
    description:
      "One statement: creates the client (name, email and phone default to the lead's; assigned to the lead's assignee) and, with `project`, a project of that client linked to the lead; sets `lead_status` to `converted`, `converted_at` and the links; audits all three. 409 when already converted. Honours If-Match.",
    permission: CRM_PERMISSIONS.write,
    body: convertLeadBody,
    ifMatch: true,
    responses: { 200: jsonResponse(convertedLeadResponse, "The converted lead, its client and project") },
    errors: {
      404: "Lead not found, or the account (`client.account_id`)",
      409: "The lead is already converted",
    },
  }),
  async (c) => {
    const { data } = await convertLead(
      tenantContext(c),
      c.req.valid("param").id,
      c.req.valid("json"),
      ifMatchVersion(c),
    );
    emitChange(c, leadResource, data.lead.id);
    emitChange(c, clientResource, data.client.id);
    if (data.project) emitChange(c, projectResource, data.project.id);
    return c.json({ data }, 200);
  },
);
export const projectRoutes = withNotes(
  resourceRoutes(projectResource, {
    ...derivedWrites(projectResource, stampOutcome),
    docs: {
      ...docs,
      create: "A status of completed stamps `won_at` and `closed_at`, cancelled `closed_at` (unless sent).",
      update:
        "Setting `status` stamps `won_at`/`closed_at` (completed: both; cancelled: closed; pending/active: cleared) unless sent.",
    },
  }),
  projectResource,
);
export const contactRoutes = withNotes(
  resourceRoutes(contactResource, {
    delete: { run: deleteContact },
    docs: {
      ...docs,
      create:
        "Writing contacts takes `contacts:write` (every role with `crm:write` has it, and seed 004's `manager`).",
      delete:
        "A contact with open deals (seed 004) is refused with 409 naming them in `details` (`deal_id`); nothing cascades. Deleted contacts wait in the trash (`/api/trash`).",
    },
  }),
  contactResource,
);
export const interactionRoutes = withNotes(
  resourceRoutes(interactionResource, {
    list: { query: finderQuery, response: finderResponse, run: findInteractions },
    create: { run: createInteraction },
    update: { response: interactionResource.schemas.response, run: updateInteraction },
    docs: {
      ...docs,
      list: `The Finder (seed 001). ${VISIBILITY} \`q\` (or \`search\`) finds words and their prefixes (full-text) and partial words (pg_trgm) over title, lead, type, location, description and notes, ranked, with \`rank\` and \`highlight\`; when nothing you may see matches so, it is read as a typo: each word stands for the tenant's closest words (pg_trgm similarity ≥ 0.3 over the words of its interactions, at most five) and rows with one of each word's are found and ranked the same way. \`sort\` by relevance, title, type, lead, location, start_date_time, end_date_time, follow_up_at, created_at or updated_at (camelCase accepted), \`direction\` asc/desc; ties break on id. \`page_size\` or \`pageSize\`; \`pagination.total\` always. Searches are cached per tenant, caller and query until the next write to the tenant's interactions (at most 60 s): \`X-Cache: HIT\` or \`MISS\`.`,
    },
  }),
  interactionResource,
);
export const noteRoutes = resourceRoutes(noteResource, { docs });

/** Cross-entity search over the CRM (issue 13): clients, leads, contacts, accounts, projects, interactions. */
export const searchRoutes = apiRouter().openapi(
  ...listRoute(
    {
      path: "/",
      summary: "Search the CRM",
      description: `Partial words and typos (pg_trgm over each type's names, emails, company) across \`types\` in one query, best first (word similarity, +1 when the text starts with the query), ties by type and id; \`pagination.total\` always. Interactions match and rank as the Finder's search (\`GET /api/interactions?q=\`): words and prefixes over every text field or, when none you may see matches so, the tenant's closest words; rank: its relevance (ts_rank). ${VISIBILITY}`,
      tags: ["search"],
      permission: CRM_PERMISSIONS.read,
      query: searchQuery,
      responses: { 200: jsonResponse(searchResponse, "One page of hits") },
    },
    searchCrm,
  ),
);
