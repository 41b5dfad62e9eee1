import { describe, expect, it } from "vitest";
import { createSurvey } from "../helpers/catalog";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, createTeam } from "../helpers/teams";
import { createVisit } from "../helpers/visits";

interface VisitList {
  data: { id: string; agent_id: string; status: string; started_at: string }[];
  pagination: { page_size: number; total: number | null; next_cursor: string | null };
}

/**
 * Area → two teams; a leader and an agent in team A, an agent in team B, an area manager in the
 * area team, and an agent in a sibling area. Each agent has one visit.
 */
async function territory() {
  const tenant = await createTenant();
  const { survey } = await createSurvey(tenant, { questions: [] });
  const area = await createTeam(tenant, { name: "Area North" });
  const sibling = await createTeam(tenant, { name: "Area South" });
  const teamA = await createTeam(tenant, { name: "Team A", parent: area });
  const teamB = await createTeam(tenant, { name: "Team B", parent: area });
  const [leader, agentA, agentB, manager, agentSouth, admin] = await Promise.all([
    createUser(tenant, ["team_leader"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["area_manager"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["admin"]),
  ]);
  await addTeamMember(teamA, leader.user.id, true);
  await addTeamMember(teamA, agentA.user.id);
  await addTeamMember(teamB, agentB.user.id);
  await addTeamMember(area, manager.user.id, true);
  await addTeamMember(sibling, agentSouth.user.id);
  const visitOf = async (agentId: string) => (await createVisit(tenant, agentId, survey.id)).id;
  const visits = {
    leader: await visitOf(leader.user.id),
    agentA: await visitOf(agentA.user.id),
    agentB: await visitOf(agentB.user.id),
    agentSouth: await visitOf(agentSouth.user.id),
  };
  return { tenant, survey, leader, agentA, agentB, manager, agentSouth, admin, visits };
}

const idsOf = async (token: string, query = "") => {
  const res = await call<VisitList>("GET", `/api/visits${query}`, { token });
  expect(res.status).toBe(200);
  return res.json.data.map((v) => v.id).sort();
};

describe("GET /api/visits", () => {
  it("the four data scopes: own, team, subtree, tenant — each in one round trip", async () => {
    const t = await territory();
    const { visits: v } = t;
    expect(await idsOf(t.agentA.token)).toEqual([v.agentA]);
    expect(await idsOf(t.leader.token)).toEqual([v.leader, v.agentA].sort());
    expect(await idsOf(t.manager.token)).toEqual([v.leader, v.agentA, v.agentB].sort());
    expect(await idsOf(t.admin.token)).toEqual(Object.values(v).sort());
    const res = await call("GET", "/api/visits", { token: t.manager.token });
    expect(roundTrips(res.headers)).toBe(1);
    // A filter never widens the scope: an agent asking for someone else's visits gets none.
    expect(await idsOf(t.agentA.token, `?agent_id=${t.agentB.user.id}`)).toEqual([]);
    // Another agent's visit by id is not found, not forbidden.
    expect((await call("GET", `/api/visits/${v.agentB}`, { token: t.agentA.token })).status).toBe(404);
    expect((await call("GET", `/api/visits/${v.agentB}`, { token: t.manager.token })).status).toBe(200);
  });

  it("filters by agent, survey, status and date range", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const [a, b] = await Promise.all([createUser(tenant, ["agent"]), createUser(tenant, ["agent"])]);
    const [{ survey: s1 }, { survey: s2 }] = await Promise.all([
      createSurvey(tenant, { questions: [] }),
      createSurvey(tenant, { questions: [] }),
    ]);
    const early = await createVisit(tenant, a.user.id, s1.id, {
      startedAt: new Date("2026-11-01T08:00:00Z"),
    });
    const done = await createVisit(tenant, a.user.id, s2.id, {
      startedAt: new Date("2026-11-05T08:00:00Z"),
      status: "completed",
      completedAt: new Date("2026-11-05T09:00:00Z"),
    });
    const other = await createVisit(tenant, b.user.id, s1.id, {
      startedAt: new Date("2026-11-06T08:00:00Z"),
    });
    expect(await idsOf(admin.token, `?agent_id=${a.user.id}`)).toEqual([early.id, done.id].sort());
    expect(await idsOf(admin.token, `?survey_id=${s1.id}`)).toEqual([early.id, other.id].sort());
    expect(await idsOf(admin.token, "?status=completed")).toEqual([done.id]);
    expect(await idsOf(admin.token, "?from=2026-11-02T00:00:00Z&to=2026-11-06T00:00:00Z")).toEqual([done.id]);
    const bad = await call<ErrorEnvelope>(
      "GET",
      "/api/visits?from=2026-11-09T00:00:00Z&to=2026-11-01T00:00:00Z",
      {
        token: admin.token,
      },
    );
    expect(bad.status).toBe(400);
    for (const q of ["status=done", "page_size=0", "agent_id=me", "cursor=%%%", "tenant_id=x"]) {
      expect((await call("GET", `/api/visits?${q}`, { token: admin.token })).status, q).toBe(400);
    }
  });

  it("keyset pages walk every visit once, newest first, even with equal start times", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { survey } = await createSurvey(tenant, { questions: [] });
    const same = new Date("2026-11-10T08:00:00Z");
    const created = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        await createVisit(tenant, agent.user.id, survey.id, {
          startedAt: i < 4 ? same : new Date(same.getTime() + i * 60_000),
        }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let first = true;
    do {
      const q = `?page_size=3${first ? "&include_total=true" : ""}${cursor ? `&cursor=${cursor}` : ""}`;
      const res: Awaited<ReturnType<typeof call<VisitList>>> = await call<VisitList>(
        "GET",
        `/api/visits${q}`,
        {
          token: agent.token,
        },
      );
      expect(res.status).toBe(200);
      if (first) expect(res.json.pagination.total).toBe(7);
      first = false;
      seen.push(...res.json.data.map((v) => v.id));
      cursor = res.json.pagination.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const expected = [...created]
      .sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime() || (y.id > x.id ? 1 : -1))
      .map((v) => v.id);
    expect(seen).toEqual(expected);
  });
});

describe("GET /api/visits/:id", () => {
  it("returns the visit with its answers and photos in one round trip", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { survey, questions } = await createSurvey(tenant, {
      questions: [{ prompt: "Facings", type: "number", isRequired: true }],
    });
    const visit = await createVisit(tenant, agent.user.id, survey.id);
    const done = await call("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: { answers: [{ question_id: questions[0]?.id, value: 7 }] },
    });
    expect(done.status).toBe(200);
    const res = await call<{ data: { status: string; answers: unknown[]; photos: unknown[] } }>(
      "GET",
      `/api/visits/${visit.id}`,
      { token: agent.token },
    );
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.status).toBe("completed");
    expect(res.json.data.answers).toEqual([
      { question_id: questions[0]?.id, question_prompt: "Facings", question_type: "number", value: 7 },
    ]);
    expect(res.json.data.photos).toEqual([]);
  });
});
