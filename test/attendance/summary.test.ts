import { describe, expect, it } from "vitest";
import { CRON_HOURLY } from "../../src/jobs/scheduled";
import { createUser } from "../helpers/factories";
import { call, roundTrips } from "../helpers/http";
import {
  attendanceTenant,
  insertDepartment,
  insertEmployee,
  insertShift,
  minutesBetween,
  OFFICE,
  punch,
  runCron,
  zoned,
} from "./support";

const JNB = "Africa/Johannesburg";
const STATUSES = ["present", "late", "absent", "on_leave", "half_day", "missing_checkout"] as const;
type Counts = Record<
  (typeof STATUSES)[number] | "employees" | "worked_minutes" | "late_minutes" | "overtime_minutes",
  number
>;
type Summary = {
  from: string;
  to: string;
  totals: Counts;
  by_department: (Counts & { department_id: string | null })[];
  by_day: (Counts & { day: string })[];
};

/** The rows the test expects, with the department each belongs to and its minutes. */
interface Expected {
  dept: string | null;
  day: string;
  status: (typeof STATUSES)[number];
  worked: number;
  late: number;
}

function tally(rows: Expected[]): Counts {
  const c = Object.fromEntries(
    [...STATUSES, "employees", "worked_minutes", "late_minutes", "overtime_minutes"].map((k) => [k, 0]),
  ) as Counts;
  for (const r of rows) {
    c[r.status] += 1;
    c.employees += 1;
    c.worked_minutes += r.worked;
    c.late_minutes += r.late;
    // Scheduled: 8 h less the 30-minute break; only a checked-out day has worked minutes.
    c.overtime_minutes += Math.max(0, r.worked - (8 * 60 - 30));
  }
  return c;
}

describe("GET /api/attendance/summary (from the rollups)", () => {
  it("per department and per day, every figure from the rows the test made; scopes and other tenants", async () => {
    const tenant = await attendanceTenant();
    const other = await attendanceTenant();
    const shift = await insertShift(tenant, { startTime: "09:00", endTime: "17:00", breakMinutes: 30 });
    const otherShift = await insertShift(other, { startTime: "09:00", endTime: "17:00" });
    const deptA = await insertDepartment(tenant);
    const deptB = await insertDepartment(tenant);
    const admin = await createUser(tenant, ["admin"]);
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(tenant, ["member"])));
    const depts = [deptA, deptA, deptB, null];
    const emps: string[] = [];
    for (const [i, u] of users.entries()) {
      emps.push(
        await insertEmployee(tenant, {
          userId: u.user.id,
          defaultShiftId: shift,
          departmentId: depts[i] ?? null,
          hireDate: "2026-09-01",
        }),
      );
    }
    await insertEmployee(other, { defaultShiftId: otherShift, hireDate: "2026-09-01" }); // absent every day
    const expected: Expected[] = [];
    const checkIn = async (i: number, day: string, time: string) => {
      const res = await punch("check-in", (users[i] as { token: string }).token, {
        ...OFFICE,
        client_id: `in-${i}-${day}`,
        taken_at: zoned(day, time, JNB),
      });
      expect(res.status, res.text).toBe(201);
    };
    // 14 Sep: e0 on time, e1 20 minutes late, e2 nothing (absent), e3 on time.
    await checkIn(0, "2026-09-14", "08:50");
    await checkIn(1, "2026-09-14", "09:20");
    await checkIn(3, "2026-09-14", "09:00");
    for (const i of [0, 1, 3]) {
      await punch("check-out", (users[i] as { token: string }).token, {
        ...OFFICE,
        client_id: `out-${i}-14`,
        taken_at: zoned("2026-09-14", "17:00", JNB),
      });
    }
    const w = (a: string, b: string) =>
      minutesBetween(zoned("2026-09-14", a, JNB), zoned("2026-09-14", b, JNB)) - 30;
    expected.push(
      { dept: deptA, day: "2026-09-14", status: "present", worked: w("08:50", "17:00"), late: 0 },
      { dept: deptA, day: "2026-09-14", status: "late", worked: w("09:20", "17:00"), late: 20 },
      { dept: deptB, day: "2026-09-14", status: "absent", worked: 0, late: 0 },
      { dept: null, day: "2026-09-14", status: "present", worked: w("09:00", "17:00"), late: 0 },
    );
    await runCron(CRON_HOURLY, new Date(zoned("2026-09-15", "00:30", JNB)));
    // 15 Sep: e2 on approved leave, e0 in and out, e1 nothing, e3 in but never out.
    const leave = await call<{ data: { id: string } }>("POST", "/api/leave-requests", {
      token: admin.token,
      body: { employee_id: emps[2], leave_type: "annual", start_date: "2026-09-15", end_date: "2026-09-15" },
    });
    expect(
      (await call("POST", `/api/leave-requests/${leave.json.data.id}/approve`, { token: admin.token }))
        .status,
    ).toBe(200);
    await checkIn(0, "2026-09-15", "08:58");
    await punch("check-out", (users[0] as { token: string }).token, {
      ...OFFICE,
      client_id: "out-0-15",
      taken_at: zoned("2026-09-15", "17:05", JNB),
    });
    await checkIn(3, "2026-09-15", "09:00");
    expected.push(
      {
        dept: deptA,
        day: "2026-09-15",
        status: "present",
        worked: minutesBetween(zoned("2026-09-15", "08:58", JNB), zoned("2026-09-15", "17:05", JNB)) - 30,
        late: 0,
      },
      { dept: deptA, day: "2026-09-15", status: "absent", worked: 0, late: 0 },
      { dept: deptB, day: "2026-09-15", status: "on_leave", worked: 0, late: 0 },
      { dept: null, day: "2026-09-15", status: "missing_checkout", worked: 0, late: 0 },
    );
    await runCron(CRON_HOURLY, new Date(zoned("2026-09-16", "00:30", JNB)));
    await runCron(CRON_HOURLY, new Date(zoned("2026-09-16", "00:30", JNB))); // twice: same figures

    const get = (token: string, q: string) =>
      call<{ data: Summary }>("GET", `/api/attendance/summary?${q}`, { token });
    const res = await get(admin.token, "from=2026-09-14&to=2026-09-15");
    expect(res.status, res.text).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.from).toBe("2026-09-14");
    expect(res.json.data.to).toBe("2026-09-15");
    expect(res.json.data.totals).toEqual(tally(expected));
    const byDept = [deptA, deptB, null].map((d) => ({
      department_id: d,
      ...tally(expected.filter((e) => e.dept === d)),
    }));
    const sortKey = (x: { department_id: string | null }) => x.department_id ?? "";
    expect([...res.json.data.by_department].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
      byDept.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );
    expect(res.json.data.by_day).toEqual(
      ["2026-09-14", "2026-09-15"].map((day) => ({ day, ...tally(expected.filter((e) => e.day === day)) })),
    );
    // One department, one day.
    const one = await get(admin.token, `from=2026-09-15&to=2026-09-15&department_id=${deptA}`);
    expect(one.json.data.totals).toEqual(
      tally(expected.filter((e) => e.dept === deptA && e.day === "2026-09-15")),
    );
    // An own-scope employee may not read the tenant's summary.
    expect((await get((users[0] as { token: string }).token, "from=2026-09-14")).status).toBe(403);
    expect((await get(admin.token, "from=2026-09-15&to=2026-09-14")).status).toBe(400);
  });
});
