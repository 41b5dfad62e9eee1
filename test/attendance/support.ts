import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { uuidv7 } from "../../src/core/ids";
import { departments, employees, shifts, type WorkLocation } from "../../src/db/schema";
import worker from "../../src/index";
import type { CRON_HOURLY, CRON_REPORTS } from "../../src/jobs/scheduled";
import { testDb } from "../helpers/db";
import { createTenant, type TenantRow } from "../helpers/factories";
import { call } from "../helpers/http";

/** Numbers the tests compute themselves, independently of the SQL. */

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

export function haversine(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  });
  return dot / Math.sqrt(na * nb);
}

/** A deterministic pseudo-random descriptor (mulberry32). */
export function descriptor(seed: number, dim = 128): number[] {
  let t = seed >>> 0;
  const next = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: dim }, () => next() * 2 - 1);
}

/** `base` plus deterministic noise of relative size `amount`. */
export function noisy(base: readonly number[], seed: number, amount: number): number[] {
  const noise = descriptor(seed, base.length);
  return base.map((x, i) => x + (noise[i] ?? 0) * amount);
}

/** The UTC offset (ms) of zone `tz` at instant `ms`, from Intl alone. */
function offsetAt(ms: number, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant of local wall time `date` `time` in `tz` (ISO, UTC). */
export function zoned(date: string, time: string, tz: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let ms = wall - offsetAt(wall, tz);
  ms = wall - offsetAt(ms, tz);
  return new Date(ms).toISOString();
}

/** The local calendar date in `tz` of an instant, `days` later. */
export function localDate(ms: number, tz: string, days = 0): string {
  const d = new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date(ms));
  const [y, m, dd] = d.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, dd + days)).toISOString().slice(0, 10);
}

export const minutesBetween = (a: string, b: string) => Math.floor((Date.parse(b) - Date.parse(a)) / 60_000);

/** The trust rule (attendance.sql.ts), recomputed. */
export function trustOf(f: {
  accuracy: number | null;
  dist: number | null;
  radius: number | null;
  speed: number | null;
  face: number | null;
  backdatedMinutes: number;
}) {
  const accuracy =
    f.accuracy === null ? 10 : f.accuracy <= 50 ? 0 : Math.min(25, Math.floor((f.accuracy - 50) / 10));
  const distance =
    f.dist === null || f.radius === null
      ? 10
      : f.dist <= f.radius
        ? 0
        : Math.min(30, 10 + Math.floor((f.dist - f.radius) / 100));
  const speed = f.speed === null || f.speed <= 120 ? 0 : f.speed <= 300 ? 15 : 30;
  const face = f.face === null ? 0 : Math.min(20, Math.round((1 - f.face) * 50));
  const backdated = f.backdatedMinutes <= 5 ? 0 : Math.min(20, 5 + Math.floor(f.backdatedMinutes / 60));
  return {
    score: Math.max(0, 100 - accuracy - distance - speed - face - backdated),
    penalties: { accuracy, distance, speed, face, backdated },
  };
}

/** A tenant for attendance tests: its zone and a generous offline limit (tests punch in the past). */
export function attendanceTenant(settings: Record<string, unknown> = {}): Promise<TenantRow> {
  return createTenant({
    settings: { timezone: "Africa/Johannesburg", offline_check_in_limit_hours: 2400, ...settings },
  });
}

export async function insertShift(
  tenant: { id: string },
  s: Partial<typeof shifts.$inferInsert> & { startTime: string; endTime: string },
) {
  const id = uuidv7();
  await testDb()
    .insert(shifts)
    .values({
      tenantId: tenant.id,
      id,
      name: `Shift ${id.slice(-6)}`,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      ...s,
    });
  return id;
}

export async function insertDepartment(tenant: { id: string }, managerEmployeeId: string | null = null) {
  const id = uuidv7();
  await testDb()
    .insert(departments)
    .values({ tenantId: tenant.id, id, name: `Dept ${id.slice(-6)}`, managerEmployeeId });
  return id;
}

export const OFFICE = { lat: -26.2041, lng: 28.0473 };
export const OFFICE_LOCATION: WorkLocation = { name: "Office", ...OFFICE, radius_m: 100 };

export async function insertEmployee(
  tenant: { id: string },
  e: Partial<typeof employees.$inferInsert> = {},
): Promise<string> {
  const id = uuidv7();
  await testDb()
    .insert(employees)
    .values({
      tenantId: tenant.id,
      id,
      employeeCode: `E-${id.slice(-8)}`,
      firstName: "Emp",
      lastName: id.slice(-6),
      hireDate: "2026-11-01",
      workLocations: [OFFICE_LOCATION],
      ...e,
    });
  return id;
}

export interface PunchBody {
  employee_id?: string;
  embedding?: number[];
  lat: number;
  lng: number;
  accuracy_m?: number;
  client_id: string;
  taken_at?: string;
}

export const punch = (kind: "check-in" | "check-out", token: string, body: PunchBody) =>
  call<{ data: Record<string, unknown> & { id: string } }>("POST", `/api/attendance/${kind}`, {
    token,
    body,
  });

/** Runs a cron trigger at `scheduledTime`. */
export async function runCron(cron: typeof CRON_HOURLY | typeof CRON_REPORTS, scheduledTime: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ scheduledTime: scheduledTime.getTime(), cron }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}
