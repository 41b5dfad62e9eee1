import { expect } from "vitest";
import { domainEvent } from "../../src/core/events";
import { createShop, createSurvey } from "../helpers/catalog";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call } from "../helpers/http";
import { addTeamMember, createTeam, type TeamRow } from "../helpers/teams";
import { createVisit } from "../helpers/visits";

/**
 * The plan and the states computed in plain JS (independently of the SQL): days as ISO strings,
 * local times through Intl in the tenant's zone.
 */

export interface LocationSpec {
  key: string;
  shop: string;
  frequency: "weekly" | "every_n_weeks" | "monthly";
  weekdays?: number[];
  interval_weeks?: number;
  month_day?: number;
  window_start?: string;
  window_end?: string;
  agent?: string;
  team?: string;
}

export interface CycleSpec {
  key: string;
  owner: string;
  start_date: string;
  end_date?: string;
  locations: LocationSpec[];
}

export interface VisitSpec {
  agent: string;
  shop: string;
  /** UTC instant of completion. */
  completed: string;
  minutes?: number;
}

const DAY = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDow = (day: string) => ((new Date(ms(day)).getUTCDay() + 6) % 7) + 1;
const monday = (day: string) => ms(day) - (isoDow(day) - 1) * DAY;
const lastDayOfMonth = (day: string) => {
  const d = new Date(ms(day));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
};

export function daysOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = ms(start); t <= ms(end); t += DAY) out.push(toDay(t));
  return out;
}

export function addDays(day: string, n: number): string {
  return toDay(ms(day) + n * DAY);
}

/** Whether the location is due on `day` (the rules as the README states them). */
export function due(loc: LocationSpec, cycleStart: string, day: string): boolean {
  switch (loc.frequency) {
    case "weekly":
      return (loc.weekdays ?? []).includes(isoDow(day));
    case "every_n_weeks":
      return (
        (loc.weekdays ?? []).includes(isoDow(day)) &&
        Math.round((monday(day) - monday(cycleStart)) / (7 * DAY)) % (loc.interval_weeks ?? 1) === 0
      );
    case "monthly":
      return new Date(ms(day)).getUTCDate() === Math.min(loc.month_day ?? 0, lastDayOfMonth(day));
  }
}

/** The local date and time (HH:MM:SS) of an instant in `tz`. */
export function local(iso: string, tz: string): { day: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
  };
}

export function todayIn(tz: string): string {
  return local(new Date().toISOString(), tz).day;
}

export interface ExpectedCall {
  cycle: string;
  location: string;
  shop: string;
  date: string;
  agent: string | null;
  team: string | null;
  state: "done" | "late" | "missed" | "upcoming";
  time: string | null;
  by: string | null;
}

/**
 * Every call the cycles plan on `days`, with the state the visits give it: done / late (first
 * completion by an assignee that local day, after window_end → late), missed (before today),
 * upcoming.
 */
export function expectedCalls(
  cycles: CycleSpec[],
  visits: VisitSpec[],
  days: string[],
  tz: string,
  teams: Record<string, string[]>,
): ExpectedCall[] {
  const today = todayIn(tz);
  const out: ExpectedCall[] = [];
  for (const cycle of cycles) {
    for (const loc of cycle.locations) {
      const agent = loc.agent ?? (loc.team ? null : cycle.owner);
      const assignees = loc.team ? (teams[loc.team] ?? []) : [agent];
      for (const day of days) {
        if (day < cycle.start_date || (cycle.end_date && day > cycle.end_date)) continue;
        if (!due(loc, cycle.start_date, day)) continue;
        const firsts = visits
          .filter((v) => v.shop === loc.shop && assignees.includes(v.agent))
          .map((v) => ({ v, l: local(v.completed, tz) }))
          .filter((x) => x.l.day === day)
          .sort((a, b) => a.l.time.localeCompare(b.l.time) || a.v.agent.localeCompare(b.v.agent));
        const first = firsts[0];
        const state = first
          ? loc.window_end && first.l.time > `${loc.window_end}:00`
            ? "late"
            : "done"
          : day < today
            ? "missed"
            : "upcoming";
        out.push({
          cycle: cycle.key,
          location: loc.key,
          shop: loc.shop,
          date: day,
          agent,
          team: loc.team ?? null,
          state,
          time: first?.l.time ?? null,
          by: first?.v.agent ?? null,
        });
      }
    }
  }
  return out;
}

export function tally(calls: ExpectedCall[]) {
  const n = (s: ExpectedCall["state"]) => calls.filter((c) => c.state === s).length;
  const done = n("done");
  const late = n("late");
  const missed = n("missed");
  const due = done + late + missed;
  return {
    planned: calls.length,
    done,
    late,
    missed,
    upcoming: n("upcoming"),
    adherence: due ? Math.round((10_000 * (done + late)) / due) / 100 : null,
  };
}

export interface Field {
  tz: string;
  tenant: { id: string };
  users: Record<string, TestUser>;
  shops: Record<string, string>;
  teams: Record<string, TeamRow>;
  teamMembers: Record<string, string[]>;
  surveyId: string;
  cycles: Record<string, { id: string }>;
  locations: Record<string, string>;
  events: ReturnType<typeof domainEvent>[];
}

/** The id of a user key, a shop key, a team key (for comparing API answers with the JS plan). */
export function idOf(field: Field, kind: "user" | "shop" | "team", key: string | null): string | null {
  if (key === null) return null;
  if (kind === "user") return field.users[key]?.user.id ?? null;
  if (kind === "shop") return field.shops[key] ?? null;
  return field.teams[key]?.id ?? null;
}

/**
 * A tenant in `tz` with agents a1, a2 (team T, led by `leader`, below `top` where the area
 * manager sits), a3 (no team), an admin; shops; the cycles created through the API as the admin
 * and the visits inserted as completed rows (events collected, not delivered).
 */
export async function createField(
  tz: string,
  shopKeys: string[],
  cycles: CycleSpec[],
  visits: VisitSpec[],
): Promise<Field> {
  const tenant = await createTenant({ settings: { timezone: tz } });
  const [a1, a2, a3, leader, manager, admin] = await Promise.all([
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["team_leader"]),
    createUser(tenant, ["area_manager"]),
    createUser(tenant, ["admin"]),
  ]);
  if (!a1 || !a2 || !a3 || !leader || !manager || !admin) throw new Error("users");
  const top = await createTeam(tenant);
  const T = await createTeam(tenant, { parent: top });
  await addTeamMember(top, manager.user.id);
  await addTeamMember(T, leader.user.id, true);
  await addTeamMember(T, a1.user.id);
  await addTeamMember(T, a2.user.id);
  const users = { a1, a2, a3, leader, manager, admin };
  const shops: Record<string, string> = {};
  for (const [i, key] of shopKeys.entries()) {
    shops[key] = (await createShop(tenant, { name: `Shop ${key}`, region: i % 2 ? "South" : "North" })).id;
  }
  const { survey } = await createSurvey(tenant, { questions: [] });
  const field: Field = {
    tz,
    tenant,
    users,
    shops,
    teams: { T, top },
    teamMembers: { T: ["leader", "a1", "a2"] },
    surveyId: survey.id,
    cycles: {},
    locations: {},
    events: [],
  };
  for (const cycle of cycles) {
    const created = await call<{ data: { id: string } }>("POST", "/api/call_cycles", {
      token: admin.token,
      body: {
        name: `Cycle ${cycle.key}`,
        owner_id: users[cycle.owner as keyof typeof users].user.id,
        start_date: cycle.start_date,
        ...(cycle.end_date ? { end_date: cycle.end_date } : {}),
      },
    });
    expect(created.status, created.text).toBe(201);
    field.cycles[cycle.key] = { id: created.json.data.id };
    if (cycle.locations.length === 0) continue;
    const added = await call<{ data: { id: string; shop_id: string }[] }>(
      "POST",
      `/api/call_cycles/${created.json.data.id}/locations`,
      {
        token: admin.token,
        body: {
          locations: cycle.locations.map(({ key: _key, shop, agent, team, ...rest }) => ({
            ...rest,
            shop_id: shops[shop],
            ...(agent ? { agent_id: users[agent as keyof typeof users].user.id } : {}),
            ...(team ? { team_id: field.teams[team]?.id } : {}),
          })),
        },
      },
    );
    expect(added.status, added.text).toBe(201);
    for (const loc of cycle.locations) {
      const row = added.json.data.find((r) => r.shop_id === shops[loc.shop]);
      field.locations[loc.key] = row?.id ?? "";
    }
  }
  for (const v of visits) {
    const completedAt = new Date(v.completed);
    const visit = await createVisit(tenant, users[v.agent as keyof typeof users].user.id, survey.id, {
      shopId: shops[v.shop] ?? null,
      status: "completed",
      startedAt: new Date(completedAt.getTime() - (v.minutes ?? 20) * 60_000),
      completedAt,
    });
    field.events.push(domainEvent("visit.completed", tenant.id, { visit_id: visit.id }));
  }
  return field;
}
