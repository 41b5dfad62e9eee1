import { z } from "zod";
import { tenantContext } from "../../core/context";
import { dataEnvelope } from "../../core/openapi";
import { detailVerbs } from "../../core/resource/item-routes";
import { idParam } from "../../core/resource/params";
import { resourceRoutes } from "../../core/resource/routes";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import { callCycleResource, callCycleResponse, createCallCycleBody } from "./call-cycles.resource";
import {
  addLocationsBody,
  locationParams,
  locationSchema,
  MAX_LOCATIONS_PER_REQUEST,
  MAX_STATUS_DAYS,
  statusQuery,
  statusSchema,
  todayCallSchema,
  todayQuery,
  UPCOMING_DAYS,
} from "./call-cycles.schemas";
import {
  addLocations,
  createCallCycle,
  cycleStatus,
  getCallCycle,
  removeLocation,
  todaysCalls,
  updateCallCycle,
} from "./call-cycles.service";

const tags = ["call_cycles"];

/** The kit's five routes (answering with the locations) and the cycle's own verbs. */
const cycleRoutes = resourceRoutes(callCycleResource, {
  ...detailVerbs(callCycleResponse, createCallCycleBody, {
    create: createCallCycle,
    get: getCallCycle,
    update: updateCallCycle,
  }),
  docs: {
    list: "Cycles whose owner or creator is in your data scope (an agent: their own; a team leader: their team's; managers: their subtree's; admins: all).",
    create:
      "`owner_id` defaults to you and must be a member of the tenant; `team_id` a team of the tenant; `end_date` on or after `start_date` (400 naming `end_date`). Answers with `locations` (empty).",
    get: "With its live locations (frequency, window, assignee, shop name), in one round trip. The ETag changes when a location is added or removed.",
    update:
      "`end_date` must stay on or after `start_date` (also against the stored value; 400 naming `end_date`). Locations change through their own routes.",
    delete: "Its locations plan nothing afterwards.",
  },
})
  .openapi(
    route({
      method: "post",
      path: "/{id}/locations",
      summary: "Add locations to a call cycle",
      description: `One location, or \`{"locations": [...]}\` with up to ${MAX_LOCATIONS_PER_REQUEST}, in one atomic statement with an audit row each. Frequencies: \`weekly\` on \`weekdays\` (ISO 1 = Monday … 7 = Sunday); \`every_n_weeks\` on \`weekdays\` of every \`interval_weeks\`-th week (2–12), counted from the cycle's start week (which is due); \`monthly\` on \`month_day\` 1–31, clamped to the month's last day. Optional local time window \`window_start\`/\`window_end\` (HH:MM, tenant time zone). Assign \`agent_id\` or \`team_id\`; neither: the cycle's owner. \`shop_id\` must be a live shop of the tenant, \`agent_id\` a member, \`team_id\` a team (404 naming the field, e.g. \`locations.2.shop_id\`); a shop already in the cycle is a 409 naming it; a shop listed twice a 400. Nothing is written on any refusal. Bumps the cycle's version. Honours Idempotency-Key.`,
      tags,
      permission: "call_cycles:write",
      params: idParam,
      body: addLocationsBody,
      responses: { 201: jsonResponse(dataEnvelope(z.array(locationSchema)), "The new locations") },
      errors: {
        404: "Call cycle not found, or Shop / User / Team not found (naming the field)",
        409: "The shop is already in the call cycle (naming the field)",
      },
    }),
    async (c) => {
      const data = await addLocations(tenantContext(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ data }, 201);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/{id}/locations/{location_id}",
      summary: "Remove a location from a call cycle",
      description: "Soft delete, audited; the shop may be added again. Bumps the cycle's version.",
      tags,
      permission: "call_cycles:write",
      params: locationParams,
      responses: { 204: emptyResponse("Removed") },
      errors: { 404: "Call cycle not found, or Call cycle location not found" },
    }),
    async (c) => {
      const { id, location_id } = c.req.valid("param");
      await removeLocation(tenantContext(c), id, location_id);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/{id}/status",
      summary: "Adherence status and upcoming schedule of a call cycle",
      description: `Every planned call of the cycle from \`start_date\` to \`end_date\` (inclusive, tenant-local days; default the current ISO week, Monday–Sunday; at most ${MAX_STATUS_DAYS} days) — a location is planned on each day its frequency names between the cycle's \`start_date\` and \`end_date\`, expanded in the tenant's time zone — each with its state: \`done\` (a completed visit at the shop by an assignee — the assigned agent, a direct member of the assigned team, or the cycle's owner for an unassigned location — on that tenant-local day, its first completion at or before \`window_end\` or without a window; an early visit counts), \`late\` (completed that day, but only after \`window_end\`), \`missed\` (the day is before today, no completed visit), \`upcoming\` (today or later, not done yet). The day of a visit is the tenant-local day it was completed. \`summary\`, \`by_agent\` (calls assigned to an agent or to the owner) and \`by_team\` (calls assigned to a team) count the states; \`adherence\` = (done + late) ÷ (done + late + missed) × 100, 2 decimals, null when nothing was due. \`upcoming\` is the schedule of the next ${UPCOMING_DAYS} days from today (today included) with their states. Read from the plan tables and the per-shop daily visit rollup (kept by the queue within seconds of a completion, rebuilt every 15 minutes for today and nightly for yesterday), in one round trip. Only active cycles plan calls; a soft-deleted shop plans none.`,
      tags,
      permission: "call_cycles:write",
      params: idParam,
      query: statusQuery,
      responses: { 200: jsonResponse(dataEnvelope(statusSchema), "The cycle's status") },
    }),
    async (c) => {
      const data = await cycleStatus(tenantContext(c), c.req.valid("param").id, c.req.valid("query"));
      return c.json({ data }, 200);
    },
  );

/**
 * `/api/call_cycles`: `GET /today` is declared before the kit's `/{id}` so "today" is never read as
 * an id.
 */
export const callCycleRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/today",
      summary: "Your planned calls for a day",
      description:
        "The calls planned for you (as a location's agent, through a team you are a member of, or as owner of a cycle's unassigned locations) on `date` (tenant-local; default today), by window and shop, with the shop's name and position and each call's state (as in the status route: done, late, missed, upcoming). One round trip.",
      tags,
      permission: "call_cycles:read",
      query: todayQuery,
      responses: { 200: jsonResponse(dataEnvelope(z.array(todayCallSchema)), "Your planned calls") },
    }),
    async (c) => c.json({ data: await todaysCalls(tenantContext(c), c.req.valid("query").date) }, 200),
  )
  .route("/", cycleRoutes);
