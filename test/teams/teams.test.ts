import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { auditLogs, teamMembers } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, auditOf, createTeam, type TeamJson, teamById, teamTree } from "../helpers/teams";

interface MemberJson {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  is_leader: boolean;
  added_at: string;
}

interface ListJson {
  data: TeamJson[];
  pagination: {
    page: number;
    page_size: number;
    total: number | null;
    pages: number | null;
    next_cursor: null;
  };
}

async function adminOfNewTenant() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  return { tenant, admin };
}

describe("POST /api/teams", () => {
  it("creates root → region → area with paths from the parent row, ETag, Location, audit; one round trip each", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const national = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "National", description: "Everyone" },
      headers: { "user-agent": "admin-console/2.0" },
    });
    expect(national.status).toBe(201);
    expect(roundTrips(national.headers)).toBe(1);
    const root = national.json.data;
    expect(root).toMatchObject({
      name: "National",
      description: "Everyone",
      parent_id: null,
      path_ids: [root.id],
      depth: 0,
      member_count: 0,
    });
    expect(root.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(national.headers.get("etag")).toBe('"v1"');
    expect(national.headers.get("location")).toBe(`/api/teams/${root.id}`);

    const region = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "  Gauteng  ", parent_id: root.id },
    });
    expect(region.status).toBe(201);
    expect(roundTrips(region.headers)).toBe(1);
    expect(region.json.data).toMatchObject({
      name: "Gauteng",
      parent_id: root.id,
      depth: 1,
      description: null,
    });
    const area = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "Johannesburg North", parent_id: region.json.data.id },
    });
    expect(area.status).toBe(201);
    expect(area.json.data.path_ids).toEqual([root.id, region.json.data.id, area.json.data.id]);
    expect(area.json.data.depth).toBe(2);
    expect((await teamById(area.json.data.id))?.path).toBe(
      `/${root.id}/${region.json.data.id}/${area.json.data.id}/`,
    );

    const [audit] = await auditOf(tenant.id, root.id);
    expect(audit).toMatchObject({
      action: "team.create",
      entityType: "team",
      actorId: admin.user.id,
      oldValues: null,
      newValues: { name: "National", description: "Everyone", parent_id: null, path: `/${root.id}/` },
      userAgent: "admin-console/2.0",
      requestId: national.headers.get("x-request-id"),
    });
  });

  it("a duplicate name under the same parent (any case) → 409; the same name elsewhere is fine", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const [north, south] = await Promise.all([
      createTeam(tenant, { name: "North" }),
      createTeam(tenant, { name: "South" }),
    ]);
    await createTeam(tenant, { name: "Sales", parent: north });
    const before = await teamTree(tenant.id);
    const dup = await call<ErrorEnvelope>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "SALES", parent_id: north.id },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe("CONFLICT");
    expect(dup.json.error.details?.[0]?.field).toBe("name");
    const rootDup = await call<ErrorEnvelope>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "north" },
    });
    expect(rootDup.status).toBe(409);
    expect(await teamTree(tenant.id)).toEqual(before);
    const elsewhere = await call("POST", "/api/teams", {
      token: admin.token,
      body: { name: "Sales", parent_id: south.id },
    });
    expect(elsewhere.status).toBe(201);
  });

  it("a parent that does not exist, or belongs to another tenant → 404 and nothing written", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const other = await createTenant();
    const foreign = await createTeam(other);
    for (const parentId of [uuidv7(), foreign.id]) {
      const res = await call<ErrorEnvelope>("POST", "/api/teams", {
        token: admin.token,
        body: { name: "Orphan", parent_id: parentId },
      });
      expect(res.status).toBe(404);
      expect(res.json.error.details?.[0]?.field).toBe("parent_id");
    }
    expect((await teamTree(tenant.id)).teams).toEqual([]);
    expect((await teamTree(other.id)).teams).toHaveLength(1);
    const audit = await testDb().select().from(auditLogs).where(eq(auditLogs.tenantId, tenant.id));
    expect(audit).toEqual([]);
  });

  it("server-owned and unknown fields are refused (no mass assignment); bad input names the field", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "X", tenant_id: uuidv7() }, "tenant_id"],
      [{ name: "X", id: uuidv7() }, "id"],
      [{ name: "X", created_by: admin.user.id }, "created_by"],
      [{ name: "X", path: "/evil/" }, "path"],
      [{ name: "X", version: 7 }, "version"],
      [{ name: "X", member_count: 3 }, "member_count"],
      [{ name: "" }, "name"],
      [{ name: "   " }, "name"],
      [{ name: "x".repeat(121) }, "name"],
      [{ name: "X", parent_id: "not-a-uuid" }, "parent_id"],
      [{ name: "X", description: 12 }, "description"],
      [{}, "name"],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/teams", { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    const form = await call("POST", "/api/teams", {
      token: admin.token,
      rawBody: "name=X",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect((await teamTree(tenant.id)).teams).toEqual([]);
  });

  it("a tree deeper than 16 levels is refused", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    let parent = await createTeam(tenant, { name: "L1" });
    for (let level = 2; level <= 16; level++)
      parent = await createTeam(tenant, { name: `L${level}`, parent });
    const res = await call<ErrorEnvelope>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "L17", parent_id: parent.id },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain("16 levels");
  });

  it("a reader (teams:read only) may not create", async () => {
    const tenant = await createTenant();
    const viewer = await createUser(tenant, ["viewer"]);
    const res = await call("POST", "/api/teams", { token: viewer.token, body: { name: "X" } });
    expect(res.status).toBe(403);
  });
});

describe("GET /api/teams/:id", () => {
  it("returns the team with its members (leaders first) in one round trip; If-None-Match → 304", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const root = await createTeam(tenant, { name: "Region" });
    const team = await createTeam(tenant, { name: "Team A", parent: root, description: "Field team" });
    const [leader, agent] = await Promise.all([
      createUser(tenant, ["team_leader"], { firstName: "Lerato", lastName: "Zulu" }),
      createUser(tenant, ["agent"], { firstName: "Adam", lastName: "Abrahams" }),
    ]);
    await addTeamMember(team, agent.user.id);
    await addTeamMember(team, leader.user.id, true);

    const res = await call<{ data: TeamJson & { members: MemberJson[] } }>("GET", `/api/teams/${team.id}`, {
      token: leader.token,
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({
      id: team.id,
      name: "Team A",
      description: "Field team",
      parent_id: root.id,
      path_ids: [root.id, team.id],
      depth: 1,
      member_count: 2,
    });
    expect(res.json.data.members).toEqual([
      {
        user_id: leader.user.id,
        first_name: "Lerato",
        last_name: "Zulu",
        email: leader.user.email,
        is_leader: true,
        added_at: expect.stringMatching(/Z$/),
      },
      {
        user_id: agent.user.id,
        first_name: "Adam",
        last_name: "Abrahams",
        email: agent.user.email,
        is_leader: false,
        added_at: expect.stringMatching(/Z$/),
      },
    ]);
    const etag = res.headers.get("etag");
    expect(etag).toBe('"v1"');

    const cached = await call("GET", `/api/teams/${team.id}`, {
      token: admin.token,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe("");
    expect(roundTrips(cached.headers)).toBe(1);

    // A membership change changes the representation, so the ETag moves on.
    const removed = await call("DELETE", `/api/teams/${team.id}/members/${agent.user.id}`, {
      token: admin.token,
    });
    expect(removed.status).toBe(204);
    const fresh = await call<{ data: { member_count: number } }>("GET", `/api/teams/${team.id}`, {
      token: admin.token,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).toBe('"v2"');
    expect(fresh.json.data.member_count).toBe(1);
  });

  it("an unknown id → 404; a malformed id → 400", async () => {
    const { admin } = await adminOfNewTenant();
    const missing = await call<ErrorEnvelope>("GET", `/api/teams/${uuidv7()}`, { token: admin.token });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("RESOURCE_NOT_FOUND");
    const bad = await call<ErrorEnvelope>("GET", "/api/teams/123", { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.[0]?.field).toBe("id");
  });
});

describe("GET /api/teams", () => {
  it("filters by parent, root, ancestor and name, pages by name, counts when asked; one round trip", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const national = await createTeam(tenant, { name: "National" });
    await createTeam(tenant, { name: "Another root" });
    const east = await createTeam(tenant, { name: "East", parent: national });
    const west = await createTeam(tenant, { name: "West", parent: national });
    const eastA = await createTeam(tenant, { name: "East 100%_A", parent: east });
    await createTeam(tenant, { name: "East B", parent: east });
    const westA = await createTeam(tenant, { name: "West A", parent: west });
    const agent = await createUser(tenant, ["agent"]);
    await addTeamMember(eastA, agent.user.id);

    const get = async (query: string) => {
      const res = await call<ListJson>("GET", `/api/teams${query}`, { token: admin.token });
      expect(res.status, query).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      return res.json;
    };
    const names = (list: ListJson) => list.data.map((t) => t.name);

    const all = await get("?include_total=true");
    expect(names(all)).toEqual([
      "Another root",
      "East",
      "East 100%_A",
      "East B",
      "National",
      "West",
      "West A",
    ]);
    expect(all.pagination).toEqual({ page: 1, page_size: 25, total: 7, pages: 1, next_cursor: null });
    expect(all.data.find((t) => t.id === eastA.id)?.member_count).toBe(1);
    expect(names(await get("?parent_id=root"))).toEqual(["Another root", "National"]);
    expect(names(await get(`?parent_id=${national.id}`))).toEqual(["East", "West"]);
    expect(names(await get(`?ancestor_id=${national.id}`))).toEqual([
      "East",
      "East 100%_A",
      "East B",
      "West",
      "West A",
    ]);
    expect(names(await get(`?ancestor_id=${east.id}`))).toEqual(["East 100%_A", "East B"]);
    expect(names(await get(`?ancestor_id=${westA.id}`))).toEqual([]);
    expect(names(await get("?q=east"))).toEqual(["East", "East 100%_A", "East B"]);
    // LIKE wildcards in `q` are literal characters.
    expect(names(await get(`?q=${encodeURIComponent("0%_")}`))).toEqual(["East 100%_A"]);
    expect(names(await get("?q=_"))).toEqual(["East 100%_A"]);
    expect(names(await get(`?ancestor_id=${national.id}&q=a`))).toEqual([
      "East",
      "East 100%_A",
      "East B",
      "West A",
    ]);

    const page2 = await get("?page=2&page_size=3&include_total=true");
    expect(names(page2)).toEqual(["East B", "National", "West"]);
    expect(page2.pagination).toEqual({ page: 2, page_size: 3, total: 7, pages: 3, next_cursor: null });
    const beyond = await get("?page=9&page_size=3");
    expect(beyond.data).toEqual([]);
    expect(beyond.pagination.total).toBeNull();
  });

  it("rejects bad paging and filters with 400", async () => {
    const { admin } = await adminOfNewTenant();
    for (const query of [
      "page_size=101",
      "page_size=0",
      "page=0",
      "parent_id=xyz",
      "ancestor_id=1",
      "sort=name",
    ]) {
      const res = await call<ErrorEnvelope>("GET", `/api/teams?${query}`, { token: admin.token });
      expect(res.status, query).toBe(400);
    }
  });

  it("a parent or ancestor that is not a team of the tenant → 404", async () => {
    const { admin } = await adminOfNewTenant();
    const res = await call<ErrorEnvelope>("GET", `/api/teams?parent_id=${uuidv7()}`, { token: admin.token });
    expect(res.status).toBe(404);
    expect(res.json.error.details?.[0]?.field).toBe("parent_id");
  });
});

describe("audit of team writes", () => {
  it("each mutation leaves one audit row with old and new values", async () => {
    const { tenant, admin } = await adminOfNewTenant();
    const agent = await createUser(tenant, ["agent"]);
    const parent = await createTeam(tenant, { name: "Parent" });
    const created = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "Team", description: "first" },
    });
    const id = created.json.data.id;
    await call("PATCH", `/api/teams/${id}`, { token: admin.token, body: { description: "second" } });
    await call("PUT", `/api/teams/${id}`, { token: admin.token, body: { parent_id: parent.id } });
    await call("POST", `/api/teams/${id}/members`, { token: admin.token, body: { user_id: agent.user.id } });
    await call("POST", `/api/teams/${id}/members`, {
      token: admin.token,
      body: { user_id: agent.user.id, is_leader: true },
    });
    await call("DELETE", `/api/teams/${id}/members/${agent.user.id}`, { token: admin.token });

    const rows = (await auditOf(tenant.id, id)).reverse();
    expect(rows.map((r) => [r.action, r.oldValues, r.newValues])).toEqual([
      ["team.create", null, { name: "Team", description: "first", parent_id: null, path: `/${id}/` }],
      ["team.update", { description: "first" }, { description: "second" }],
      [
        "team.update",
        { parent_id: null, path: `/${id}/` },
        { parent_id: parent.id, path: `/${parent.id}/${id}/`, descendants_moved: 0 },
      ],
      ["team.member_add", null, { user_id: agent.user.id, is_leader: false }],
      [
        "team.member_update",
        { user_id: agent.user.id, is_leader: false },
        { user_id: agent.user.id, is_leader: true },
      ],
      ["team.member_remove", { user_id: agent.user.id, is_leader: true }, null],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ entityType: "team", actorId: admin.user.id });
      expect(row.requestId).toBeTruthy();
    }
    const stray = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityType, "team")));
    expect(stray).toHaveLength(rows.length);
  });
});

describe("POST /api/teams/:id/members by a team leader (seed 000: team_leader/admin)", () => {
  it("adds a member to a team they lead, but not to another team, and cannot make leaders", async () => {
    const { tenant } = await adminOfNewTenant();
    const mine = await createTeam(tenant, { name: "Mine" });
    const other = await createTeam(tenant, { name: "Other" });
    const [leader, agent, agent2] = await Promise.all([
      createUser(tenant, ["team_leader"]),
      createUser(tenant, ["agent"]),
      createUser(tenant, ["agent"]),
    ]);
    await addTeamMember(mine, leader.user.id, true);
    await addTeamMember(other, agent2.user.id);

    const added = await call<{ data: MemberJson }>("POST", `/api/teams/${mine.id}/members`, {
      token: leader.token,
      body: { user_id: agent.user.id },
    });
    expect(added.status).toBe(201);
    expect(roundTrips(added.headers)).toBe(1);
    expect(added.json.data).toMatchObject({ user_id: agent.user.id, is_leader: false });

    const elsewhere = await call<ErrorEnvelope>("POST", `/api/teams/${other.id}/members`, {
      token: leader.token,
      body: { user_id: agent.user.id },
    });
    expect(elsewhere.status).toBe(403);
    const promote = await call<ErrorEnvelope>("POST", `/api/teams/${mine.id}/members`, {
      token: leader.token,
      body: { user_id: agent.user.id, is_leader: true },
    });
    expect(promote.status).toBe(403);
    expect(promote.json.error.details?.[0]?.field).toBe("is_leader");
    // An agent (no teams:read, leads nothing) is refused too; nothing was written by the refusals.
    const byAgent = await call("POST", `/api/teams/${mine.id}/members`, {
      token: agent.token,
      body: { user_id: agent2.user.id },
    });
    expect(byAgent.status).toBe(403);
    const rows = await testDb()
      .select()
      .from(teamMembers)
      .where(and(eq(teamMembers.tenantId, tenant.id), eq(teamMembers.teamId, other.id)));
    expect(rows.map((r) => r.userId)).toEqual([agent2.user.id]);
    const team = await call<{ data: { members: MemberJson[] } }>("GET", `/api/teams/${mine.id}`, {
      token: leader.token,
    });
    expect(team.json.data.members.map((m) => [m.user_id, m.is_leader])).toEqual([
      [leader.user.id, true],
      [agent.user.id, false],
    ]);
  });
});
