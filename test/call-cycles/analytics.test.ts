import { beforeAll, describe, expect, it } from "vitest";
import { deliver } from "../analytics/support";
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

async function coverage(token: string, query: string) {
  const res = await call<{ data: { range: unknown; group_by: string; cells: Cell[] } }>(
    "GET",
    `/api/analytics/call_cycle_coverage?${query}`,
    { token },
  );
  expect(res.status, res.text).toBe(200);
  expect(roundTrips(res.headers)).toBe(1);
  return res.json.data;
}

describe("call-cycle analytics", () => {
  beforeAll(async () => {
    field = await createField(TZ, ["s1", "s2", "s3", "s4"], CYCLES, VISITS);
    expect((await deliver(field.events)).retryMessages).toEqual([]);
  });

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
});
