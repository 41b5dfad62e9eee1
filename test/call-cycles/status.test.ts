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
  local,
  tally,
  todayIn,
} from "./support";

interface Call {
  location_id: string;
  call_cycle_id: string;
  shop_id: string;
  date: string;
  agent_id: string | null;
  team_id: string | null;
  state: string;
  completed_local_time: string | null;
  visited_by: string | null;
  window_end: string | null;
}
interface Tally {
  planned: number;
  done: number;
  late: number;
  missed: number;
  upcoming: number;
  adherence: number | null;
}
interface Status {
  data: {
    range: { start_date: string; end_date: string; timezone: string };
    today: string;
    summary: Tally;
    by_agent: ({ agent_id: string } & Tally)[];
    by_team: ({ team_id: string } & Tally)[];
    calls: Call[];
    upcoming: Call[];
  };
}

let field: Field;

function asApi(f: Field, calls: ExpectedCall[]) {
  return calls.map((c) => ({
    location_id: f.locations[c.location],
    call_cycle_id: f.cycles[c.cycle]?.id,
    shop_id: idOf(f, "shop", c.shop),
    date: c.date,
    agent_id: idOf(f, "user", c.agent),
    team_id: idOf(f, "team", c.team),
    state: c.state,
    completed_local_time: c.time,
    visited_by: idOf(f, "user", c.by),
  }));
}

const key = (c: { date: string; location_id?: string | undefined }) => `${c.date}/${c.location_id}`;
const sorted = <T extends { date: string; location_id?: string | undefined }>(xs: T[]) =>
  [...xs].sort((a, b) => key(a).localeCompare(key(b)));

async function status(cycle: string, query: string, token = field.users.admin?.token ?? "") {
  const res = await call<Status>("GET", `/api/call_cycles/${field.cycles[cycle]?.id}/status?${query}`, {
    token,
  });
  expect(res.status, res.text).toBe(200);
  expect(roundTrips(res.headers)).toBe(1);
  return res.json.data;
}

function expectStatus(data: Status["data"], cycle: string, start: string, end: string) {
  const cycles = CYCLES.filter((c) => c.key === cycle);
  const want = expectedCalls(cycles, VISITS, daysOf(start, end), TZ, field.teamMembers);
  const pick = (c: Call) => ({
    location_id: c.location_id,
    call_cycle_id: c.call_cycle_id,
    shop_id: c.shop_id,
    date: c.date,
    agent_id: c.agent_id,
    team_id: c.team_id,
    state: c.state,
    completed_local_time: c.completed_local_time,
    visited_by: c.visited_by,
  });
  expect(sorted(data.calls.map(pick))).toEqual(sorted(asApi(field, want)));
  expect(data.summary).toEqual(tally(want));
  const agents = [...new Set(want.filter((c) => c.team === null).map((c) => c.agent ?? ""))];
  expect(
    data.by_agent
      .map(({ agent_id, ...t }) => ({ agent_id, ...t }))
      .sort((a, b) => a.agent_id.localeCompare(b.agent_id)),
  ).toEqual(
    agents
      .map((a) => ({
        agent_id: idOf(field, "user", a) ?? "",
        ...tally(want.filter((c) => c.team === null && c.agent === a)),
      }))
      .sort((a, b) => a.agent_id.localeCompare(b.agent_id)),
  );
  const teams = [...new Set(want.flatMap((c) => (c.team ? [c.team] : [])))];
  expect(data.by_team).toEqual(
    teams.map((t) => ({ team_id: idOf(field, "team", t) ?? "", ...tally(want.filter((c) => c.team === t)) })),
  );
  return want;
}

describe("GET /api/call_cycles/{id}/status", () => {
  beforeAll(async () => {
    field = await createField(TZ, ["s1", "s2", "s3", "s4"], CYCLES, VISITS);
    const result = await deliver(field.events);
    expect(result.retryMessages).toEqual([]);
  });

  it("states around local midnight, on the DST change, every second week: each call as the test computes it", async () => {
    const data = await status("N", "start_date=2026-03-02&end_date=2026-03-29");
    expect(data.range).toEqual({ start_date: "2026-03-02", end_date: "2026-03-29", timezone: TZ });
    const want = expectStatus(data, "N", "2026-03-02", "2026-03-29");
    // The hand-checked cases the computation must agree with.
    const state = (loc: string, date: string) =>
      want.find((c) => c.location === loc && c.date === date)?.state;
    expect(state("L1", "2026-03-02")).toBe("done");
    expect(state("L1", "2026-03-08")).toBe("late");
    expect(state("L1", "2026-03-09")).toBe("missed");
    expect(state("L2", "2026-03-04")).toBe("done");
    expect(state("L2", "2026-03-11")).toBe("missed");
    expect(state("L2", "2026-03-18")).toBe("done");
    expect(want.filter((c) => c.location === "L3").map((c) => c.date)).toEqual(["2026-03-03", "2026-03-17"]);
    expect(local("2026-03-08T16:30:00Z", TZ)).toEqual({ day: "2026-03-08", time: "12:30:00" });
    const l1 = data.calls.find((c) => c.date === "2026-03-08");
    expect(l1?.completed_local_time).toBe("12:30:00");
    expect(l1?.window_end).toBe("12:00");
  });

  it("monthly on the 31st is clamped to the month's last day (28 February, 30 April)", async () => {
    const data = await status("M", "start_date=2026-02-01&end_date=2026-04-30");
    const want = expectStatus(data, "M", "2026-02-01", "2026-04-30");
    expect(want.map((c) => [c.date, c.state])).toEqual([
      ["2026-02-28", "done"],
      ["2026-03-31", "missed"],
      ["2026-04-30", "late"],
    ]);
    expect(data.summary.adherence).toBe(66.67);
  });

  it("defaults to the current ISO week (tenant-local) and lists the next 14 days' schedule", async () => {
    const data = await status("N", "");
    const today = todayIn(TZ);
    expect(data.today).toBe(today);
    const dow = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const monday = addDays(today, 1 - dow);
    expect(data.range).toEqual({ start_date: monday, end_date: addDays(monday, 6), timezone: TZ });
    expectStatus(data, "N", monday, addDays(monday, 6));
    const next = expectedCalls(
      CYCLES.filter((c) => c.key === "N"),
      VISITS,
      daysOf(today, addDays(today, 13)),
      TZ,
      field.teamMembers,
    );
    expect(next.length).toBeGreaterThan(0);
    expect(
      sorted(data.upcoming.map((c) => ({ date: c.date, location_id: c.location_id, state: c.state }))),
    ).toEqual(
      sorted(asApi(field, next).map((c) => ({ date: c.date, location_id: c.location_id, state: c.state }))),
    );
    expect(data.upcoming.every((c) => c.state === "upcoming")).toBe(true);
  });

  it("the nightly rebuild gives the same states; a redelivered batch changes nothing", async () => {
    const before = await status("N", "start_date=2026-03-02&end_date=2026-03-29");
    await deliver(field.events);
    expect(await status("N", "start_date=2026-03-02&end_date=2026-03-29")).toEqual(before);
    await testDb().execute(sql`delete from shop_visit_daily_rollups where tenant_id = ${field.tenant.id}`);
    const emptied = await status("N", "start_date=2026-03-02&end_date=2026-03-29");
    expect(emptied.summary.done + emptied.summary.late).toBe(0);
    const days = [...new Set(VISITS.map((v) => local(v.completed, TZ).day))];
    for (const day of days) await runCron(CRON_NIGHTLY, new Date(`${addDays(day, 1)}T12:00:00Z`));
    expect(await status("N", "start_date=2026-03-02&end_date=2026-03-29")).toEqual(before);
  });

  it("range rules: start after end, more than 92 days → 400 naming the field", async () => {
    const id = field.cycles.N?.id;
    const token = field.users.admin?.token ?? "";
    const after = await call<ErrorEnvelope>(
      "GET",
      `/api/call_cycles/${id}/status?start_date=2026-03-10&end_date=2026-03-09`,
      { token },
    );
    expect(after.status).toBe(400);
    expect(after.json.error.details?.[0]?.field).toBe("start_date");
    const long = await call<ErrorEnvelope>(
      "GET",
      `/api/call_cycles/${id}/status?start_date=2026-01-01&end_date=2026-04-30`,
      { token },
    );
    expect(long.status).toBe(400);
    expect(long.json.error.details?.[0]?.field).toBe("end_date");
  });

  it("scope and permission: the area manager sees the subtree's cycle; agents may not ask; another tenant's → 404", async () => {
    const data = await status("N", "start_date=2026-03-02&end_date=2026-03-08", field.users.manager?.token);
    expect(data.calls.length).toBeGreaterThan(0);
    const agent = await call<ErrorEnvelope>("GET", `/api/call_cycles/${field.cycles.N?.id}/status`, {
      token: field.users.a1?.token ?? "",
    });
    expect(agent.status).toBe(403);
    const other = await createField(
      "UTC",
      ["x"],
      [{ key: "X", owner: "a1", start_date: "2026-03-02", locations: [] }],
      [],
    );
    const foreign = await call<ErrorEnvelope>("GET", `/api/call_cycles/${other.cycles.X?.id}/status`, {
      token: field.users.admin?.token ?? "",
    });
    expect(foreign.status).toBe(404);
  });
});
