import { tenantContext } from "../../core/context";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { onRow } from "../../core/resource/item-routes";
import { resourceRoutes } from "../../core/resource/routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { mountReport } from "../analytics";
import { DEAL_PERMISSIONS } from "./deals.permissions";
import { dealResource } from "./deals.resource";
import { activitiesQuery, activityItem, commentBody } from "./deals.schemas";
import { addComment, createDeal, deleteDeal, listActivities, updateDeal } from "./deals.service";
import { dealsFunnelReport } from "./reports/deals-funnel.report";
import { dealsSummaryReport } from "./reports/deals-summary.report";
import { taskResource } from "./tasks.resource";
import { createTask, listTasks, taskListQuery } from "./tasks.service";

const PIPELINE =
  "Stages in order: qualification → proposal → negotiation → closed; status open | won | lost, and won/lost go with closed (setting won or lost closes the deal and stamps `closed_at`). Won needs an amount above 0 (400 naming `amount`). A move to an earlier stage — reopening a closed deal included (status open without a stage goes back to negotiation) — needs `deals:rollback` (owner, admin; 403 otherwise). Every stage or status change writes an activity (who, from, to, when) in the same statement. Without If-Match, a deal changed by someone else since this request read it answers 409; with a stale If-Match 412.";

/** `/api/deals` (seed 004): the kit's five routes with the pipeline's writes, and the activities. */
export const dealRoutes = resourceRoutes(dealResource, {
  create: { run: createDeal },
  update: { response: dealResource.schemas.response, run: updateDeal },
  delete: { run: deleteDeal },
  docs: {
    list: "Members see the deals they created or own; owner, admin and manager the whole tenant.",
    create: `The owner defaults to you. ${PIPELINE}`,
    update: PIPELINE,
    delete: "The deal's activities stay (append-only).",
  },
})
  .openapi(
    route({
      ...onRow("deals"),
      method: "get",
      path: "/{id}/activities",
      summary: "List a deal's activities",
      description:
        "Stage and status changes (who, from, to, when) and comments, newest first; `pagination.total` always. 404 unless you may see the deal.",
      permission: DEAL_PERMISSIONS.read,
      query: activitiesQuery,
      responses: { 200: jsonResponse(listEnvelope(activityItem), "One page of activities") },
    }),
    async (c) =>
      c.json(await listActivities(tenantContext(c), c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(
    route({
      ...onRow("deals"),
      method: "post",
      path: "/{id}/activities",
      summary: "Comment on a deal",
      description:
        "A comment is an activity (kind `comment`); activities are append-only. Audited. 404 unless you may see the deal.",
      permission: DEAL_PERMISSIONS.write,
      body: commentBody,
      responses: { 201: jsonResponse(dataEnvelope(activityItem), "The comment") },
    }),
    async (c) =>
      c.json({ data: await addComment(tenantContext(c), c.req.valid("param").id, c.req.valid("json")) }, 201),
  );

/** `/api/tasks` (seed 004): the kit's routes; `mine`, `overdue` and `due_before` filters. */
export const taskRoutes = resourceRoutes(taskResource, {
  list: { query: taskListQuery, response: taskResource.schemas.listResponse, run: listTasks },
  create: { run: createTask },
  docs: {
    list: "Members see the tasks they created or are assigned; owner, admin and manager the whole tenant.",
    create: "The assignee defaults to you.",
  },
});

/** `/api/analytics/deals/*` (seed 004): the summary and the funnel, over the deal rollups. */
export const dealAnalyticsRoutes = apiRouter();
mountReport(dealAnalyticsRoutes, "analytics", dealsSummaryReport);
mountReport(dealAnalyticsRoutes, "analytics", dealsFunnelReport);
