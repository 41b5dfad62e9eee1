import { tenantContext } from "../../core/context";
import { itemRoute, listRoute, onRow } from "../../core/resource/item-routes";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { checkIn, checkOut } from "./checkin.service";
import { identify } from "./faces.service";
import {
  attendanceRecordListResponse,
  attendanceRecordResponse,
  identifyBody,
  identifyResponse,
  listRecordsQuery,
  punchBody,
} from "./records.schemas";
import { getRecord, listRecords } from "./records.service";
import { attendanceSummary, summaryQuery, summaryResponse } from "./summary.report";

const PUNCH = `\`employee_id\` is for kiosks (attendance:kiosk); otherwise the employee is the one linked to your user. A resend with the same \`client_id\` returns the same record (200). Offline punches send \`taken_at\` (not in the future, within the tenant's \`offline_check_in_limit_hours\`, else 422). With the tenant's \`face_check_in\` on, \`embedding\` is required and must reach \`face_match_threshold\` (cosine) against the employee's enrolled descriptors, else 422 and nothing is recorded. The nearest work location's distance is stored; outside its radius the punch is flagged (\`outside_geofence\`), or refused (422) when \`attendance_geofence_required\`. A trust score 0–100 and its factors (GPS accuracy, distance, implied travel speed since the previous punch or visit, face score, backdating) are stored. One round trip.`;

/** Check-in and check-out, kiosk identification, the records and the summary. */
export const attendanceRoutes = apiRouter()
  .openapi(
    route({
      method: "post",
      path: "/check-in",
      summary: "Check in",
      description: `Starts the working day's record: the shift's day in its time zone (an overnight shift's punch before its end time belongs to the day it started), \`late_minutes\` counted from the shift's start when beyond its grace. ${PUNCH}`,
      tags: ["attendance"],
      permission: "attendance:check_in",
      body: punchBody,
      responses: {
        201: jsonResponse(attendanceRecordResponse, "Checked in", { Location: "The record's URL" }),
        200: jsonResponse(attendanceRecordResponse, "The record this client_id already made"),
      },
      errors: {
        404: "Employee not found (kiosk)",
        409: "Already checked in for this working day (CONFLICT)",
        422: "Face below the threshold or not enrolled, outside a required geofence, taken_at too old, or no employee record (VALIDATION_ERROR)",
      },
    }),
    async (c) => {
      const { record, created } = await checkIn(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/attendance/records/${record.id}`);
      return created ? c.json({ data: record }, 201) : c.json({ data: record }, 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/check-out",
      summary: "Check out",
      description: `Closes the employee's open record (checked in within the 48 hours before): worked minutes (less the shift's break), early-leave minutes before the shift's end beyond its grace, overtime beyond the shift's scheduled minutes; a day worked less than half its scheduled minutes is a \`half_day\`. ${PUNCH}`,
      tags: ["attendance"],
      permission: "attendance:check_in",
      body: punchBody,
      responses: {
        200: jsonResponse(
          attendanceRecordResponse,
          "Checked out (or the check-out this client_id already made)",
        ),
      },
      errors: {
        404: "Employee not found (kiosk)",
        409: "No open check-in (CONFLICT)",
        422: "Face below the threshold or not enrolled, outside a required geofence, taken_at too old, or no employee record (VALIDATION_ERROR)",
      },
    }),
    async (c) => {
      const { record } = await checkOut(tenantContext(c), c.req.valid("json"));
      return c.json({ data: record }, 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/identify",
      summary: "Identify an employee by face (kiosk)",
      description:
        "The tenant's live employee whose enrolled descriptor is the most similar (cosine) to `embedding`, when it reaches the tenant's threshold; then check in with that `employee_id`. Nothing is written. One round trip.",
      tags: ["attendance"],
      permission: "attendance:kiosk",
      body: identifyBody,
      responses: { 200: jsonResponse(identifyResponse, "The best match") },
      errors: { 422: "Face check-in off, or no employee reaches the threshold (VALIDATION_ERROR)" },
    }),
    async (c) => c.json({ data: await identify(tenantContext(c), c.req.valid("json").embedding) }, 200),
  )
  .openapi(
    ...listRoute(
      {
        path: "/records",
        summary: "List attendance records",
        description:
          "Newest working day first, keyset paging (cursor). Filters: employee, department, status, work_date range. Scoped: an employee sees their own records, admins all. One round trip.",
        tags: ["attendance"],
        permission: "attendance:read",
        query: listRecordsQuery,
        responses: { 200: jsonResponse(attendanceRecordListResponse, "A page of records") },
      },
      listRecords,
    ),
  )
  .openapi(
    ...itemRoute(
      {
        ...onRow("attendance"),
        path: "/records/{id}",
        summary: "Get an attendance record",
        description: "A record in your data scope, with both punches and their trust factors.",
        permission: "attendance:read",
        responses: { 200: jsonResponse(attendanceRecordResponse, "The record") },
      },
      getRecord,
    ),
  )
  .openapi(
    route({
      method: "get",
      path: "/summary",
      summary: "Attendance summary",
      description:
        "Present, late, absent, on leave, half day and missing check-out employee-days (and minutes) per department and per day over `from`..`to` (inclusive, tenant time zone; default the last 7 days), from the rollups the hourly cron keeps. Tenant-wide readers only. One round trip.",
      tags: ["attendance"],
      permission: "attendance:read",
      query: summaryQuery,
      responses: { 200: jsonResponse(summaryResponse, "The summary") },
    }),
    async (c) => c.json({ data: await attendanceSummary(tenantContext(c), c.req.valid("query")) }, 200),
  );
