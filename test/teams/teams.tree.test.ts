import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { auditOf, createTeam, type TeamJson, type TeamRow, teamById, teamTree } from "../helpers/teams";

/**
 * national → region → area → team, plus a second national root:
 *   /N/R/A/T/   and   /M/
 */
async function tree() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  const national = await createTeam(tenant, { name: "National" });
  const region = await createTeam(tenant, { name: "Region", parent: national });
  const area = await createTeam(tenant, { name: "Area", parent: region });
  const team = await createTeam(tenant, { name: "Team", parent: area });
  const sibling = await createTeam(tenant, { name: "Sibling", parent: region });
  const other = await createTeam(tenant, { name: "Other national" });
  return { tenant, admin, national, region, area, team, sibling, other };
}

const pathOf = (...teams: TeamRow[]) => `/${teams.map((t) => t.id).join("/")}/`;

describe("PUT/PATCH /api/teams/:id", () => {
  it("renames with a matching If-Match: 200, new ETag, one round trip, audited", async () => {
    const { tenant, admin, region } = await tree();
    const res = await call<{ data: TeamJson }>("PATCH", `/api/teams/${region.id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
      body: { name: "Region North", description: null },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.headers.get("etag")).toBe('"v2"');
    expect(res.json.data).toMatchObject({ id: region.id, name: "Region North", description: null, depth: 1 });
    const [audit] = await auditOf(tenant.id, region.id);
    expect(audit).toMatchObject({
      action: "team.update",
      oldValues: { name: "Region", description: null },
      newValues: { name: "Region North", description: null },
    });
  });

  it("a stale or malformed If-Match → 412 and nothing changes", async () => {
    const { tenant, admin, region } = await tree();
    const first = await call("PUT", `/api/teams/${region.id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
      body: { name: "First" },
    });
    expect(first.status).toBe(200);
    const before = await teamTree(tenant.id);
    for (const header of ['"v1"', '"v9"', "v2", '"abc"', 'W/"v2"']) {
      const res = await call<ErrorEnvelope>("PUT", `/api/teams/${region.id}`, {
        token: admin.token,
        headers: { "if-match": header },
        body: { name: "Second" },
      });
      expect(res.status, header).toBe(412);
      expect(res.json.error.code).toBe("PRECONDITION_FAILED");
    }
    expect(await teamTree(tenant.id)).toEqual(before);
    expect(await auditOf(tenant.id, region.id)).toHaveLength(1);
  });

  it("two concurrent updates with the same If-Match: one 200, one 412", async () => {
    const { tenant, admin, region, other } = await tree();
    const [a, b] = await Promise.all([
      call("PATCH", `/api/teams/${region.id}`, {
        token: admin.token,
        headers: { "if-match": '"v1"' },
        body: { name: "By A" },
      }),
      call("PATCH", `/api/teams/${region.id}`, {
        token: admin.token,
        headers: { "if-match": '"v1"' },
        body: { parent_id: other.id },
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const row = await teamById(region.id);
    expect(row?.version).toBe(2);
    if (a.status === 200) expect(row?.name).toBe("By A");
    else expect(row?.parentId).toBe(other.id);
    expect(await auditOf(tenant.id, region.id)).toHaveLength(1);
  });

  it("moving a 3-level subtree rewrites every path below it in one round trip", async () => {
    const { tenant, admin, national, region, area, team, sibling, other } = await tree();
    const res = await call<{ data: TeamJson }>("PUT", `/api/teams/${region.id}`, {
      token: admin.token,
      body: { parent_id: other.id },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ parent_id: other.id, path_ids: [other.id, region.id], depth: 1 });

    const after = new Map((await teamTree(tenant.id)).teams.map((t) => [t.id, t]));
    expect(after.get(national.id)?.path).toBe(pathOf(national));
    expect(after.get(other.id)?.path).toBe(pathOf(other));
    expect(after.get(region.id)?.path).toBe(pathOf(other, region));
    expect(after.get(area.id)?.path).toBe(pathOf(other, region, area));
    expect(after.get(team.id)?.path).toBe(pathOf(other, region, area, team));
    expect(after.get(sibling.id)?.path).toBe(pathOf(other, region, sibling));
    // Parents below the moved team are unchanged; their versions move on (their path_ids changed).
    expect(after.get(area.id)?.parentId).toBe(region.id);
    expect(after.get(team.id)?.version).toBe(2);
    expect(after.get(national.id)?.version).toBe(1);

    const [audit] = await auditOf(tenant.id, region.id);
    expect(audit).toMatchObject({
      action: "team.update",
      oldValues: { parent_id: national.id, path: pathOf(national, region) },
      newValues: { parent_id: other.id, path: pathOf(other, region), descendants_moved: 3 },
    });

    const got = await call<{ data: TeamJson }>("GET", `/api/teams/${team.id}`, { token: admin.token });
    expect(got.json.data.path_ids).toEqual([other.id, region.id, area.id, team.id]);

    // Back to a root (parent_id: null), then under the deepest team of the other branch.
    const toRoot = await call<{ data: TeamJson }>("PATCH", `/api/teams/${area.id}`, {
      token: admin.token,
      body: { parent_id: null },
    });
    expect(toRoot.status).toBe(200);
    expect(toRoot.json.data).toMatchObject({ parent_id: null, path_ids: [area.id], depth: 0 });
    expect((await teamById(team.id))?.path).toBe(pathOf(area, team));
    expect((await teamById(region.id))?.path).toBe(pathOf(other, region));
  });

  it("two concurrent crossing moves (A under B, B under A): one wins, the other is a 409, no cycle", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    for (let round = 0; round < 5; round++) {
      const a = await createTeam(tenant, { name: `A${round}` });
      const b = await createTeam(tenant, { name: `B${round}` });
      const [aUnderB, bUnderA] = await Promise.all([
        call("PATCH", `/api/teams/${a.id}`, { token: admin.token, body: { parent_id: b.id } }),
        call("PATCH", `/api/teams/${b.id}`, { token: admin.token, body: { parent_id: a.id } }),
      ]);
      expect([aUnderB.status, bUnderA.status].sort()).toEqual([200, 409]);
      const [rowA, rowB] = await Promise.all([teamById(a.id), teamById(b.id)]);
      if (aUnderB.status === 200) {
        expect([rowA?.path, rowB?.path]).toEqual([pathOf(b, a), pathOf(b)]);
      } else {
        expect([rowA?.path, rowB?.path]).toEqual([pathOf(a), pathOf(a, b)]);
      }
    }
  });

  it("a team created under a parent that is being moved gets the parent's new path", async () => {
    const { tenant, admin, region, area, other } = await tree();
    const [moved, created] = await Promise.all([
      call("PATCH", `/api/teams/${region.id}`, { token: admin.token, body: { parent_id: other.id } }),
      call<{ data: TeamJson }>("POST", "/api/teams", {
        token: admin.token,
        body: { name: "New team", parent_id: area.id },
      }),
    ]);
    expect([moved.status, created.status]).toEqual([200, 201]);
    const { teams } = await teamTree(tenant.id);
    const byId = new Map(teams.map((t) => [t.id, t]));
    // Every path is its parent's path plus its own id: the tree is consistent whichever ran first.
    for (const t of teams) {
      const parentPath = t.parentId ? byId.get(t.parentId)?.path : "/";
      expect(t.path, t.name).toBe(`${parentPath}${t.id}/`);
    }
    expect(byId.get(created.json.data.id)?.path).toBe(
      `${pathOf(other, region, area)}${created.json.data.id}/`,
    );
  });

  it("moving a team under itself or one of its descendants → 409 and nothing changes", async () => {
    const { tenant, admin, region, area, team } = await tree();
    const before = await teamTree(tenant.id);
    for (const target of [region, area, team]) {
      const res = await call<ErrorEnvelope>("PATCH", `/api/teams/${region.id}`, {
        token: admin.token,
        body: { name: "Renamed too", parent_id: target.id },
      });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe("CONFLICT");
      expect(res.json.error.message).toMatch(/itself or one of its own descendants/);
      expect(res.json.error.details?.[0]?.field).toBe("parent_id");
    }
    expect(await teamTree(tenant.id)).toEqual(before);
    expect(await auditOf(tenant.id, region.id)).toEqual([]);
  });

  it("a parent of another tenant, or no team at all → 404 and nothing changes", async () => {
    const { tenant, admin, region } = await tree();
    const foreign = await createTeam(await createTenant());
    const before = await teamTree(tenant.id);
    for (const parentId of [foreign.id, uuidv7()]) {
      const res = await call<ErrorEnvelope>("PUT", `/api/teams/${region.id}`, {
        token: admin.token,
        body: { parent_id: parentId },
      });
      expect(res.status).toBe(404);
      expect(res.json.error.details?.[0]?.field).toBe("parent_id");
    }
    expect(await teamTree(tenant.id)).toEqual(before);
  });

  it("a move or rename onto a sibling's name → 409 and nothing changes", async () => {
    const { tenant, admin, area, sibling, national } = await tree();
    await createTeam(tenant, { name: "Area", parent: national });
    const before = await teamTree(tenant.id);
    const rename = await call<ErrorEnvelope>("PATCH", `/api/teams/${sibling.id}`, {
      token: admin.token,
      body: { name: "AREA" },
    });
    expect(rename.status).toBe(409);
    expect(rename.json.error.details?.[0]?.field).toBe("name");
    const move = await call<ErrorEnvelope>("PATCH", `/api/teams/${area.id}`, {
      token: admin.token,
      body: { parent_id: national.id },
    });
    expect(move.status).toBe(409);
    expect(await teamTree(tenant.id)).toEqual(before);
  });

  it("a move that would nest deeper than 16 levels → 409", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    let deep = await createTeam(tenant, { name: "D1" });
    for (let level = 2; level <= 14; level++)
      deep = await createTeam(tenant, { name: `D${level}`, parent: deep });
    const top = await createTeam(tenant, { name: "Top" });
    const mid = await createTeam(tenant, { name: "Mid", parent: top });
    await createTeam(tenant, { name: "Leaf", parent: mid });
    const before = await teamTree(tenant.id);
    const res = await call<ErrorEnvelope>("PATCH", `/api/teams/${top.id}`, {
      token: admin.token,
      body: { parent_id: deep.id },
    });
    expect(res.status).toBe(409);
    expect(await teamTree(tenant.id)).toEqual(before);
    // 14 + 2 levels fit.
    const ok = await call("PATCH", `/api/teams/${mid.id}`, {
      token: admin.token,
      body: { parent_id: deep.id },
    });
    expect(ok.status).toBe(200);
  });

  it("server-owned or unknown fields and empty bodies → 400, nothing changes", async () => {
    const { tenant, admin, region } = await tree();
    const before = await teamTree(tenant.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "X", tenant_id: uuidv7() }, "tenant_id"],
      [{ name: "X", id: uuidv7() }, "id"],
      [{ name: "X", created_by: admin.user.id }, "created_by"],
      [{ path: `/${region.id}/` }, "path"],
      [{ version: 9 }, "version"],
      [{ name: null }, "name"],
      [{ parent_id: "root" }, "parent_id"],
      [{}, "(root)"],
    ];
    for (const method of ["PUT", "PATCH"]) {
      for (const [body, field] of cases) {
        const res = await call<ErrorEnvelope>(method, `/api/teams/${region.id}`, {
          token: admin.token,
          body,
        });
        expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
        expect(res.json.error.details?.map((d) => d.field)).toContain(field);
      }
    }
    expect(await teamTree(tenant.id)).toEqual(before);
  });

  it("an unknown team → 404", async () => {
    const { admin } = await tree();
    const res = await call("PATCH", `/api/teams/${uuidv7()}`, { token: admin.token, body: { name: "X" } });
    expect(res.status).toBe(404);
  });
});
