import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { checkPaging, listPagingQuery } from "../../core/pagination";
import { uuidParam } from "../../core/resource/params";
import { LEAVE_STATUSES, LEAVE_TYPES } from "../../db/schema";
import { calendarDate } from "./attendance.schemas";

export const leaveRequestSchema = z
  .object({
    id: z.uuid(),
    employee_id: z.uuid(),
    user_id: z.uuid().nullable(),
    leave_type: z.enum(LEAVE_TYPES),
    start_date: z.string(),
    end_date: z.string(),
    half_day: z.boolean(),
    reason: z.string().nullable(),
    status: z.enum(LEAVE_STATUSES),
    decided_by: z.uuid().nullable(),
    decided_at: z.iso.datetime().nullable(),
    decision_note: z.string().nullable(),
    version: z.number().int(),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("LeaveRequest");

export type LeaveRequestDto = z.infer<typeof leaveRequestSchema>;

export const leaveResponse = dataEnvelope(leaveRequestSchema);
export const leaveListResponse = listEnvelope(leaveRequestSchema);

export const createLeaveBody = z
  .strictObject({
    employee_id: uuidParam
      .optional()
      .describe("Default: your own employee record; another employee's needs leave:approve"),
    leave_type: z.enum(LEAVE_TYPES),
    start_date: calendarDate,
    end_date: calendarDate,
    half_day: z.boolean().optional().describe("A half day: only for a one-day leave"),
    reason: z.string().trim().max(1000).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.end_date < b.start_date) {
      ctx.addIssue({ code: "custom", path: ["end_date"], message: "Must not be before start_date" });
    }
    if (b.half_day && b.end_date !== b.start_date) {
      ctx.addIssue({ code: "custom", path: ["half_day"], message: "Only for a one-day leave" });
    }
    if (Date.parse(b.end_date) - Date.parse(b.start_date) > 366 * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["end_date"], message: "At most a year" });
    }
  });

export type CreateLeaveInput = z.infer<typeof createLeaveBody>;

export const decideLeaveBody = z.strictObject({
  note: z.string().trim().max(1000).optional(),
});

export type DecideLeaveInput = z.infer<typeof decideLeaveBody>;

export const listLeaveQuery = z
  .strictObject({
    employee_id: uuidParam.optional(),
    status: z.enum(LEAVE_STATUSES).optional(),
    ...listPagingQuery,
  })
  .superRefine((q, ctx) => checkPaging(q, ctx));

export type ListLeaveQuery = z.infer<typeof listLeaveQuery>;
