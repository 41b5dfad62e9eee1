import { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { keysetPage, pageRequest, pageWindow } from "../../core/pagination";
import { type Decision, decideLeave, insertLeave, selectLeave, selectLeaveRequest } from "./leave.repo";
import type { CreateLeaveInput, DecideLeaveInput, LeaveRequestDto, ListLeaveQuery } from "./leave.schemas";

/** Files a leave request (one round trip); an overlapping pending or approved one is a 409. */
export async function createLeave(ctx: TenantContext, input: CreateLeaveInput): Promise<LeaveRequestDto> {
  const { row, refusal } = await insertLeave(ctx, input);
  if (row) return row;
  if (refusal === "overlap") {
    throw ApiError.conflict("Overlaps another pending or approved leave request", [
      { field: "start_date", message: "The employee already has leave on some of these days" },
    ]);
  }
  if (refusal === "forbidden")
    throw ApiError.forbidden("Only an approver (leave:approve) files leave for another employee");
  if (input.employee_id) throw ApiError.notFound("Employee");
  throw new ApiError("VALIDATION_ERROR", "You are not an employee of this tenant", {
    status: 422,
    details: [{ field: "employee_id", message: "No employee record is linked to your user" }],
  });
}

/** Approve, reject or cancel (one round trip): 404 unseen, 403 without the right, 409 in the wrong state. */
export async function decide(
  ctx: TenantContext,
  id: string,
  decision: Decision,
  input: DecideLeaveInput,
): Promise<LeaveRequestDto> {
  const { row, refusal, status } = await decideLeave(ctx, id, decision, input.note ?? null);
  if (row) return row;
  if (refusal === "forbidden") {
    throw ApiError.forbidden(
      decision === "cancel"
        ? "Only the employee, their department's manager or an approver may cancel it"
        : "Only the employee's department manager or an approver (leave:approve) may decide it",
    );
  }
  if (refusal === "state") throw ApiError.conflict(`The leave request is ${status}`);
  throw ApiError.notFound("Leave request");
}

const leaveKey = z.tuple([z.string().max(100), z.uuid()]);

export async function listLeave(ctx: TenantContext, query: ListLeaveQuery) {
  const request = pageRequest(query, leaveKey);
  const { rows, total } = await selectLeave(ctx, {
    employeeId: query.employee_id,
    status: query.status,
    after: request.after && { createdAt: request.after[0], id: request.after[1] },
    ...pageWindow(request),
  });
  const page = keysetPage(rows, request, total, (row) => [row.key, row.id] as [string, string]);
  return { data: page.items.map(({ key: _key, ...item }) => item), pagination: page.pagination };
}

export async function getLeave(ctx: TenantContext, id: string): Promise<LeaveRequestDto> {
  const row = await selectLeaveRequest(ctx, id);
  if (!row) throw ApiError.notFound("Leave request");
  return row;
}
