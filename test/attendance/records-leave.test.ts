import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { attendanceRecords, employees, leaveRequests } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import {
  attendanceTenant,
  insertDepartment,
  insertEmployee,
  insertShift,
  localDate,
  OFFICE,
  punch,
  zoned,
} from "./support";

const JNB = "Africa/Johannesburg";
type Rec = { id: string; employee_id: string; work_date: string; status: string };
type Leave = { id: string; status: string; employee_id: string; decided_by: string | null };

describe("attendance records", () => {
  it("an employee sees their own records, an admin all; filters by employee, department, status and dates", async () => {
    const tenant = await attendanceTenant();
    const shiftId = await insertShift(tenant, { startTime: "09:00", endTime: "17:00", graceLateMinutes: 0 });
    const deptA = await insertDepartment(tenant);
    const deptB = await insertDepartment(tenant);
    const admin = await createUser(tenant, ["admin"]);
    const u1 = await createUser(tenant, ["member"]);
    const u2 = await createUser(tenant, ["member"]);
    const e1 = await insertEmployee(tenant, {
      userId: u1.user.id,
      defaultShiftId: shiftId,
      departmentId: deptA,
    });
    const e2 = await insertEmployee(tenant, {
      userId: u2.user.id,
      defaultShiftId: shiftId,
      departmentId: deptB,
    });
    const days = [-4, -3, -2].map((d) => localDate(Date.now(), JNB, d));
    const made: { emp: string; day: string; status: string; id: string }[] = [];
    for (const [i, day] of days.entries()) {
      for (const [u, emp] of [
        [u1, e1],
        [u2, e2],
      ] as const) {
        const time = i === 1 && emp === e2 ? "09:30" : "08:55";
        const res = await punch("check-in", u.token, {
          ...OFFICE,
          client_id: `${emp}-${day}`,
          taken_at: zoned(day, time, JNB),
        });
        expect(res.status, res.text).toBe(201);
        made.push({ emp, day, status: time === "09:30" ? "late" : "present", id: res.json.data.id });
      }
    }
    const list = (token: string, q = "") =>
      call<{ data: Rec[]; pagination: { total: number | null; next_cursor: string | null } }>(
        "GET",
        `/api/attendance/records?include_total=true${q}`,
        { token },
      );
    const own = await list(u1.token);
    expect(own.status).toBe(200);
    expect(roundTrips(own.headers)).toBe(1);
    expect(own.json.data.map((r) => r.id)).toEqual(
      made
        .filter((m) => m.emp === e1)
        .map((m) => m.id)
        .reverse(),
    );
    const all = await list(admin.token);
    expect(all.json.pagination.total).toBe(6);
    expect(all.json.data.map((r) => r.work_date)).toEqual(
      [...all.json.data.map((r) => r.work_date)].sort().reverse(),
    );
    expect(
      (await list(admin.token, `&department_id=${deptB}`)).json.data.every((r) => r.employee_id === e2),
    ).toBe(true);
    expect((await list(admin.token, `&employee_id=${e1}`)).json.pagination.total).toBe(3);
    const late = await list(admin.token, "&status=late");
    expect(late.json.data.map((r) => r.id)).toEqual(made.filter((m) => m.status === "late").map((m) => m.id));
    const ranged = await list(admin.token, `&from=${days[1]}&to=${days[2]}`);
    expect(ranged.json.pagination.total).toBe(4);
    // Keyset walk, 2 per page.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        admin.token,
        `&page_size=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      seen.push(...page.json.data.map((r) => r.id));
      cursor = page.json.pagination.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.json.data.map((r) => r.id));
    // Detail: own yes, someone else's 404 for an employee.
    const mine = made.find((m) => m.emp === e1) as { id: string };
    const theirs = made.find((m) => m.emp === e2) as { id: string };
    expect((await call("GET", `/api/attendance/records/${mine.id}`, { token: u1.token })).status).toBe(200);
    expect((await call("GET", `/api/attendance/records/${theirs.id}`, { token: u1.token })).status).toBe(404);
    expect((await call("GET", `/api/attendance/records/${theirs.id}`, { token: admin.token })).status).toBe(
      200,
    );
    expect((await list(admin.token, "&from=2026-12-05&to=2026-12-01")).status).toBe(400);
  });

  describeTenantIsolation({
    name: "GET /api/attendance/records/{id}",
    method: "GET",
    path: (id) => `/api/attendance/records/${id}`,
    permission: "attendance:read",
    create: async (tenant) => {
      const user = await createUser(tenant, ["member"]);
      await insertEmployee(tenant, { userId: user.user.id });
      const res = await punch("check-in", user.token, { ...OFFICE, client_id: "iso" });
      return res.json.data.id;
    },
    snapshot: async (tenant, id) =>
      testDb()
        .select()
        .from(attendanceRecords)
        .where(and(eq(attendanceRecords.tenantId, tenant.id), eq(attendanceRecords.id, id))),
  });
});

async function leaveSetup() {
  const tenant = await attendanceTenant();
  const shiftId = await insertShift(tenant, {
    startTime: "09:00",
    endTime: "17:00",
    weekdays: [1, 2, 3, 4, 5],
  });
  const admin = await createUser(tenant, ["admin"]);
  const managerUser = await createUser(tenant, ["member"]);
  const managerId = await insertEmployee(tenant, { userId: managerUser.user.id, defaultShiftId: shiftId });
  const dept = await insertDepartment(tenant, managerId);
  await testDb()
    .update(employees)
    .set({ departmentId: dept })
    .where(and(eq(employees.tenantId, tenant.id), eq(employees.id, managerId)));
  const staff = await createUser(tenant, ["member"]);
  const staffId = await insertEmployee(tenant, {
    userId: staff.user.id,
    defaultShiftId: shiftId,
    departmentId: dept,
  });
  const outsider = await createUser(tenant, ["member"]);
  await insertEmployee(tenant, { userId: outsider.user.id, defaultShiftId: shiftId });
  return { tenant, admin, managerUser, managerId, staff, staffId, outsider };
}

const file = (token: string, body: Record<string, unknown>) =>
  call<{ data: Leave }>("POST", "/api/leave-requests", { token, body });
const decide = (token: string, id: string, verb: "approve" | "reject" | "cancel") =>
  call<{ data: Leave }>("POST", `/api/leave-requests/${id}/${verb}`, { token, body: {} });

describe("leave requests", () => {
  it("overlapping requests sent at once: exactly one is filed, the others are 409", async () => {
    const { tenant, staff, staffId } = await leaveSetup();
    const results = await Promise.all(
      ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"].map((start) =>
        file(staff.token, { leave_type: "annual", start_date: start, end_date: "2026-11-06" }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const refused = results.find((r) => r.status === 409);
    expect((refused?.json as unknown as ErrorEnvelope | undefined)?.error.code).toBe("CONFLICT");
    // What makes it hold under any interleaving: the database itself refuses a second live
    // request over the same days (the exclusion constraint), whatever the statement checked.
    const rogue = testDb().insert(leaveRequests).values({
      tenantId: tenant.id,
      id: crypto.randomUUID(),
      employeeId: staffId,
      leaveType: "sick",
      startDate: "2026-11-06",
      endDate: "2026-11-09",
    });
    await expect(rogue).rejects.toThrow();
    const rows = await testDb().select().from(leaveRequests).where(eq(leaveRequests.employeeId, staffId));
    expect(rows).toHaveLength(1);
  });

  it("overlapping requests → 409; half days only for one day; end before start → 400", async () => {
    const { staff, admin } = await leaveSetup();
    const first = await file(staff.token, {
      leave_type: "annual",
      start_date: "2026-12-14",
      end_date: "2026-12-18",
    });
    expect(first.status, first.text).toBe(201);
    expect(roundTrips(first.headers)).toBe(1);
    expect(first.json.data.status).toBe("pending");
    const overlap = await file(staff.token, {
      leave_type: "sick",
      start_date: "2026-12-18",
      end_date: "2026-12-21",
    });
    expect(overlap.status).toBe(409);
    const adjacent = await file(staff.token, {
      leave_type: "sick",
      start_date: "2026-12-19",
      end_date: "2026-12-21",
    });
    expect(adjacent.status).toBe(201);
    expect(
      (
        await file(staff.token, {
          leave_type: "other",
          start_date: "2026-12-22",
          end_date: "2026-12-23",
          half_day: true,
        })
      ).status,
    ).toBe(400);
    expect(
      (await file(staff.token, { leave_type: "other", start_date: "2026-12-22", end_date: "2026-12-21" }))
        .status,
    ).toBe(400);
    // A rejected request no longer blocks its dates; rejecting twice is a 409.
    const rejected = await decide(admin.token, first.json.data.id, "reject");
    expect(rejected.json.data.status).toBe("rejected");
    expect((await decide(admin.token, first.json.data.id, "reject")).status).toBe(409);
    expect(
      (await file(staff.token, { leave_type: "sick", start_date: "2026-12-15", end_date: "2026-12-16" }))
        .status,
    ).toBe(201);
  });

  it("approval by the department's manager or an admin; not by others, not one's own; approved days become on_leave", async () => {
    const { tenant, admin, managerUser, staff, staffId, outsider } = await leaveSetup();
    // 2026-12-14 (Mon) .. 2026-12-20 (Sun): five working days on a Mon–Fri shift.
    const req = await file(staff.token, {
      leave_type: "annual",
      start_date: "2026-12-14",
      end_date: "2026-12-20",
    });
    expect(req.status).toBe(201);
    expect((await decide(outsider.token, req.json.data.id, "approve")).status).toBe(404);
    expect((await decide(staff.token, req.json.data.id, "approve")).status).toBe(403);
    const ok = await decide(managerUser.token, req.json.data.id, "approve");
    expect(ok.status, ok.text).toBe(200);
    expect(roundTrips(ok.headers)).toBe(1);
    expect(ok.json.data).toMatchObject({ status: "approved", decided_by: managerUser.user.id });
    expect((await decide(admin.token, req.json.data.id, "approve")).status).toBe(409);
    const marked = await testDb()
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.tenantId, tenant.id), eq(attendanceRecords.employeeId, staffId)))
      .orderBy(asc(attendanceRecords.workDate));
    expect(marked.map((r) => [r.workDate, r.status])).toEqual(
      ["2026-12-14", "2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18"].map((d) => [d, "on_leave"]),
    );
    // The manager's own request: not by themselves, by an admin.
    const own = await file(managerUser.token, {
      leave_type: "sick",
      start_date: "2026-12-21",
      end_date: "2026-12-21",
      half_day: true,
    });
    expect((await decide(managerUser.token, own.json.data.id, "approve")).status).toBe(403);
    expect((await decide(admin.token, own.json.data.id, "approve")).status).toBe(200);
    // Cancelling the approved leave takes its marks away.
    const cancelled = await decide(staff.token, req.json.data.id, "cancel");
    expect(cancelled.status).toBe(200);
    expect(
      await testDb()
        .select()
        .from(attendanceRecords)
        .where(and(eq(attendanceRecords.tenantId, tenant.id), eq(attendanceRecords.employeeId, staffId))),
    ).toHaveLength(0);
    // Lists: the employee their own, the manager their department's, the admin all.
    const list = async (token: string) =>
      (await call<{ data: Leave[] }>("GET", "/api/leave-requests", { token })).json.data.length;
    expect(await list(staff.token)).toBe(1);
    expect(await list(managerUser.token)).toBe(2);
    expect(await list(admin.token)).toBe(2);
    expect(await list(outsider.token)).toBe(0);
  });

  it("an admin files leave for any employee; a member only for themselves", async () => {
    const { admin, staff, staffId, outsider } = await leaveSetup();
    const body = {
      employee_id: staffId,
      leave_type: "unpaid",
      start_date: "2027-01-04",
      end_date: "2027-01-05",
    };
    expect((await file(outsider.token, body)).status).toBe(403);
    const res = await file(admin.token, body);
    expect(res.status).toBe(201);
    expect(res.json.data.employee_id).toBe(staffId);
    const mine = await call<{ data: Leave }>("GET", `/api/leave-requests/${res.json.data.id}`, {
      token: staff.token,
    });
    expect(mine.status).toBe(200);
    expect(
      (await call("GET", `/api/leave-requests/${res.json.data.id}`, { token: outsider.token })).status,
    ).toBe(404);
  });
});
