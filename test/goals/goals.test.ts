import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import backfillAnswered from "../../drizzle/0012_backfill_answered.sql?raw";
import type { TenantContext } from "../../src/core/context";
import { auditLogs, goalAssignments, goals, memberships, surveys, teamMembers } from "../../src/db/schema";
import { CRON_NIGHTLY } from "../../src/jobs/scheduled";
import { myGoalProgressQuery, myGoalProgressRows } from "../../src/modules/goals";
import {
  createField,
  deliver,
  type Field,
  localDay,
  runCron,
  VISITS,
  type VisitSpec,
  visitDays,
} from "../analytics/support";
import { createBrand, createSurvey } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { createTeam } from "../helpers/teams";

type Metric = "visits_completed" | "surveys_completed" | "photos_uploaded" | "shelf_share";
type Agent = VisitSpec["agent"];

interface GoalJson {
  id: string;
  version: number;
  target: number;
  metric: Metric;
}
interface Assignment {
  id: string;
  goal_id: string;
  user_id: string | null;
  team_id: string | null;
}
interface Figures {
  actual: number | null;
  target: number;
  percent: number | null;
  expected: number;
  on_track: boolean;
}
interface Progress {
  goal_id: string;
  metric: Metric;
  period: { start_date: string; end_date: string };
  elapsed_fraction: number;
  total: Figures;
  assignees: (Figures & { user_id: string; name: string; via_team_id: string | null })[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

async function createGoal(token: string, body: Record<string, unknown>): Promise<GoalJson> {
  const res = await call<{ data: GoalJson }>("POST", "/api/goals", {
    token,
    body: { name: `Goal ${Math.random()}`, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.data;
}

async function assign(token: string, goalId: string, body: Record<string, unknown>) {
  return call<{ data: Assignment[] } & ErrorEnvelope>("POST", `/api/goals/${goalId}/assign`, { token, body });
}

async function progress(token: string, goalId: string, date?: string): Promise<Progress> {
  const res = await call<{ data: Progress }>(
    "GET",
    `/api/goals/${goalId}/progress${date ? `?date=${date}` : ""}`,
    { token },
  );
  expect(res.status, res.text).toBe(200);
  expect(roundTrips(res.headers)).toBe(1);
  return res.json.data;
}

async function goalRows(tenantId: string) {
  return testDb().select().from(goals).where(eq(goals.tenantId, tenantId));
}

async function assignmentRows(goalId: string) {
  return testDb().select().from(goalAssignments).where(eq(goalAssignments.goalId, goalId));
}

function fieldOf(res: { json: ErrorEnvelope }): string | undefined {
  return res.json.error.details?.[0]?.field;
}

/** The JS days of an inclusive ISO range. */
function daysBetween(s: string, e: string): number {
  return (Date.parse(`${e}T00:00:00Z`) - Date.parse(`${s}T00:00:00Z`)) / 86_400_000 + 1;
}

interface Filter {
  region?: "North" | "South";
  survey?: "S1" | "S2";
  brandSurveys?: ("S1" | "S2")[];
}

const REGION: Record<"s1" | "s2", "North" | "South"> = { s1: "North", s2: "South" };

/** The raw figures of one agent over local days [s, e], computed from VISITS in plain JS. */
function raw(agent: Agent, s: string, e: string, f: Filter = {}) {
  const vs = VISITS.filter(
    (v) =>
      v.agent === agent &&
      localDay(v.start) >= s &&
      localDay(v.start) <= e &&
      (!f.region || (v.shop !== null && REGION[v.shop] === f.region)) &&
      (!f.survey || v.survey === f.survey),
  );
  const counted = f.brandSurveys ? vs.filter((v) => f.brandSurveys?.includes(v.survey)) : vs;
  const done = counted.filter((v) => v.minutes !== null);
  const marks = vs.flatMap((v) => v.photos ?? []).flatMap((p) => (p.marks ? [p.marks] : []));
  return {
    visits_completed: done.length,
    surveys_completed: done.filter((v) => (v.answers ?? 0) > 0).length,
    photos_uploaded: counted.reduce((n, v) => n + (v.photos?.length ?? 0), 0),
    brandArea: marks.reduce((sum, m) => sum + (m.shares.A / 100) * m.area, 0),
    shelfArea: marks.reduce((sum, m) => sum + m.area, 0),
  };
}

/** The figures the API must answer, computed independently. */
function expectFigures(got: Figures, metric: Metric, actual: number | null, target: number, elapsed: number) {
  const expected = metric === "shelf_share" ? target : target * elapsed;
  if (actual === null) expect(got.actual).toBeNull();
  else expect(got.actual).toBeCloseTo(actual, 9);
  expect(got.target).toBeCloseTo(target, 9);
  expect(got.percent).toBe(actual === null || target === 0 ? null : round2((100 * actual) / target));
  expect(got.expected).toBe(round2(expected));
  expect(got.on_track).toBe(actual !== null && target > 0 && actual >= expected);
}

/** Checks a progress answer for the agents `who` on [s, e] against VISITS. */
function expectProgress(
  p: Progress,
  field: Field,
  metric: Metric,
  target: number,
  who: Agent[],
  period: { s: string; e: string; date: string },
  f: Filter = {},
) {
  expect(p.metric).toBe(metric);
  expect(p.period).toEqual({ start_date: period.s, end_date: period.e });
  const elapsed = Math.min(
    1,
    Math.max(0, daysBetween(period.s, period.date) / daysBetween(period.s, period.e)),
  );
  expect(p.elapsed_fraction).toBeCloseTo(elapsed, 12);
  expect(p.assignees.map((a) => a.user_id).sort()).toEqual(who.map((a) => field.users[a].user.id).sort());
  let count = 0;
  let brandArea = 0;
  let shelfArea = 0;
  for (const agent of who) {
    const r = raw(agent, period.s, period.e, f);
    const row = p.assignees.find((a) => a.user_id === field.users[agent].user.id);
    if (!row) throw new Error(`no row for ${agent}`);
    const actual =
      metric === "shelf_share" ? (r.shelfArea > 0 ? (100 * r.brandArea) / r.shelfArea : null) : r[metric];
    expectFigures(row, metric, actual, target, elapsed);
    count += metric === "shelf_share" ? 0 : r[metric];
    brandArea += r.brandArea;
    shelfArea += r.shelfArea;
  }
  const totalActual =
    metric === "shelf_share" ? (shelfArea > 0 ? (100 * brandArea) / shelfArea : null) : count;
  expectFigures(
    p.total,
    metric,
    totalActual,
    metric === "shelf_share" ? target : target * who.length,
    elapsed,
  );
}

describe("goals: the rules across fields", () => {
  it("a create breaking a rule is a 400 naming the field, nothing written", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const brand = await createBrand(tenant);
    const { survey } = await createSurvey(tenant, { questions: [] });
    const base = {
      name: "G",
      metric: "visits_completed",
      target: 10,
      period_type: "weekly",
      start_date: "2026-11-02",
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ period_type: "fixed" }, "end_date"],
      [{ period_type: "fixed", end_date: "2026-11-01" }, "end_date"],
      [{ end_date: "2026-10-01" }, "end_date"],
      [{ metric: "shelf_share", target: 50 }, "brand_id"],
      [{ metric: "shelf_share", target: 150, brand_id: brand.id }, "target"],
      [{ metric: "shelf_share", target: 50, brand_id: brand.id, survey_id: survey.id }, "survey_id"],
      [{ target: 0 }, "target"],
      [{ target: -3 }, "target"],
      [{ metric: "sales" }, "metric"],
      [{ period_type: "daily" }, "period_type"],
      [{ start_date: "2026-13-01" }, "start_date"],
      [{ tenant_id: tenant.id }, "tenant_id"],
    ];
    for (const [change, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/goals", {
        token: admin.token,
        body: { ...base, ...change },
      });
      expect(res.status, `${JSON.stringify(change)}: ${res.text}`).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION_ERROR");
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    const other = await createTenant();
    const foreignBrand = await createBrand(other);
    const res = await call<ErrorEnvelope>("POST", "/api/goals", {
      token: admin.token,
      body: { ...base, metric: "shelf_share", target: 50, brand_id: foreignBrand.id },
    });
    expect(res.status, res.text).toBe(404);
    expect(fieldOf(res)).toBe("brand_id");
    expect(await goalRows(tenant.id)).toEqual([]);
  });

  it("a partial update is checked against the stored values, inside its one round trip; nothing written when refused", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const brand = await createBrand(tenant);
    const { survey } = await createSurvey(tenant, { questions: [] });
    const share = await createGoal(admin.token, {
      metric: "shelf_share",
      target: 40,
      brand_id: brand.id,
      period_type: "monthly",
      start_date: "2026-11-01",
    });
    const count = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 500,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    const cases: [GoalJson, Record<string, unknown>, string][] = [
      [share, { target: 150 }, "target"],
      [share, { brand_id: null }, "brand_id"],
      [share, { survey_id: survey.id }, "survey_id"],
      [share, { period_type: "fixed" }, "end_date"],
      [share, { end_date: "2026-10-31" }, "end_date"],
      [count, { metric: "shelf_share", brand_id: brand.id }, "target"],
      [count, { metric: "shelf_share", target: 30 }, "brand_id"],
      [count, { start_date: "2026-12-01", end_date: "2026-11-30" }, "end_date"],
    ];
    const before = await goalRows(tenant.id);
    for (const [goal, change, field] of cases) {
      for (const method of ["PATCH", "PUT"]) {
        const res = await call<ErrorEnvelope>(method, `/api/goals/${goal.id}`, {
          token: admin.token,
          body: change,
        });
        expect(res.status, `${JSON.stringify(change)}: ${res.text}`).toBe(400);
        expect(fieldOf(res)).toBe(field);
        expect(roundTrips(res.headers)).toBe(1);
      }
    }
    expect(await goalRows(tenant.id)).toEqual(before);
    const audits = await testDb().select().from(auditLogs).where(eq(auditLogs.tenantId, tenant.id));
    expect(audits.filter((a) => a.action === "goal.update")).toEqual([]);

    const ok = await call<{ data: GoalJson }>("PATCH", `/api/goals/${count.id}`, {
      token: admin.token,
      body: { metric: "shelf_share", brand_id: brand.id, target: 30 },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(roundTrips(ok.headers)).toBe(1);
    expect(ok.json.data).toMatchObject({ metric: "shelf_share", brand_id: brand.id, target: 30, version: 2 });
    const fixed = await call<{ data: GoalJson }>("PATCH", `/api/goals/${share.id}`, {
      token: admin.token,
      body: { period_type: "fixed", end_date: "2026-11-30" },
    });
    expect(fixed.status, fixed.text).toBe(200);
  });
});

describe("goals: roles", () => {
  it("managers and admins create and assign; every role lists; agents and team leaders may not write", async () => {
    const tenant = await createTenant();
    const [admin, manager, area, leader, agent, viewer] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["manager"]),
      createUser(tenant, ["area_manager"]),
      createUser(tenant, ["team_leader"]),
      createUser(tenant, ["agent"]),
      createUser(tenant, ["viewer"]),
    ]);
    const body = { metric: "photos_uploaded", target: 5, period_type: "weekly", start_date: "2026-11-02" };
    const byAdmin = await createGoal(admin.token, body);
    await createGoal(manager.token, body);
    await createGoal(area.token, body);
    for (const user of [leader, agent, viewer]) {
      const res = await call<ErrorEnvelope>("POST", "/api/goals", {
        token: user.token,
        body: { name: "No", ...body },
      });
      expect(res.status, res.text).toBe(403);
      const a = await assign(user.token, byAdmin.id, { user_ids: [agent.user.id] });
      expect(a.status, a.text).toBe(403);
    }
    for (const user of [admin, manager, area, leader, agent, viewer]) {
      const list = await call<{ data: GoalJson[] }>("GET", "/api/goals", { token: user.token });
      expect(list.status, list.text).toBe(200);
      expect(list.json.data).toHaveLength(3);
    }
    expect(await goalRows(tenant.id)).toHaveLength(3);
  });
});

describe("goals: assignments", () => {
  let field: Field;
  let teamA: string;
  let teamB: string;
  beforeAll(async () => {
    field = await createField();
    const team = async (u: TestUser) =>
      (await testDb().select().from(teamMembers).where(eq(teamMembers.userId, u.user.id)))[0]?.teamId ?? "";
    teamA = await team(field.users.a1);
    teamB = await team(field.users.a3);
  });

  it("adds users and teams once each (duplicates, assigning twice), in one audited round trip; removes one", async () => {
    const { admin, a1, a2 } = field.users;
    const goal = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 3,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    const first = await assign(admin.token, goal.id, {
      user_ids: [a1.user.id, a2.user.id, a1.user.id],
      team_ids: [teamA, teamA],
    });
    expect(first.status, first.text).toBe(200);
    expect(roundTrips(first.headers)).toBe(1);
    expect(first.json.data).toHaveLength(3);
    const again = await assign(admin.token, goal.id, { user_ids: [a2.user.id], team_ids: [teamA, teamB] });
    expect(again.status, again.text).toBe(200);
    const rows = await assignmentRows(goal.id);
    expect(rows).toHaveLength(4);
    expect(again.json.data.map((a) => a.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(rows.filter((r) => r.userId === a1.user.id)).toHaveLength(1);
    expect(rows.filter((r) => r.teamId === teamA)).toHaveLength(1);
    const audits = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, goal.id), eq(auditLogs.action, "goal.assign")));
    expect(audits).toHaveLength(2);
    expect(audits.map((a) => a.newValues)).toContainEqual({ user_ids: [], team_ids: [teamB] });

    // Assigning only what is already there changes nothing and audits nothing.
    const noop = await assign(admin.token, goal.id, { user_ids: [a1.user.id] });
    expect(noop.status).toBe(200);
    expect(await assignmentRows(goal.id)).toHaveLength(4);

    const teamRow = rows.find((r) => r.teamId === teamB);
    const del = await call("DELETE", `/api/goals/${goal.id}/assignments/${teamRow?.id}`, {
      token: admin.token,
    });
    expect(del.status, del.text).toBe(204);
    expect(roundTrips(del.headers)).toBe(1);
    expect(await assignmentRows(goal.id)).toHaveLength(3);
    const twice = await call("DELETE", `/api/goals/${goal.id}/assignments/${teamRow?.id}`, {
      token: admin.token,
    });
    expect(twice.status).toBe(404);
  });

  it("another tenant's user or team, a disabled member, an empty or oversized body: refused, nothing written", async () => {
    const { admin, a1, a4 } = field.users;
    const goal = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 3,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    const other = await createTenant();
    const stranger = await createUser(other, ["agent"]);
    const foreignTeam = await createTeam(other);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ user_ids: [a1.user.id, stranger.user.id] }, 404, "user_ids"],
      [{ user_ids: [a1.user.id], team_ids: [foreignTeam.id] }, 404, "team_ids"],
      [{}, 400, "user_ids"],
      [{ user_ids: [] }, 400, "user_ids"],
      [{ user_ids: ["nope"] }, 400, "user_ids.0"],
      [{ team_ids: Array.from({ length: 201 }, () => teamA) }, 400, "team_ids"],
      [{ user_ids: [a1.user.id], extra: 1 }, 400, "extra"],
    ];
    for (const [body, status, name] of cases) {
      const res = await assign(admin.token, goal.id, body);
      expect(res.status, `${JSON.stringify(body).slice(0, 80)}: ${res.text}`).toBe(status);
      expect(fieldOf(res)).toBe(name);
    }
    await testDb()
      .update(memberships)
      .set({ status: "disabled" })
      .where(and(eq(memberships.tenantId, field.tenant.id), eq(memberships.userId, a4.user.id)));
    const disabled = await assign(admin.token, goal.id, { user_ids: [a4.user.id] });
    await testDb()
      .update(memberships)
      .set({ status: "active" })
      .where(and(eq(memberships.tenantId, field.tenant.id), eq(memberships.userId, a4.user.id)));
    expect(disabled.status).toBe(404);
    expect(fieldOf(disabled)).toBe("user_ids");
    expect(await assignmentRows(goal.id)).toEqual([]);
    // Another tenant's goal is not found.
    const otherAdmin = await createUser(other, ["admin"]);
    const theirs = await assign(otherAdmin.token, goal.id, { user_ids: [stranger.user.id] });
    expect(theirs.status).toBe(404);
  });

  it("a subtree manager assigns only users and teams below their teams (others → 404, never revealed)", async () => {
    const { admin, manager, a1, a3, a4 } = field.users;
    const goal = await createGoal(manager.token, {
      metric: "visits_completed",
      target: 3,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    const outside = await createTeam(field.tenant);
    const ok = await assign(manager.token, goal.id, {
      user_ids: [a1.user.id, a3.user.id],
      team_ids: [teamA, teamB],
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.data).toHaveLength(4);
    const user = await assign(manager.token, goal.id, { user_ids: [a4.user.id] });
    expect(user.status).toBe(404);
    expect(fieldOf(user)).toBe("user_ids");
    const team = await assign(manager.token, goal.id, { team_ids: [outside.id] });
    expect(team.status).toBe(404);
    expect(fieldOf(team)).toBe("team_ids");
    expect(await assignmentRows(goal.id)).toHaveLength(4);
    // What the admin assigned outside the manager's scope the manager neither sees nor removes.
    const byAdmin = await assign(admin.token, goal.id, { user_ids: [a4.user.id] });
    expect(byAdmin.json.data).toHaveLength(5);
    const seen = await assign(manager.token, goal.id, { user_ids: [a1.user.id] });
    expect(seen.json.data.map((a) => a.user_id)).not.toContain(a4.user.id);
    const a4Row = byAdmin.json.data.find((a) => a.user_id === a4.user.id);
    const del = await call("DELETE", `/api/goals/${goal.id}/assignments/${a4Row?.id}`, {
      token: manager.token,
    });
    expect(del.status).toBe(404);
    expect(await assignmentRows(goal.id)).toHaveLength(5);
  });
});

describe("goals: progress from the rollups", () => {
  let field: Field;
  let teamB: string;
  /** A fixed goal over 2–15 Nov per metric, assigned to a1, a2 and a4 directly and to a3 through teamB. */
  const goalsBy: Partial<Record<Metric, GoalJson>> = {};
  const FIXED = { s: "2026-11-02", e: "2026-11-15", date: "2026-11-08" };
  const TARGET: Record<Metric, number> = {
    visits_completed: 3,
    surveys_completed: 2,
    photos_uploaded: 1,
    shelf_share: 40,
  };

  beforeAll(async () => {
    field = await createField();
    await deliver(field.events);
    teamB = (
      await testDb().select().from(teamMembers).where(eq(teamMembers.userId, field.users.a3.user.id))
    )[0]?.teamId as string;
    const { admin, a1, a2, a4 } = field.users;
    for (const metric of Object.keys(TARGET) as Metric[]) {
      const goal = await createGoal(admin.token, {
        metric,
        target: TARGET[metric],
        period_type: "fixed",
        start_date: FIXED.s,
        end_date: FIXED.e,
        ...(metric === "shelf_share" ? { brand_id: field.brands.A } : {}),
      });
      const res = await assign(admin.token, goal.id, {
        user_ids: [a1.user.id, a2.user.id, a4.user.id],
        team_ids: [teamB],
      });
      expect(res.status, res.text).toBe(200);
      goalsBy[metric] = goal;
    }
  });

  it("every metric, for the admin, matches the rows (actual, percent, expected, on-track, total)", async () => {
    for (const metric of Object.keys(TARGET) as Metric[]) {
      const goal = goalsBy[metric] as GoalJson;
      const p = await progress(field.users.admin.token, goal.id, FIXED.date);
      expectProgress(p, field, metric, TARGET[metric], ["a1", "a2", "a3", "a4"], FIXED);
      expect(p.assignees.find((a) => a.user_id === field.users.a3.user.id)?.via_team_id).toBe(teamB);
      expect(p.assignees.find((a) => a.user_id === field.users.a1.user.id)?.via_team_id).toBeNull();
    }
    // A sanity check of the data itself: something counts for every metric.
    const visits = await progress(
      field.users.admin.token,
      (goalsBy.visits_completed as GoalJson).id,
      FIXED.date,
    );
    expect(visits.total.actual).toBe(4);
    const share = await progress(field.users.admin.token, (goalsBy.shelf_share as GoalJson).id, FIXED.date);
    expect(share.total.actual).toBeCloseTo(50, 9);
  });

  it("scoped: an agent sees their own row, a team leader their team, a subtree manager their subtree", async () => {
    const { a1, a4, leader, manager } = field.users;
    const cases: [TestUser, Agent[]][] = [
      [a1, ["a1"]],
      [a4, ["a4"]],
      [leader, ["a1", "a2"]],
      [manager, ["a1", "a2", "a3"]],
    ];
    for (const metric of Object.keys(TARGET) as Metric[]) {
      for (const [user, who] of cases) {
        const p = await progress(user.token, (goalsBy[metric] as GoalJson).id, FIXED.date);
        expectProgress(p, field, metric, TARGET[metric], who, FIXED);
      }
    }
    // A reader with no assignment in scope sees the goal with no rows and nothing to be on track for.
    const outsider = await createUser(field.tenant, ["agent"]);
    const none = await progress(outsider.token, (goalsBy.visits_completed as GoalJson).id, FIXED.date);
    expect(none.assignees).toEqual([]);
    expect(none.total).toEqual({ actual: 0, target: 0, percent: null, expected: 0, on_track: false });
    const other = await createTenant();
    const stranger = await createUser(other, ["admin"]);
    const res = await call("GET", `/api/goals/${(goalsBy.visits_completed as GoalJson).id}/progress`, {
      token: stranger.token,
    });
    expect(res.status).toBe(404);
  });

  it("filters: region of the shop, survey, and brand (surveys of the brand) on a count metric", async () => {
    const { admin, a1, a2, a4 } = field.users;
    await testDb()
      .update(surveys)
      .set({ brandId: field.brands.A })
      .where(eq(surveys.id, field.surveys.S2.id));
    const cases: [Record<string, unknown>, Filter][] = [
      [{ region: "North" }, { region: "North" }],
      [{ region: "South" }, { region: "South" }],
      [{ survey_id: field.surveys.S1.id }, { survey: "S1" }],
      [{ brand_id: field.brands.A }, { brandSurveys: ["S2"] }],
    ];
    for (const metric of ["visits_completed", "surveys_completed", "photos_uploaded"] as const) {
      for (const [filter, f] of cases) {
        const goal = await createGoal(admin.token, {
          metric,
          target: 2,
          period_type: "fixed",
          start_date: FIXED.s,
          end_date: FIXED.e,
          ...filter,
        });
        await assign(admin.token, goal.id, { user_ids: [a1.user.id, a2.user.id, a4.user.id] });
        const p = await progress(admin.token, goal.id, FIXED.date);
        expectProgress(p, field, metric, 2, ["a1", "a2", "a4"], FIXED, f);
      }
    }
    const share = await createGoal(admin.token, {
      metric: "shelf_share",
      target: 60,
      brand_id: field.brands.A,
      region: "North",
      period_type: "fixed",
      start_date: "2026-10-01",
      end_date: "2026-11-30",
    });
    await assign(admin.token, share.id, { user_ids: [a1.user.id, a2.user.id], team_ids: [teamB] });
    const p = await progress(admin.token, share.id, "2026-11-30");
    expectProgress(
      p,
      field,
      "shelf_share",
      60,
      ["a1", "a2", "a3"],
      { s: "2026-10-01", e: "2026-11-30", date: "2026-11-30" },
      { region: "North" },
    );
  });

  it("a weekly goal in Johannesburg counts visits by their local day around midnight; monthly and cut-short periods", async () => {
    const { admin, a1, a2, a4 } = field.users;
    const weekly = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 2,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    await assign(admin.token, weekly.id, { user_ids: [a1.user.id, a2.user.id] });
    const weeks = [
      // 22:30 UTC on 1 Nov is 00:30 on 2 Nov there: in the first week.
      { date: "2026-11-02", s: "2026-11-02", e: "2026-11-08" },
      { date: "2026-11-08", s: "2026-11-02", e: "2026-11-08" },
      // 21:59 UTC on 15 Nov is 23:59 there (still week 2, in progress); 22:00 UTC is 00:00 on the 16th (week 3).
      { date: "2026-11-15", s: "2026-11-09", e: "2026-11-15" },
      { date: "2026-11-16", s: "2026-11-16", e: "2026-11-22" },
      // Before the goal: its first period, nothing elapsed.
      { date: "2026-10-20", s: "2026-11-02", e: "2026-11-08" },
    ];
    for (const w of weeks) {
      const p = await progress(admin.token, weekly.id, w.date);
      expectProgress(p, field, "visits_completed", 2, ["a1", "a2"], w);
    }
    expect(
      (await progress(admin.token, weekly.id, "2026-11-16")).assignees.find((a) => a.user_id === a1.user.id)
        ?.actual,
    ).toBe(1);
    expect(
      (await progress(admin.token, weekly.id, "2026-11-02")).assignees.find((a) => a.user_id === a1.user.id)
        ?.actual,
    ).toBe(1);
    expect((await progress(admin.token, weekly.id, "2026-10-20")).elapsed_fraction).toBe(0);

    // Default date: today in Johannesburg, in the week that contains it.
    const today = localDay(new Date().toISOString());
    const k = Math.floor((daysBetween("2026-11-02", today) - 1) / 7);
    const s = new Date(Date.parse("2026-11-02T00:00:00Z") + k * 7 * 86_400_000).toISOString().slice(0, 10);
    const e = new Date(Date.parse(`${s}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const now = await progress(admin.token, weekly.id);
    expectProgress(now, field, "visits_completed", 2, ["a1", "a2"], { s, e, date: today });

    // Monthly from 31 Oct: 31 Oct – 29 Nov (31 Oct + 1 month = 30 Nov). a4's 21:30 UTC visit on 31 Oct is 23:30 there.
    const monthly = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 4,
      period_type: "monthly",
      start_date: "2026-10-31",
    });
    await assign(admin.token, monthly.id, { user_ids: [a1.user.id, a2.user.id, a4.user.id] });
    for (const m of [
      { date: "2026-11-15", s: "2026-10-31", e: "2026-11-29" },
      { date: "2026-11-30", s: "2026-11-30", e: "2026-12-30" },
    ]) {
      expectProgress(
        await progress(admin.token, monthly.id, m.date),
        field,
        "visits_completed",
        4,
        ["a1", "a2", "a4"],
        m,
      );
    }

    // end_date ends the recurrence: the last week is cut short, and a later date gets it, fully elapsed.
    const short = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 3,
      period_type: "weekly",
      start_date: "2026-11-02",
      end_date: "2026-11-11",
    });
    await assign(admin.token, short.id, { user_ids: [a2.user.id] });
    for (const w of [
      { date: "2026-11-10", s: "2026-11-09", e: "2026-11-11" },
      { date: "2026-11-25", s: "2026-11-09", e: "2026-11-11" },
    ]) {
      expectProgress(await progress(admin.token, short.id, w.date), field, "visits_completed", 3, ["a2"], w);
    }
  });

  it("the nightly rebuild from source rows (no events) gives the same figures; redelivery changes nothing", async () => {
    const rebuilt = await createField();
    for (const day of visitDays()) {
      // 02:30 UTC on the next day = 04:30 in Johannesburg, where "yesterday" is `day`.
      await runCron(CRON_NIGHTLY, new Date(Date.parse(`${day}T02:30:00Z`) + 86_400_000));
    }
    const { admin, a1, a2, a3, a4 } = rebuilt.users;
    for (const metric of Object.keys(TARGET) as Metric[]) {
      const goal = await createGoal(admin.token, {
        metric,
        target: TARGET[metric],
        period_type: "fixed",
        start_date: FIXED.s,
        end_date: FIXED.e,
        ...(metric === "shelf_share" ? { brand_id: rebuilt.brands.A } : {}),
      });
      await assign(admin.token, goal.id, { user_ids: [a1.user.id, a2.user.id, a3.user.id, a4.user.id] });
      const p = await progress(admin.token, goal.id, FIXED.date);
      expectProgress(p, rebuilt, metric, TARGET[metric], ["a1", "a2", "a3", "a4"], FIXED);
      await deliver([...rebuilt.events, ...rebuilt.events]);
      expect(await progress(admin.token, goal.id, FIXED.date)).toEqual(p);
      // Migration 0012 backfills `answered` of cells written before the column existed, as the rollup does.
      await testDb().execute(
        sql`update visit_activity_daily_rollups set answered = 0 where tenant_id = ${rebuilt.tenant.id}`,
      );
      await testDb().execute(sql.raw(backfillAnswered));
      expect(await progress(admin.token, goal.id, FIXED.date)).toEqual(p);
    }
  });

  it("a bad date is a 400 naming it; a deleted goal is gone", async () => {
    const { admin } = field.users;
    const goal = goalsBy.visits_completed as GoalJson;
    const bad = await call<ErrorEnvelope>("GET", `/api/goals/${goal.id}/progress?date=2026-02-30`, {
      token: admin.token,
    });
    expect(bad.status).toBe(400);
    expect(fieldOf(bad)).toBe("date");
    const extra = await call<ErrorEnvelope>("GET", `/api/goals/${goal.id}/progress?day=1`, {
      token: admin.token,
    });
    expect(extra.status).toBe(400);
    const doomed = await createGoal(admin.token, {
      metric: "visits_completed",
      target: 1,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    const del = await call("DELETE", `/api/goals/${doomed.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    const gone = await call("GET", `/api/goals/${doomed.id}/progress`, { token: admin.token });
    expect(gone.status).toBe(404);
    const assignGone = await assign(admin.token, doomed.id, { user_ids: [admin.user.id] });
    expect(assignGone.status).toBe(404);
  });

  it("offline sync's query: the caller's goals active on the day (direct or through a team), with their own progress only", async () => {
    const { admin, a3 } = field.users;
    const ctx: TenantContext = {
      tenantId: field.tenant.id,
      userId: a3.user.id,
      roles: ["agent"],
      permissions: new Set(["goals:read"]),
      scope: "own",
      isSuperAdmin: false,
      db: testDb(),
      requestId: "test",
      ip: null,
      userAgent: null,
    };
    const ended = await createGoal(admin.token, {
      metric: "photos_uploaded",
      target: 1,
      period_type: "fixed",
      start_date: "2026-10-01",
      end_date: "2026-10-31",
    });
    await assign(admin.token, ended.id, { user_ids: [a3.user.id] });
    const deleted = await createGoal(admin.token, {
      metric: "photos_uploaded",
      target: 1,
      period_type: "weekly",
      start_date: "2026-11-02",
    });
    await assign(admin.token, deleted.id, { team_ids: [teamB] });
    await call("DELETE", `/api/goals/${deleted.id}`, { token: admin.token });

    const db = testDb();
    const [result] = await db.batch([myGoalProgressQuery(ctx, FIXED.date)]);
    const items = myGoalProgressRows(result);
    const ids = items.map((i) => i.goal_id);
    for (const metric of Object.keys(TARGET) as Metric[])
      expect(ids).toContain((goalsBy[metric] as GoalJson).id);
    expect(ids).not.toContain(ended.id);
    expect(ids).not.toContain(deleted.id);
    for (const item of items) {
      expect(item.assignees.map((a) => a.user_id)).toEqual([a3.user.id]);
      const api = await progress(a3.token, item.goal_id, FIXED.date);
      expect(item).toEqual(api);
    }
    const count = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from goal_assignments where tenant_id = ${field.tenant.id}`,
    );
    expect(count.rows[0]?.n).toBeGreaterThan(0);
  });
});
