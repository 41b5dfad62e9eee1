import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { attendanceRecords, auditLogs } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createUser } from "../helpers/factories";
import { type ErrorEnvelope, roundTrips } from "../helpers/http";
import {
  attendanceTenant,
  haversine,
  insertEmployee,
  insertShift,
  localDate,
  minutesBetween,
  OFFICE,
  OFFICE_LOCATION,
  punch,
  trustOf,
  zoned,
} from "./support";

type Punch = {
  at: string;
  distance_m: number | null;
  outside_geofence: boolean;
  trust_score: number;
  face_score: number | null;
  location: string | null;
  trust_factors: Record<string, { value: number | null; penalty: number }>;
};
type Rec = {
  id: string;
  work_date: string;
  status: string;
  late_minutes: number;
  early_leave_minutes: number;
  overtime_minutes: number;
  worked_minutes: number;
  shift_start: string | null;
  shift_end: string | null;
  check_in: Punch;
  check_out: Punch | null;
};

const JNB = "Africa/Johannesburg";
const rec = (json: unknown) => (json as { data: Rec }).data;

async function dayShiftSetup(settings: Record<string, unknown> = {}) {
  const tenant = await attendanceTenant(settings);
  const shiftId = await insertShift(tenant, {
    startTime: "09:00",
    endTime: "17:00",
    graceLateMinutes: 10,
    graceEarlyMinutes: 5,
    breakMinutes: 60,
  });
  const user = await createUser(tenant, ["member"]);
  const employeeId = await insertEmployee(tenant, { userId: user.user.id, defaultShiftId: shiftId });
  return { tenant, user, employeeId, shiftId };
}

const backdatedPenalty = (takenAt: string) => {
  const minutes = Math.floor((Date.now() - Date.parse(takenAt)) / 60_000);
  return minutes <= 5 ? 0 : Math.min(20, 5 + Math.floor(minutes / 60));
};

describe("check-in and check-out", () => {
  it("late by the grace ± 1 minute, against the shift in the tenant's zone; one round trip each", async () => {
    const { user } = await dayShiftSetup();
    const cases = [
      { days: -3, time: "09:09", late: 0, status: "present" },
      { days: -4, time: "09:10", late: 0, status: "present" },
      { days: -5, time: "09:11", late: 11, status: "late" },
    ];
    for (const c of cases) {
      const day = localDate(Date.now(), JNB, c.days);
      const takenAt = zoned(day, c.time, JNB);
      const res = await punch("check-in", user.token, {
        lat: OFFICE.lat,
        lng: OFFICE.lng,
        accuracy_m: 12,
        client_id: `in-${c.days}`,
        taken_at: takenAt,
      });
      expect(res.status, res.text).toBe(201);
      expect(roundTrips(res.headers)).toBe(1);
      const r = rec(res.json);
      expect(r.work_date).toBe(day);
      expect(r.shift_start).toBe(new Date(zoned(day, "09:00", JNB)).toISOString());
      expect(r.late_minutes).toBe(c.late);
      expect(r.status).toBe(c.status);
      expect(r.check_in.at).toBe(new Date(takenAt).toISOString());
    }
  });

  it("check-out: worked less the break, early leave beyond its grace, overtime beyond the schedule", async () => {
    const { user } = await dayShiftSetup();
    const day1 = localDate(Date.now(), JNB, -2);
    const day2 = localDate(Date.now(), JNB, -1);
    const plan = [
      { day: day1, in: "09:11", out: "16:50" },
      { day: day2, in: "08:55", out: "18:30" },
    ];
    for (const [i, p] of plan.entries()) {
      const inAt = zoned(p.day, p.in, JNB);
      const outAt = zoned(p.day, p.out, JNB);
      const a = await punch("check-in", user.token, {
        ...OFFICE,
        accuracy_m: 5,
        client_id: `i${i}`,
        taken_at: inAt,
      });
      expect(a.status, a.text).toBe(201);
      const b = await punch("check-out", user.token, {
        ...OFFICE,
        accuracy_m: 5,
        client_id: `o${i}`,
        taken_at: outAt,
      });
      expect(b.status, b.text).toBe(200);
      expect(roundTrips(b.headers)).toBe(1);
      const r = rec(b.json);
      const worked = Math.max(0, minutesBetween(inAt, outAt) - 60);
      const scheduled = 8 * 60 - 60;
      const earlyRaw = Math.max(0, minutesBetween(outAt, zoned(p.day, "17:00", JNB)));
      const lateRaw = Math.max(0, minutesBetween(zoned(p.day, "09:00", JNB), inAt));
      expect(r.worked_minutes).toBe(worked);
      expect(r.early_leave_minutes).toBe(earlyRaw > 5 ? earlyRaw : 0);
      expect(r.overtime_minutes).toBe(Math.max(0, worked - scheduled));
      expect(r.late_minutes).toBe(lateRaw > 10 ? lateRaw : 0);
      expect(r.status).toBe(worked * 2 < scheduled ? "half_day" : lateRaw > 10 ? "late" : "present");
      expect(r.check_out?.at).toBe(new Date(outAt).toISOString());
    }
  });

  it("a resend with the same client_id returns the same record: one row, one audit row", async () => {
    const { tenant, user, employeeId } = await dayShiftSetup();
    const body = {
      ...OFFICE,
      client_id: "same",
      taken_at: zoned(localDate(Date.now(), JNB, -1), "09:00", JNB),
    };
    const first = await punch("check-in", user.token, body);
    const again = await punch("check-in", user.token, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.data.id).toBe(first.json.data.id);
    const rows = await testDb()
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.tenantId, tenant.id), eq(attendanceRecords.employeeId, employeeId)));
    expect(rows).toHaveLength(1);
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.action, "attendance.check_in")));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.entityId).toBe(first.json.data.id);
    // Another check-in the same working day: 409, nothing written.
    const other = await punch("check-in", user.token, { ...body, client_id: "other" });
    expect(other.status).toBe(409);
    expect((other.json as unknown as ErrorEnvelope).error.code).toBe("CONFLICT");
  });

  it("geofence: the nearest work location's distance; outside is flagged, or refused when required", async () => {
    const far = { lat: OFFICE.lat + 0.01, lng: OFFICE.lng }; // ≈ 1.1 km north
    const near2 = { name: "Depot", lat: far.lat + 0.002, lng: far.lng, radius_m: 150 };
    const { user } = await dayShiftSetup();
    const takenAt = zoned(localDate(Date.now(), JNB, -1), "09:00", JNB);
    const res = await punch("check-in", user.token, {
      ...far,
      accuracy_m: 80,
      client_id: "far",
      taken_at: takenAt,
    });
    expect(res.status, res.text).toBe(201);
    const r = rec(res.json);
    const dist = haversine(far, OFFICE_LOCATION);
    expect(r.check_in.distance_m).toBeCloseTo(dist, 0);
    expect(r.check_in.outside_geofence).toBe(true);
    expect(r.check_in.location).toBe("Office");
    const expected = trustOf({
      accuracy: 80,
      dist,
      radius: 100,
      speed: null,
      face: null,
      backdatedMinutes: Math.floor((Date.now() - Date.parse(takenAt)) / 60_000),
    });
    expect(r.check_in.trust_factors.distance?.penalty).toBe(expected.penalties.distance);
    expect(r.check_in.trust_factors.gps_accuracy?.penalty).toBe(3);
    expect(r.check_in.trust_factors.backdated?.penalty).toBe(backdatedPenalty(takenAt));
    expect(r.check_in.trust_score).toBe(expected.score);

    // Several locations: the nearest counts (inside the second one's radius).
    const second = await dayShiftSetup({ attendance_geofence_required: true });
    await testDb().execute(
      sql`update employees set work_locations = ${JSON.stringify([OFFICE_LOCATION, near2])}::jsonb
        where tenant_id = ${second.tenant.id}::uuid and id = ${second.employeeId}::uuid`,
    );
    const inside = { lat: near2.lat - 0.001, lng: near2.lng };
    const ok = await punch("check-in", second.user.token, { ...inside, client_id: "in2", taken_at: takenAt });
    expect(ok.status, ok.text).toBe(201);
    expect(rec(ok.json).check_in.location).toBe("Depot");
    expect(rec(ok.json).check_in.distance_m).toBeCloseTo(haversine(inside, near2), 0);
    expect(rec(ok.json).check_in.outside_geofence).toBe(false);
    // Required geofence: outside every location → 422, nothing recorded.
    const day0 = zoned(localDate(Date.now(), JNB, -2), "09:00", JNB);
    const refused = await punch("check-in", second.user.token, {
      lat: OFFICE.lat - 0.05,
      lng: OFFICE.lng,
      client_id: "out2",
      taken_at: day0,
    });
    expect(refused.status).toBe(422);
    const rows = await testDb()
      .select()
      .from(attendanceRecords)
      .where(eq(attendanceRecords.tenantId, second.tenant.id));
    expect(rows).toHaveLength(1);
  });

  it("trust: implied travel speed since the previous punch, and a check-in without backdating", async () => {
    const { user } = await dayShiftSetup();
    const day = localDate(Date.now(), JNB, -1);
    const inAt = zoned(day, "09:00", JNB);
    await punch("check-in", user.token, { ...OFFICE, accuracy_m: 10, client_id: "a", taken_at: inAt });
    // 30 minutes later, 100 km away: 200 km/h.
    const away = { lat: OFFICE.lat + 100_000 / 111_195, lng: OFFICE.lng };
    const outAt = new Date(Date.parse(inAt) + 30 * 60_000).toISOString();
    const res = await punch("check-out", user.token, {
      ...away,
      accuracy_m: 10,
      client_id: "b",
      taken_at: outAt,
    });
    expect(res.status, res.text).toBe(200);
    const speed = haversine(OFFICE, away) / 1000 / 0.5;
    const out = rec(res.json).check_out;
    expect(out?.trust_factors.travel_speed?.value).toBeCloseTo(speed, 0);
    expect(out?.trust_factors.travel_speed?.penalty).toBe(15);
    // A live check-in (no taken_at) is not backdated.
    const live = await punch("check-in", user.token, { ...OFFICE, accuracy_m: 10, client_id: "live" });
    expect(live.status, live.text).toBe(201);
    expect(rec(live.json).check_in.trust_factors.backdated?.penalty).toBe(0);
  });

  it("offline limit, the future, and someone without an employee record", async () => {
    const { user, tenant } = await dayShiftSetup({ offline_check_in_limit_hours: 24 });
    const old = new Date(Date.now() - 25 * 3_600_000).toISOString();
    const tooOld = await punch("check-in", user.token, { ...OFFICE, client_id: "old", taken_at: old });
    expect(tooOld.status).toBe(422);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const ahead = await punch("check-in", user.token, { ...OFFICE, client_id: "f", taken_at: future });
    expect(ahead.status).toBe(400);
    const stranger = await createUser(tenant, ["member"]);
    const none = await punch("check-in", stranger.token, { ...OFFICE, client_id: "x" });
    expect(none.status).toBe(422);
    // A member may not punch for someone else (kiosks only).
    const other = await punch("check-in", stranger.token, {
      ...OFFICE,
      client_id: "y",
      employee_id: "0190a000-0000-7000-8000-000000000001",
    });
    expect(other.status).toBe(403);
    const noOpen = await punch("check-out", user.token, { ...OFFICE, client_id: "z" });
    expect(noOpen.status).toBe(409);
    // Accepted 20 hours late; after the tenant shortens its limit, a resend still returns it.
    const late = new Date(Date.now() - 20 * 3_600_000).toISOString();
    const accepted = await punch("check-in", user.token, { ...OFFICE, client_id: "late", taken_at: late });
    expect(accepted.status, accepted.text).toBe(201);
    await testDb().execute(
      sql`update tenants set settings = settings || '{"offline_check_in_limit_hours": 1}'::jsonb where id = ${tenant.id}::uuid`,
    );
    const resend = await punch("check-in", user.token, { ...OFFICE, client_id: "late", taken_at: late });
    expect(resend.status).toBe(200);
    expect(resend.json.data.id).toBe(accepted.json.data.id);
  });

  it("overnight shift: counted on the day it starts, in a zone behind UTC", async () => {
    const tz = "America/Sao_Paulo"; // UTC−3, no DST since 2019
    const tenant = await attendanceTenant({ timezone: tz });
    const shiftId = await insertShift(tenant, {
      startTime: "22:00",
      endTime: "06:00",
      graceLateMinutes: 15,
      breakMinutes: 30,
    });
    const user = await createUser(tenant, ["member"]);
    await insertEmployee(tenant, { userId: user.user.id, defaultShiftId: shiftId });
    const day = localDate(Date.now(), tz, -3);
    const next = localDate(Date.now(), tz, -2);
    // 02:00 local on the next day = 05:00Z on the next day: the working day is still `day`.
    const inAt = zoned(next, "02:00", tz);
    expect(inAt.slice(0, 10)).toBe(next);
    const a = await punch("check-in", user.token, { ...OFFICE, client_id: "n1", taken_at: inAt });
    expect(a.status, a.text).toBe(201);
    const r = rec(a.json);
    expect(r.work_date).toBe(day);
    const start = zoned(day, "22:00", tz);
    const end = zoned(next, "06:00", tz);
    expect(r.shift_start).toBe(new Date(start).toISOString());
    expect(r.shift_end).toBe(new Date(end).toISOString());
    expect(r.late_minutes).toBe(minutesBetween(start, inAt)); // 240 > 15
    expect(r.status).toBe("late");
    const outAt = zoned(next, "07:10", tz);
    const b = await punch("check-out", user.token, { ...OFFICE, client_id: "n2", taken_at: outAt });
    expect(b.status, b.text).toBe(200);
    const worked = minutesBetween(inAt, outAt) - 30;
    const scheduled = minutesBetween(start, end) - 30;
    expect(rec(b.json).worked_minutes).toBe(worked);
    expect(rec(b.json).overtime_minutes).toBe(Math.max(0, worked - scheduled));
    expect(rec(b.json).status).toBe(worked * 2 < scheduled ? "half_day" : "late");
  });

  it("midnight in a zone ahead of UTC: a shift starting 00:00 counts on the local day", async () => {
    const tenant = await attendanceTenant();
    const shiftId = await insertShift(tenant, { startTime: "00:00", endTime: "08:00", graceLateMinutes: 5 });
    const user = await createUser(tenant, ["member"]);
    await insertEmployee(tenant, { userId: user.user.id, defaultShiftId: shiftId });
    const day = localDate(Date.now(), JNB, -1);
    const inAt = zoned(day, "00:10", JNB); // 22:10Z the day before
    expect(inAt.slice(0, 10)).not.toBe(day);
    const a = await punch("check-in", user.token, { ...OFFICE, client_id: "m", taken_at: inAt });
    expect(a.status, a.text).toBe(201);
    expect(rec(a.json).work_date).toBe(day);
    expect(rec(a.json).late_minutes).toBe(10);
  });

  it("DST: a night that gains an hour is worked and scheduled for its real length (Europe/Berlin, 25 Oct 2026)", async () => {
    const tz = "Europe/Berlin";
    const tenant = await attendanceTenant({ timezone: tz });
    const shiftId = await insertShift(tenant, { startTime: "22:00", endTime: "06:00" });
    const user = await createUser(tenant, ["member"]);
    await insertEmployee(tenant, { userId: user.user.id, defaultShiftId: shiftId, hireDate: "2026-12-31" });
    const inAt = zoned("2026-10-24", "22:00", tz);
    const outAt = zoned("2026-10-25", "06:00", tz);
    expect(minutesBetween(inAt, outAt)).toBe(540);
    await punch("check-in", user.token, { ...OFFICE, client_id: "d1", taken_at: inAt });
    const b = await punch("check-out", user.token, { ...OFFICE, client_id: "d2", taken_at: outAt });
    expect(b.status, b.text).toBe(200);
    expect(rec(b.json).work_date).toBe("2026-10-24");
    expect(rec(b.json).worked_minutes).toBe(540);
    expect(rec(b.json).overtime_minutes).toBe(0);
    expect(rec(b.json).early_leave_minutes).toBe(0);
    expect(rec(b.json).status).toBe("present");
  });
});
