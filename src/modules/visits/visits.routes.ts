import { tenantContext } from "../../core/context";
import { eventEmitter } from "../../core/emit";
import { itemRoute, listRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { uploadSite } from "../../core/uploads";
import {
  completeVisitBody,
  listVisitsQuery,
  startVisitBody,
  visitDetailResponse,
  visitListResponse,
  visitPhotosResponse,
  visitResponse,
} from "./visits.schemas";
import { completeVisit, getVisit, listVisitPhotos, listVisits, startVisit } from "./visits.service";

export const visitRoutes = apiRouter()
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Start a visit",
      description:
        "Starts a visit with a survey, a geocode and optionally a shop. The distance to the shop is stored and a visit further away than the tenant's geofence radius is flagged (outside_geofence), not refused. A start resent with the same client_id returns the existing visit with 200.",
      tags: ["visits"],
      permission: "visits:create",
      body: startVisitBody,
      responses: {
        201: jsonResponse(visitResponse, "The new visit", { Location: "The visit's URL" }),
        200: jsonResponse(visitResponse, "The visit this client_id already started"),
      },
      errors: { 404: "Survey not found, or Shop not found (RESOURCE_NOT_FOUND)" },
    }),
    async (c) => {
      const { visit, created } = await startVisit(tenantContext(c), c.req.valid("json"), eventEmitter(c));
      c.header("Location", `/api/visits/${visit.id}`);
      return created ? c.json({ data: visit }, 201) : c.json({ data: visit }, 200);
    },
  )
  .openapi(
    route({
      ...onRow("visits"),
      method: "put",
      path: "/{id}/complete",
      summary: "Complete a visit",
      description:
        "The visit's own agent completes it with answers (checked against the survey: required questions, types, options, ranges — every problem on its own field) and the ids of photos taken. The checks and the write are one database statement, so a refusal writes nothing. Completing twice is a 409 — unless the retry carries the same Idempotency-Key, which replays the first response.",
      permission: "visits:create",
      body: completeVisitBody,
      responses: { 200: jsonResponse(visitResponse, "The completed visit") },
      errors: { 404: "Visit not found", 409: "This visit is already completed (CONFLICT)" },
    }),
    async (c) => {
      const visit = await completeVisit(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        eventEmitter(c),
      );
      return c.json({ data: visit }, 200);
    },
  )
  .openapi(
    ...listRoute(
      {
        path: "/",
        summary: "List visits",
        description:
          "Newest first, keyset paging (cursor). Scoped by role: an agent sees their own, a team leader their team's, managers their subtree, admins all.",
        tags: ["visits"],
        permission: "visits:read",
        query: listVisitsQuery,
        responses: { 200: jsonResponse(visitListResponse, "A page of visits") },
      },
      listVisits,
    ),
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("visits", "Visit"),
        summary: "Get a visit",
        description: "The visit with its answers and photos, if it is in your scope.",
        permission: "visits:read",
        responses: { 200: jsonResponse(visitDetailResponse, "The visit") },
      },
      getVisit,
    ),
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("visits", "Visit"),
        path: "/{id}/photos",
        summary: "List a visit's photos",
        description: "Photo metadata with a short-lived signed download URL for each uploaded photo.",
        permission: "photos:read",
        responses: { 200: jsonResponse(visitPhotosResponse, "The visit's photos") },
      },
      (ctx, id, c) => listVisitPhotos(ctx, uploadSite(c), id),
    ),
  );
