import { z } from "zod";
import { tenantContext } from "../../core/context";
import { itemRoute, itemWrite, listRoute, onRow } from "../../core/resource/item-routes";
import { idParam } from "../../core/resource/params";
import { apiRouter, jsonResponse, route } from "../../core/route";
import {
  createLeaveBody,
  decideLeaveBody,
  leaveListResponse,
  leaveResponse,
  listLeaveQuery,
} from "./leave.schemas";
import { createLeave, decide, getLeave, listLeave } from "./leave.service";

const decisionParams = z.object({ id: idParam.shape.id });

/** Leave requests: file, list, read, approve / reject (department manager or approver), cancel. */
export const leaveRoutes = apiRouter()
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Request leave",
      description:
        "For your own employee record (or, with leave:approve, the `employee_id` given). A request overlapping a pending or approved one of the employee is a 409. Audited. One round trip.",
      tags: ["attendance"],
      permission: "leave:request",
      body: createLeaveBody,
      responses: { 201: jsonResponse(leaveResponse, "The pending request", { Location: "Its URL" }) },
      errors: { 404: "Employee not found", 409: "Overlaps another leave request (CONFLICT)" },
    }),
    async (c) => {
      const row = await createLeave(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/leave-requests/${row.id}`);
      return c.json({ data: row }, 201);
    },
  )
  .openapi(
    ...listRoute(
      {
        path: "/",
        summary: "List leave requests",
        description:
          "Newest first. Yours (own scope), your department's as its manager, or the tenant's for admins. One round trip.",
        tags: ["attendance"],
        permission: "leave:request",
        query: listLeaveQuery,
        responses: { 200: jsonResponse(leaveListResponse, "A page of leave requests") },
      },
      listLeave,
    ),
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("attendance"),
        summary: "Get a leave request",
        permission: "leave:request",
        responses: { 200: jsonResponse(leaveResponse, "The leave request") },
      },
      getLeave,
    ),
  )
  .openapi(
    ...itemWrite(
      {
        method: "post",
        path: "/{id}/approve",
        summary: "Approve a leave request",
        description:
          "By the manager of the employee's department (not for their own request) or an approver (leave:approve), while pending. Marks each working day of the leave `on_leave` (`half_day` for a half day) unless the day has a check-in. Audited. One round trip.",
        tags: ["attendance"],
        permission: "leave:request",
        params: decisionParams,
        body: decideLeaveBody,
        optionalBody: true,
        responses: { 200: jsonResponse(leaveResponse, "The approved request") },
        errors: { 409: "Not pending (CONFLICT)" },
      },
      (ctx, id, body) => decide(ctx, id, "approve", body),
    ),
  )
  .openapi(
    ...itemWrite(
      {
        method: "post",
        path: "/{id}/reject",
        summary: "Reject a leave request",
        description: "Same rights as approving, while pending. Audited. One round trip.",
        tags: ["attendance"],
        permission: "leave:request",
        params: decisionParams,
        body: decideLeaveBody,
        optionalBody: true,
        responses: { 200: jsonResponse(leaveResponse, "The rejected request") },
        errors: { 409: "Not pending (CONFLICT)" },
      },
      (ctx, id, body) => decide(ctx, id, "reject", body),
    ),
  )
  .openapi(
    ...itemWrite(
      {
        method: "post",
        path: "/{id}/cancel",
        summary: "Cancel a leave request",
        description:
          "By the employee, their department's manager or an approver, while pending or approved; an approved leave's `on_leave` marks are removed. Audited. One round trip.",
        tags: ["attendance"],
        permission: "leave:request",
        params: decisionParams,
        body: decideLeaveBody,
        optionalBody: true,
        responses: { 200: jsonResponse(leaveResponse, "The cancelled request") },
        errors: { 409: "Not pending or approved (CONFLICT)" },
      },
      (ctx, id, body) => decide(ctx, id, "cancel", body),
    ),
  );
