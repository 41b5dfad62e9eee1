import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, createTeam } from "../helpers/teams";

interface ListBody {
  data: { id: string; email: string; roles: string[]; teams: { id: string; is_leader: boolean }[] }[];
  pagination: {
    page: number;
    page_size: number;
    total: number | null;
    pages: number | null;
    next_cursor: string | null;
  };
}

const list = (token: string, query = "") =>
  call<ListBody & ErrorEnvelope>("GET", `/api/users${query ? `?${query}` : ""}`, { token });
const ids = (body: ListBody) => body.data.map((u) => u.id).sort();
const idsOf = (...users: TestUser[]) => users.map((u) => u.user.id).sort();

/**
 * A 3-level tree: area → team A, team B; a sibling area → team C.
 * agentA1, agentA2 and leaderA in team A; agentB1 and leaderB in team B; areaManager in the area;
 * siblingManager in the sibling area, agentC1 in team C; admin in no team.
 */
async function tree() {
  const tenant = await createTenant();
  const area = await createTeam(tenant, { name: "Area" });
  const teamA = await createTeam(tenant, { name: "Team A", parent: area });
  const teamB = await createTeam(tenant, { name: "Team B", parent: area });
  const sibling = await createTeam(tenant, { name: "Sibling area" });
  const teamC = await createTeam(tenant, { name: "Team C", parent: sibling });
  const admin = await createUser(tenant, ["admin"]);
  const areaManager = await createUser(tenant, ["area_manager"]);
  const leaderA = await createUser(tenant, ["team_leader"]);
  const agentA1 = await createUser(tenant, ["agent"]);
  const agentA2 = await createUser(tenant, ["agent"]);
  const leaderB = await createUser(tenant, ["team_leader"]);
  const agentB1 = await createUser(tenant, ["agent"]);
  const siblingManager = await createUser(tenant, ["area_manager"]);
  const agentC1 = await createUser(tenant, ["agent"]);
  await addTeamMember(area, areaManager.user.id);
  await addTeamMember(teamA, leaderA.user.id, true);
  await addTeamMember(teamA, agentA1.user.id);
  await addTeamMember(teamA, agentA2.user.id);
  await addTeamMember(teamB, leaderB.user.id, true);
  await addTeamMember(teamB, agentB1.user.id);
  await addTeamMember(sibling, siblingManager.user.id);
  await addTeamMember(teamC, agentC1.user.id);
  const everyone = [admin, areaManager, leaderA, agentA1, agentA2, leaderB, agentB1, siblingManager, agentC1];
  return {
    tenant,
    teams: { area, teamA, teamB, sibling, teamC },
    admin,
    areaManager,
    leaderA,
    agentA1,
    agentA2,
    leaderB,
    agentB1,
    siblingManager,
    agentC1,
    everyone,
  };
}

describe("GET /api/users: data scopes on a 3-level team tree", () => {
  it("own: an agent sees only themself", async () => {
    const t = await tree();
    const res = await list(t.agentA1.token);
    expect(res.status).toBe(200);
    expect(ids(res.json)).toEqual(idsOf(t.agentA1));
    expect(roundTrips(res.headers)).toBe(1);
  });

  it("team: a team leader sees their team's members, not the other team's", async () => {
    const t = await tree();
    const res = await list(t.leaderA.token);
    expect(ids(res.json)).toEqual(idsOf(t.leaderA, t.agentA1, t.agentA2));
    const other = await call("GET", `/api/users/${t.agentB1.user.id}`, { token: t.leaderA.token });
    expect(other.status).toBe(404);
    const mine = await call("GET", `/api/users/${t.agentA2.user.id}`, { token: t.leaderA.token });
    expect(mine.status).toBe(200);
  });

  it("subtree: an area manager sees everyone below the area, not the sibling area", async () => {
    const t = await tree();
    const res = await list(t.areaManager.token);
    expect(ids(res.json)).toEqual(
      idsOf(t.areaManager, t.leaderA, t.agentA1, t.agentA2, t.leaderB, t.agentB1),
    );
    expect(roundTrips(res.headers)).toBe(1);
    const sibling = await list(t.siblingManager.token);
    expect(ids(sibling.json)).toEqual(idsOf(t.siblingManager, t.agentC1));
    const outside = await call("GET", `/api/users/${t.agentC1.user.id}`, { token: t.areaManager.token });
    expect(outside.status).toBe(404);
  });

  it("tenant: an admin sees all, with roles and teams aggregated in the same single round trip", async () => {
    const t = await tree();
    const res = await list(t.admin.token, "include_total=true");
    expect(ids(res.json)).toEqual(idsOf(...t.everyone));
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.pagination).toEqual({ page: 1, page_size: 25, total: 9, pages: 1, next_cursor: null });
    const leader = res.json.data.find((u) => u.id === t.leaderA.user.id);
    expect(leader?.roles).toEqual(["team_leader"]);
    expect(leader?.teams).toEqual([{ id: t.teams.teamA.id, name: "Team A", is_leader: true }]);
  });
});

describe("GET /api/users: filters and paging", () => {
  it("filters by role, team, email substring, q and is_active", async () => {
    const t = await tree();
    const byRole = await list(t.admin.token, "role=team_leader");
    expect(ids(byRole.json)).toEqual(idsOf(t.leaderA, t.leaderB));
    const byTeam = await list(t.admin.token, `team=${t.teams.teamA.id}`);
    expect(ids(byTeam.json)).toEqual(idsOf(t.leaderA, t.agentA1, t.agentA2));
    const fragment = t.agentB1.user.id.slice(-10).toUpperCase();
    const byEmail = await list(t.admin.token, `email=${fragment}`);
    expect(ids(byEmail.json)).toEqual(idsOf(t.agentB1));
    const byQ = await list(t.admin.token, `q=${t.agentC1.user.lastName}`);
    expect(ids(byQ.json)).toEqual(idsOf(t.agentC1));
    // Scope and filters combine: a leader filtering by the other team sees nobody.
    const scoped = await list(t.leaderA.token, `team=${t.teams.teamB.id}`);
    expect(scoped.json.data).toEqual([]);
    // LIKE wildcards in the filter are literal.
    expect((await list(t.admin.token, "email=%25")).json.data).toEqual([]);

    await testDb()
      .update(memberships)
      .set({ status: "disabled" })
      .where(and(eq(memberships.tenantId, t.tenant.id), eq(memberships.userId, t.agentA2.user.id)));
    const inactive = await list(t.admin.token, "is_active=false");
    expect(ids(inactive.json)).toEqual(idsOf(t.agentA2));
    const active = await list(t.admin.token, "is_active=true&include_total=true");
    expect(active.json.pagination.total).toBe(8);
  });

  it("pages by page/page_size with totals, and by keyset cursor, in (created_at, id) order", async () => {
    const t = await tree();
    const all = await list(t.admin.token, "page_size=100");
    const ordered = all.json.data.map((u) => u.id);
    expect(ordered).toHaveLength(9);

    const second = await list(t.admin.token, "page=2&page_size=4&include_total=true");
    expect(second.json.data.map((u) => u.id)).toEqual(ordered.slice(4, 8));
    expect(second.json.pagination).toMatchObject({ page: 2, page_size: 4, total: 9, pages: 3 });
    expect(roundTrips(second.headers)).toBe(1);
    const beyond = await list(t.admin.token, "page=5&page_size=4&include_total=true");
    expect(beyond.json.data).toEqual([]);
    expect(beyond.json.pagination.total).toBe(9);

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof list>> = await list(
        t.admin.token,
        `page_size=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      walked.push(...res.json.data.map((u) => u.id));
      cursor = res.json.pagination.next_cursor;
    } while (cursor);
    expect(walked).toEqual(ordered);
  });

  it("rejects bad query parameters with field details", async () => {
    const t = await tree();
    const cases: [string, string][] = [
      ["page_size=101", "page_size"],
      ["page_size=0", "page_size"],
      ["page=0", "page"],
      ["team=nope", "team"],
      ["is_active=maybe", "is_active"],
      ["cursor=garbage", "cursor"],
      ["cursor=abc&page=2", "cursor"],
      ["tenant_id=x", "tenant_id"],
    ];
    for (const [query, field] of cases) {
      const res = await list(t.admin.token, query);
      expect(res.status, query).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        query,
      ).toContain(field);
    }
  });
});
