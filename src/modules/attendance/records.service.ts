import { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { keysetPage, pageRequest, pageWindow } from "../../core/pagination";
import { selectRecord, selectRecords } from "./records.repo";
import type { ListRecordsQuery } from "./records.schemas";

const recordKey = z.tuple([z.iso.date(), z.uuid()]);

/** Records in the caller's scope (an employee: their own; admins: all), newest day first. One round trip. */
export async function listRecords(ctx: TenantContext, query: ListRecordsQuery) {
  const request = pageRequest(query, recordKey);
  const { rows, total } = await selectRecords(ctx, {
    employeeId: query.employee_id,
    departmentId: query.department_id,
    status: query.status,
    from: query.from,
    to: query.to,
    after: request.after && { workDate: request.after[0], id: request.after[1] },
    ...pageWindow(request),
  });
  const page = keysetPage(rows, request, total, (row) => [row.work_date, row.id] as [string, string]);
  return { data: page.items, pagination: page.pagination };
}

export async function getRecord(ctx: TenantContext, id: string) {
  const row = await selectRecord(ctx, id);
  if (!row) throw ApiError.notFound("Attendance record");
  return row;
}
