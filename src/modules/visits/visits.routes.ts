import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { eventEmitter } from "../../core/emit";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { uploadSite } from "../../core/uploads";
import { validate } from "../../core/validation";
import {
  completeVisitBody,
  listVisitsQuery,
  startVisitBody,
  visitDetailResponse,
  visitIdParam,
  visitListResponse,
  visitPhotosResponse,
  visitResponse,
} from "./visits.schemas";
import { completeVisit, getVisit, listVisitPhotos, listVisits, startVisit } from "./visits.service";

export const visitRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .post(
    "/",
    describe({
      summary: "Start a visit",
      description:
        "Starts a visit with a survey, a geocode and optionally a shop. The distance to the shop is stored and a visit further away than the tenant's geofence radius is flagged (outside_geofence), not refused. A start resent with the same client_id returns the existing visit with 200.",
      tags: ["visits"],
      auth: true,
      permission: "visits:create",
      responses: {
        201: { description: "The new visit", schema: visitResponse },
        200: { description: "The visit this client_id already started", schema: visitResponse },
      },
    }),
    requirePermission("visits:create"),
    validate("json", startVisitBody),
    async (c) => {
      const { visit, created } = await startVisit(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/visits/${visit.id}`);
      return c.json({ data: visit }, created ? 201 : 200);
    },
  )
  .put(
    "/:id/complete",
    describe({
      summary: "Complete a visit",
      description:
        "The visit's own agent completes it with answers (checked against the survey: required questions, types, options, ranges) and the ids of photos taken. Completing twice is a 409 — unless the retry carries the same Idempotency-Key, which replays the first response.",
      tags: ["visits"],
      auth: true,
      permission: "visits:create",
      responses: { 200: { description: "The completed visit", schema: visitResponse } },
      errors: ["CONFLICT"],
    }),
    requirePermission("visits:create"),
    validate("param", visitIdParam),
    validate("json", completeVisitBody),
    async (c) => {
      const visit = await completeVisit(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        eventEmitter(c),
      );
      return c.json({ data: visit });
    },
  )
  .get(
    "/",
    describe({
      summary: "List visits",
      description:
        "Newest first, keyset paging (cursor). Scoped by role: an agent sees their own, a team leader their team's, managers their subtree, admins all.",
      tags: ["visits"],
      auth: true,
      permission: "visits:read",
      responses: { 200: { description: "A page of visits", schema: visitListResponse } },
    }),
    requirePermission("visits:read"),
    validate("query", listVisitsQuery),
    async (c) => c.json(await listVisits(tenantContext(c), c.req.valid("query"))),
  )
  .get(
    "/:id",
    describe({
      summary: "Get a visit",
      description: "The visit with its answers and photos, if it is in your scope.",
      tags: ["visits"],
      auth: true,
      permission: "visits:read",
      responses: { 200: { description: "The visit", schema: visitDetailResponse } },
    }),
    requirePermission("visits:read"),
    validate("param", visitIdParam),
    async (c) => c.json({ data: await getVisit(tenantContext(c), c.req.valid("param").id) }),
  )
  .get(
    "/:id/photos",
    describe({
      summary: "List a visit's photos",
      description: "Photo metadata with a short-lived signed download URL for each uploaded photo.",
      tags: ["visits"],
      auth: true,
      permission: "photos:read",
      responses: { 200: { description: "The visit's photos", schema: visitPhotosResponse } },
    }),
    requirePermission("photos:read"),
    validate("param", visitIdParam),
    async (c) =>
      c.json({ data: await listVisitPhotos(tenantContext(c), uploadSite(c), c.req.valid("param").id) }),
  );
