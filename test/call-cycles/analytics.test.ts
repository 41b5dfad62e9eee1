import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { CRON_NIGHTLY } from "../../src/jobs/scheduled";
import { deliver, runCron } from "../analytics/support";
import { testDb } from "../helpers/db";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { CYCLES, TZ, VISITS } from "./fixture";
import {
  addDays,
  createField,
  daysOf,
  type ExpectedCall,
  expectedCalls,
  type Field,
  idOf,
  tally,
  todayIn,
} from "./support";

/** Coverage and the overview's adherence over the status fixture, against the plan computed in JS. */

let field: Field;
const REGION: Record<string, string> = { s1: "North", s2: "South", s3: "North", s4: "South" };

/** The users a role sees: area manager → top's subtree (manager, leader, a1, a2); an agent → themself. */
const SEES: Record<string, string[] | null> = {
  admin: null,
  manager: ["manager", "leader", "a1", "a2"],
  a1: ["a1"],
  a3: ["a3"],
};

/** Calls in scope, as the README states it: owner or creator, assigned agent or a member of the assigned team. */
function inScope(who: keyof typeof SEES, calls: ExpectedCall[]): ExpectedCall[] {
  const seen = SEES[who];
  if (!seen) return calls;
  return calls.filter((c) => {
    const cycle = CYCLES.find((x) => x.key === c.cycle);
    const members = c.team ? (field.teamMembers[c.team] ?? []) : [];
    return (
      seen.includes(cycle?.owner ?? "") ||
      seen.includes("admin") ||
      (c.agent !== null && seen.includes(c.agent)) ||
      members.some((m) => seen.includes(m))
    );
  });
}

const monday = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

interface Cell {
  shop_id: string | null;
  shop_name: string | null;
  region: string | null;
  week_start: string;
  iso_week: string;
  planned: number;
  done: number;
  missed: number;
  upcoming: number;
  coverage: number | null;
}

function expectedCells(calls: ExpectedCall[], by: "shop" | "region") {
  const cells = new Map<string, ExpectedCall[]>();
  for (const c of calls) {
    const k = `${by === "shop" ? c.shop : REGION[c.shop]}|${monday(c.date)}`;
    cells.set(k, [...(cells.get(k) ?? []), c]);
  }
  return [...cells.entries()]
    .map(([k, cs]) => {
      const [g, week] = k.split("|");
      const t = tally(cs);
      return {
        shop_id: by === "shop" ? idOf(field, "shop", g ?? "") : null,
        region: by === "shop" ? (REGION[g ?? ""] ?? null) : (g ?? null),
        week_start: week ?? "",
        planned: t.planned,
        done: t.done + t.late,
        missed: t.missed,
        upcoming: t.upcoming,
        coverage: t.planned ? Math.round((10_000 * (t.done + t.late)) / t.planned) / 100 : null,
      };
    })
    .sort((a, b) =>
      `${a.shop_id}${a.region}${a.week_start}`.localeCompare(`${b.shop_id}${b.region}${b.week_start}`),
    );
}

type CoveragePage = {
  data: { range: unknown; group_by: string; cells: Cell[] };
  pagination: { page_size: number | null; next_cursor: string | null };
};

async function coveragePage(token: string, query: string) {
  const res = await call<CoveragePage>("GET", `/api/analytics/call_cycle_coverage?${query}`, { token });
  expect(res.status, res.text).toBe(200);
  expect(roundTrips(res.headers)).toBe(1);
  return res.json;
}

async function coverage(token: string, query: string) {
  const page = await coveragePage(token, query);
  // The fixture's four shops fit on the default page.
  expect(page.pagination.next_cursor).toBeNull();
  return page.data;
}

/** The nightly cron of the day after each of `days` (noon UTC: that day in New York), in order. */
async function freezeDays(days: string[]) {
  for (const day of days) await runCron(CRON_NIGHTLY, new Date(`${addDays(day, 1)}T12:00:00Z`));
}

type Adherence = { value: number | null; previous: number | null };

async function adherence(who: string, query = "start_date=2026-03-02&end_date=2026-03-29", f = field) {
  const res = await call<{ data: { adherence: Adherence } }>("GET", `/api/analytics/overview?${query}`, {
    token: f.users[who]?.token ?? "",
  });
  expect(res.status, res.text).toBe(200);
  expect(roundTrips(res.headers)).toBe(1);
  return res.json.data.adherence;
}

/** The tenant's call-outcome rollup rows, in key order (a snapshot to compare). */
async function outcomeRows(tenantId: string) {
  const res = await testDb().execute<Record<string, unknown>>(sql`
    select day::text, owner_id, created_by, agent_id, team_id, due, done, late, missed
    from call_outcome_daily_rollups where tenant_id = ${tenantId}
    order by day, owner_id, created_by, agent_id, team_id`);
  return res.rows;
}

describe("call-cycle analytics", () => {
  beforeAll(async () => {
    field = await createField(TZ, ["s1", "s2", "s3", "s4"], CYCLES, VISITS);
    expect((await deliver(field.events)).retryMessages).toEqual([]);
    // The nightly runs of the days the overview tests read: each freezes its New York yesterday.
    await freezeDays(daysOf("2026-02-02", "2026-03-29"));
  }, 120_000);

  it("coverage per shop and per region × ISO week, scoped to the caller's subtree", async () => {
    const days = daysOf("2026-03-02", "2026-03-29");
    const all = expectedCalls(CYCLES, VISITS, days, TZ, field.teamMembers);
    for (const [who, by] of [
      ["manager", "shop"],
      ["manager", "region"],
      ["admin", "shop"],
      ["admin", "region"],
    ] as const) {
      const data = await coverage(
        field.users[who]?.token ?? "",
        `start_date=2026-03-02&end_date=2026-03-29&group_by=${by}`,
      );
      expect(data.range).toEqual({ start_date: "2026-03-02", end_date: "2026-03-29", timezone: TZ });
      const got = data.cells
        .map(({ iso_week: _w, shop_name: _n, ...c }) => c)
        .sort((a, b) =>
          `${a.shop_id}${a.region}${a.week_start}`.localeCompare(`${b.shop_id}${b.region}${b.week_start}`),
        );
      expect(got, `${who} ${by}`).toEqual(expectedCells(inScope(who, all), by));
    }
    const weeks = (
      await coverage(field.users.admin?.token ?? "", "start_date=2026-03-02&end_date=2026-03-15")
    ).cells;
    expect(new Set(weeks.map((c) => c.iso_week))).toEqual(new Set(["2026-W10", "2026-W11"]));
    // The subtree leaves a3's cycle out; the admin sees it.
    const z = idOf(field, "shop", "s1");
    const managerS1 = (
      await coverage(field.users.manager?.token ?? "", "start_date=2026-03-02&end_date=2026-03-08")
    ).cells.find((c) => c.shop_id === z);
    const adminS1 = (
      await coverage(field.users.admin?.token ?? "", "start_date=2026-03-02&end_date=2026-03-08")
    ).cells.find((c) => c.shop_id === z);
    expect((adminS1?.planned ?? 0) - (managerS1?.planned ?? 0)).toBe(1);
  });

  it("coverage per shop is paged by shop: a walk with page_size=1 returns every cell once, in order", async () => {
    const range = "start_date=2026-03-02&end_date=2026-03-29";
    for (const who of ["admin", "manager"] as const) {
      const token = field.users[who]?.token ?? "";
      const whole = await coverage(token, range);
      const walked: Cell[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: CoveragePage = await coveragePage(
          token,
          `${range}&page_size=1${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.pagination.page_size).toBe(1);
        expect(new Set(page.data.cells.map((c) => c.shop_id)).size, who).toBeLessThanOrEqual(1);
        walked.push(...page.data.cells);
        cursor = page.pagination.next_cursor;
        pages += 1;
        expect(pages).toBeLessThan(10);
      } while (cursor);
      expect(walked, who).toEqual(whole.cells);
      // A page per shop on a live location in scope (one without a call in the range has no cells).
      expect(pages, who).toBeGreaterThanOrEqual(new Set(whole.cells.map((c) => c.shop_id)).size);
      expect(pages, who).toBeLessThanOrEqual(4);
    }
    const region = await coveragePage(field.users.admin?.token ?? "", `${range}&group_by=region&page_size=1`);
    expect(region.pagination).toEqual({ page_size: null, next_cursor: null });
    expect(new Set(region.data.cells.map((c) => c.region))).toEqual(new Set(["North", "South"]));
    const bad = await call<ErrorEnvelope>("GET", `/api/analytics/call_cycle_coverage?${range}&cursor=nope`, {
      token: field.users.admin?.token ?? "",
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.[0]?.field).toBe("cursor");
  });

  it("coverage is for managers: agents and team leaders → 403; a range over 92 days → 400", async () => {
    for (const who of ["a1", "leader"] as const) {
      const res = await call<ErrorEnvelope>("GET", "/api/analytics/call_cycle_coverage", {
        token: field.users[who]?.token ?? "",
      });
      expect(res.status, who).toBe(403);
    }
    const long = await call<ErrorEnvelope>(
      "GET",
      "/api/analytics/call_cycle_coverage?start_date=2026-01-01&end_date=2026-04-30",
      {
        token: field.users.admin?.token ?? "",
      },
    );
    expect(long.status).toBe(400);
    expect(long.json.error.details?.[0]?.field).toBe("end_date");
  });

  it("the overview's adherence (and its previous period), role-scoped, in one round trip", async () => {
    const cur = daysOf("2026-03-02", "2026-03-29");
    const prev = daysOf("2026-02-02", "2026-03-01");
    for (const who of ["admin", "manager", "a1", "a3"] as const) {
      const res = await call<{ data: { adherence: { value: number | null; previous: number | null } } }>(
        "GET",
        "/api/analytics/overview?start_date=2026-03-02&end_date=2026-03-29",
        { token: field.users[who]?.token ?? "" },
      );
      expect(res.status, res.text).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      const want = (days: string[]) =>
        tally(inScope(who, expectedCalls(CYCLES, VISITS, days, TZ, field.teamMembers))).adherence;
      expect(res.json.data.adherence, who).toEqual({ value: want(cur), previous: want(prev) });
    }
    const admin = await call<{ data: { adherence: { value: number | null; previous: number | null } } }>(
      "GET",
      "/api/analytics/overview?start_date=2026-03-02&end_date=2026-03-29",
      { token: field.users.admin?.token ?? "" },
    );
    expect(admin.json.data.adherence.previous).toBe(100);
    expect(admin.json.data.adherence.value).not.toBeNull();
  });

  it("past days are read from the frozen call outcomes, which equal the live plan's", async () => {
    const days = daysOf("2026-02-02", "2026-03-29");
    const all = expectedCalls(CYCLES, VISITS, days, TZ, field.teamMembers);
    const db = testDb();
    // One tenant-day row per frozen day, its sums the plan's computed here.
    const tenantDays = await db.execute<{
      day: string;
      due: number;
      done: number;
      late: number;
      missed: number;
    }>(sql`
      select day::text, due, done, late, missed from call_outcome_tenant_daily_rollups
      where tenant_id = ${field.tenant.id} and day between '2026-02-02' and '2026-03-29' order by day`);
    expect(tenantDays.rows.map((r) => r.day)).toEqual(days);
    for (const r of tenantDays.rows) {
      const t = tally(all.filter((c) => c.date === r.day));
      expect({ due: r.due, done: r.done, late: r.late, missed: r.missed }, r.day).toEqual({
        due: t.done + t.late + t.missed,
        done: t.done,
        late: t.late,
        missed: t.missed,
      });
    }
    const before: Record<string, Adherence> = {};
    for (const who of ["admin", "manager", "a1", "a3"]) before[who] = await adherence(who);
    const rows = await outcomeRows(field.tenant.id);
    expect(rows.length).toBeGreaterThan(0);
    // Redelivered events and a second nightly run change nothing.
    expect((await deliver(field.events)).retryMessages).toEqual([]);
    await freezeDays(["2026-03-08", "2026-03-09", "2026-03-09"]);
    expect(await outcomeRows(field.tenant.id)).toEqual(rows);
    // Without the per-shop visit cells the live plan would see no visit: the overview still reads
    // the frozen days.
    await db.execute(sql`delete from shop_visit_daily_rollups where tenant_id = ${field.tenant.id}`);
    for (const who of ["admin", "manager", "a1", "a3"])
      expect(await adherence(who), who).toEqual(before[who]);
    // The events bring the cells back (and recompute the same outcomes).
    expect((await deliver(field.events)).retryMessages).toEqual([]);
    expect(await outcomeRows(field.tenant.id)).toEqual(rows);
  });

  it("today's calls are counted live, and a completion today writes no frozen outcome", async () => {
    const today = todayIn(TZ);
    const dow = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const cycles = [
      {
        key: "D",
        owner: "a1",
        start_date: today,
        locations: [{ key: "LD", shop: "s1", frequency: "weekly" as const, weekdays: [dow], agent: "a1" }],
      },
    ];
    const now = new Date();
    const f = await createField(TZ, ["s1"], cycles, [
      { agent: "a1", shop: "s1", completed: now.toISOString(), minutes: 1 },
    ]);
    const range = `start_date=${addDays(today, -6)}&end_date=${today}`;
    // The visit row exists but its cell is not written yet: today's call is upcoming.
    expect(await adherence("a1", range, f)).toEqual({ value: null, previous: null });
    expect((await deliver(f.events)).retryMessages).toEqual([]);
    expect(await adherence("a1", range, f)).toEqual({ value: 100, previous: null });
    expect(await adherence("admin", range, f)).toEqual({ value: 100, previous: null });
    expect(await outcomeRows(f.tenant.id)).toEqual([]);
  });

  it("yesterday is live until the nightly run froze it, then a plan edit no longer changes it", async () => {
    const today = todayIn(TZ);
    const yesterday = addDays(today, -1);
    const isoDow = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const cycles = [
      {
        key: "Y",
        owner: "a1",
        start_date: yesterday,
        locations: [
          { key: "LY", shop: "s1", frequency: "weekly" as const, weekdays: [isoDow(yesterday)], agent: "a1" },
        ],
      },
    ];
    const f = await createField(TZ, ["s1"], cycles, []);
    const range = `start_date=${addDays(today, -6)}&end_date=${today}`;
    // Yesterday's call was never visited: missed, live from the plan.
    expect(await adherence("a1", range, f)).toEqual({ value: 0, previous: null });
    expect(await adherence("admin", range, f)).toEqual({ value: 0, previous: null });
    const removeLocation = () =>
      call("DELETE", `/api/call_cycles/${f.cycles.Y?.id}/locations/${f.locations.LY}`, {
        token: f.users.admin?.token ?? "",
      });
    await freezeDays([yesterday]);
    expect((await outcomeRows(f.tenant.id)).map((r) => [r.day, r.due, r.missed])).toEqual([
      [yesterday, 1, 1],
    ]);
    // Frozen: removing the location today leaves yesterday as it was planned.
    expect((await removeLocation()).status).toBe(204);
    for (const who of ["a1", "manager", "admin"])
      expect(await adherence(who, range, f), who).toEqual({ value: 0, previous: null });
    // Unfrozen (the same plan in another tenant, the location removed before any nightly run): live.
    const g = await createField(TZ, ["s1"], cycles, []);
    expect(
      (
        await call("DELETE", `/api/call_cycles/${g.cycles.Y?.id}/locations/${g.locations.LY}`, {
          token: g.users.admin?.token ?? "",
        })
      ).status,
    ).toBe(204);
    expect(await adherence("a1", range, g)).toEqual({ value: null, previous: null });
  });
});
