import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { attendanceRecords } from "../../src/db/schema";
import { CRON_HOURLY } from "../../src/jobs/scheduled";
import { testDb } from "../helpers/db";
import { createUser } from "../helpers/factories";
import { call } from "../helpers/http";
import {
  attendanceTenant,
  insertDepartment,
  insertEmployee,
  insertShift,
  OFFICE,
  punch,
  runCron,
  zoned,
} from "./support";

const rowsOf = (tenantId: string) =>
  testDb()
    .select()
    .from(attendanceRecords)
    .where(eq(attendanceRecords.tenantId, tenantId))
    .orderBy(asc(attendanceRecords.employeeId), asc(attendanceRecords.workDate));

describe("the daily absence job (hourly cron)", () => {
  it("marks absent, on_leave and missing_checkout across a DST change; a second run changes nothing", async () => {
    const tz = "Europe/Berlin";
    const tenant = await attendanceTenant({ timezone: tz });
    const night = await insertShift(tenant, { startTime: "22:00", endTime: "06:00" }); // every day
    const weekdays = await insertShift(tenant, {
      startTime: "09:00",
      endTime: "17:00",
      weekdays: [1, 2, 3, 4, 5],
    });
    const admin = await createUser(tenant, ["admin"]);
    const worker = await createUser(tenant, ["member"]);
    const hired = "2026-10-01";
    const absentId = await insertEmployee(tenant, { defaultShiftId: night, hireDate: hired });
    const openId = await insertEmployee(tenant, {
      userId: worker.user.id,
      defaultShiftId: night,
      hireDate: hired,
    });
    const leaveId = await insertEmployee(tenant, { defaultShiftId: night, hireDate: hired });
    const weekdayId = await insertEmployee(tenant, { defaultShiftId: weekdays, hireDate: hired }); // Sunday off
    const notYet = await insertEmployee(tenant, { defaultShiftId: night, hireDate: "2026-10-26" });
    const noShift = await insertEmployee(tenant, { hireDate: hired });
    const leave = await call<{ data: { id: string } }>("POST", "/api/leave-requests", {
      token: admin.token,
      body: { employee_id: leaveId, leave_type: "sick", start_date: "2026-10-25", end_date: "2026-10-25" },
    });
    expect(leave.status, leave.text).toBe(201);
    // Approve straight in the database so that only the job marks the day.
    await testDb().execute(
      sql`update leave_requests set status = 'approved' where id = ${leave.json.data.id}::uuid`,
    );
    // Checked in at 22:00 on the DST night (25 Oct, clocks go back at 03:00), never out.
    const inAt = zoned("2026-10-25", "22:00", tz);
    const checkIn = await punch("check-in", worker.token, { ...OFFICE, client_id: "open", taken_at: inAt });
    expect(checkIn.status, checkIn.text).toBe(201);

    // 26 Oct 00:30 CET: local yesterday is the 25th (a 25-hour day). The night shift still runs.
    const first = new Date("2026-10-25T23:30:00Z");
    await runCron(CRON_HOURLY, first);
    let rows = await rowsOf(tenant.id);
    const summary = (rs: typeof rows) => rs.map((r) => [r.employeeId, r.workDate, r.status]);
    const expected = [
      [absentId, "2026-10-25", "absent"],
      [openId, "2026-10-25", "present"],
      [leaveId, "2026-10-25", "on_leave"],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(summary(rows)).toEqual(expected);
    const absent = rows.find((r) => r.employeeId === absentId);
    expect(absent?.shiftStart?.toISOString()).toBe(zoned("2026-10-25", "22:00", tz));
    expect(absent?.shiftEnd?.toISOString()).toBe(zoned("2026-10-26", "06:00", tz));
    expect(absent?.leaveRequestId).toBeNull();
    expect(rows.find((r) => r.employeeId === leaveId)?.leaveRequestId).toBe(leave.json.data.id);
    expect(rows.some((r) => [weekdayId, notYet, noShift].includes(r.employeeId))).toBe(false);

    // Twice: the same rows, versions and all.
    await runCron(CRON_HOURLY, first);
    expect(await rowsOf(tenant.id)).toEqual(rows);

    // 26 Oct 07:05 CET: the night shift ended at 06:00 → missing_checkout; run twice.
    const later = new Date("2026-10-26T06:05:00Z");
    await runCron(CRON_HOURLY, later);
    rows = await rowsOf(tenant.id);
    expect(rows.find((r) => r.employeeId === openId)?.status).toBe("missing_checkout");
    await runCron(CRON_HOURLY, later);
    expect(await rowsOf(tenant.id)).toEqual(rows);
  });

  it("a tenant's day closes at its own midnight, not UTC's: the 10th is not marked before it ends", async () => {
    const tenant = await attendanceTenant({ timezone: "Pacific/Auckland" }); // UTC+13 in October
    const shift = await insertShift(tenant, { startTime: "09:00", endTime: "17:00" });
    await insertDepartment(tenant);
    const emp = await insertEmployee(tenant, { defaultShiftId: shift, hireDate: "2026-10-05" });
    // 2026-10-10 10:30Z = 23:30 on the 10th in Auckland: local yesterday is the 9th.
    await runCron(CRON_HOURLY, new Date("2026-10-10T10:30:00Z"));
    const before = await rowsOf(tenant.id);
    expect(before.map((r) => r.workDate)).toEqual(["2026-10-09"]);
    // 11:05Z = 00:05 on the 11th: the 10th closes.
    await runCron(CRON_HOURLY, new Date("2026-10-10T11:05:00Z"));
    const after = await testDb()
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.tenantId, tenant.id), eq(attendanceRecords.employeeId, emp)))
      .orderBy(asc(attendanceRecords.workDate));
    expect(after.map((r) => [r.workDate, r.status])).toEqual([
      ["2026-10-09", "absent"],
      ["2026-10-10", "absent"],
    ]);
  });
});
