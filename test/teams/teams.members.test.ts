import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { addMembership, createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, auditOf, createTeam, membersOf, teamById, teamTree } from "../helpers/teams";

interface MemberBody {
  data: { user_id: string; first_name: string; last_name: string; email: string; is_leader: boolean };
}

async function setup() {
  const tenant = await createTenant();
  const [admin, agent] = await Promise.all([
    createUser(tenant, ["admin"]),
    createUser(tenant, ["agent"], { firstName: "Thabo", lastName: "Mokoena" }),
  ]);
  const team = await createTeam(tenant, { name: "Team" });
  return { tenant, admin, agent, team };
}

describe("POST /api/teams/:id/members", () => {
  it("adds a member (201), sets the leader flag on an existing member (200), each one round trip", async () => {
    const { tenant, admin, agent, team } = await setup();
    const added = await call<MemberBody>("POST", `/api/teams/${team.id}/members`, {
      token: admin.token,
      body: { user_id: agent.user.id },
    });
    expect(added.status).toBe(201);
    expect(roundTrips(added.headers)).toBe(1);
    expect(added.json.data).toMatchObject({
      user_id: agent.user.id,
      first_name: "Thabo",
      last_name: "Mokoena",
      email: agent.user.email,
      is_leader: false,
    });

    const promoted = await call<MemberBody>("POST", `/api/teams/${team.id}/members`, {
      token: admin.token,
      body: { user_id: agent.user.id, is_leader: true },
    });
    expect(promoted.status).toBe(200);
    expect(roundTrips(promoted.headers)).toBe(1);
    expect(promoted.json.data.is_leader).toBe(true);

    // Re-adding without a flag keeps it, and changes (and audits) nothing.
    const again = await call<MemberBody>("POST", `/api/teams/${team.id}/members`, {
      token: admin.token,
      body: { user_id: agent.user.id },
    });
    expect(again.status).toBe(200);
    expect(again.json.data.is_leader).toBe(true);

    expect(await membersOf(team)).toMatchObject([{ userId: agent.user.id, isLeader: true }]);
    expect((await auditOf(tenant.id, team.id)).map((a) => a.action)).toEqual([
      "team.member_update",
      "team.member_add",
    ]);
    // Two changes, two version bumps (the team's ETag covers its members).
    expect((await teamById(team.id))?.version).toBe(3);
  });

  it("a user who is not a member of the tenant → 404 and nothing written", async () => {
    const { tenant, admin, team } = await setup();
    const other = await createTenant();
    const outsider = await createUser(other, ["agent"]);
    const before = await teamTree(tenant.id);
    for (const userId of [outsider.user.id, uuidv7()]) {
      const res = await call<ErrorEnvelope>("POST", `/api/teams/${team.id}/members`, {
        token: admin.token,
        body: { user_id: userId },
      });
      expect(res.status).toBe(404);
      expect(res.json.error.details?.[0]?.field).toBe("user_id");
    }
    expect(await teamTree(tenant.id)).toEqual(before);
    expect(await auditOf(tenant.id, team.id)).toEqual([]);
  });

  it("a user who belongs to several tenants can join a team in each", async () => {
    const { admin, agent, team } = await setup();
    const other = await createTenant();
    await addMembership(other, agent.user.id, ["agent"]);
    const otherTeam = await createTeam(other);
    const otherAdmin = await createUser(other, ["admin"]);
    const here = await call("POST", `/api/teams/${team.id}/members`, {
      token: admin.token,
      body: { user_id: agent.user.id },
    });
    const there = await call("POST", `/api/teams/${otherTeam.id}/members`, {
      token: otherAdmin.token,
      body: { user_id: agent.user.id },
    });
    expect([here.status, there.status]).toEqual([201, 201]);
  });

  it("an unknown team → 404; bad bodies → 400", async () => {
    const { admin, agent, team } = await setup();
    const missing = await call<ErrorEnvelope>("POST", `/api/teams/${uuidv7()}/members`, {
      token: admin.token,
      body: { user_id: agent.user.id },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe("Team not found");
    const cases: [Record<string, unknown>, string][] = [
      [{}, "user_id"],
      [{ user_id: "x" }, "user_id"],
      [{ user_id: agent.user.id, is_leader: "yes" }, "is_leader"],
      [{ user_id: agent.user.id, tenant_id: uuidv7() }, "tenant_id"],
      [{ user_id: agent.user.id, team_id: uuidv7() }, "team_id"],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", `/api/teams/${team.id}/members`, {
        token: admin.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    expect(await membersOf(team)).toEqual([]);
  });
});

describe("DELETE /api/teams/:id/members/:user_id", () => {
  it("removes a member (204, one round trip, audited); removing again → 404", async () => {
    const { tenant, admin, agent, team } = await setup();
    await addTeamMember(team, agent.user.id, true);
    const res = await call("DELETE", `/api/teams/${team.id}/members/${agent.user.id}`, {
      token: admin.token,
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(roundTrips(res.headers)).toBe(1);
    expect(await membersOf(team)).toEqual([]);
    const [audit] = await auditOf(tenant.id, team.id);
    expect(audit).toMatchObject({
      action: "team.member_remove",
      oldValues: { user_id: agent.user.id, is_leader: true },
      newValues: null,
    });
    const again = await call<ErrorEnvelope>("DELETE", `/api/teams/${team.id}/members/${agent.user.id}`, {
      token: admin.token,
    });
    expect(again.status).toBe(404);
    expect(again.json.error.message).toBe("Team member not found");
    expect(await auditOf(tenant.id, team.id)).toHaveLength(1);
  });

  it("an unknown team → 404; malformed ids → 400", async () => {
    const { admin, agent } = await setup();
    const missing = await call<ErrorEnvelope>("DELETE", `/api/teams/${uuidv7()}/members/${agent.user.id}`, {
      token: admin.token,
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe("Team not found");
    const bad = await call<ErrorEnvelope>("DELETE", `/api/teams/${uuidv7()}/members/nope`, {
      token: admin.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.[0]?.field).toBe("user_id");
  });
});
