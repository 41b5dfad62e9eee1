import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, callCycleLocations, callCycles } from "../../src/db/schema";
import { plannedCallsFrom, plannedCallsQuery } from "../../src/modules/call-cycles";
import { createShop } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, createTeam } from "../helpers/teams";
import { addDays, todayIn } from "./support";

type Cycle = { id: string; version: number; owner_id: string; locations: { id: string; shop_id: string }[] };
type One = { data: Cycle };

async function setup(tz = "Europe/Berlin") {
  const tenant = await createTenant({ settings: { timezone: tz } });
  const [admin, manager, agent, other] = await Promise.all([
    createUser(tenant, ["admin"]),
    createUser(tenant, ["manager"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
  ]);
  if (!admin || !manager || !agent || !other) throw new Error("users");
  const shops = await Promise.all(
    [1, 2, 3].map((i) => createShop(tenant, { name: `Shop ${i}`, lat: 52.5 + i / 100, lng: 13.4 })),
  );
  return { tenant, admin, manager, agent, other, shops: shops.map((s) => s.id) };
}

async function createCycle(user: TestUser, body: Record<string, unknown>) {
  const res = await call<One>("POST", "/api/call_cycles", {
    token: user.token,
    body: { name: "Route", start_date: "2026-11-02", ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.data;
}

const rows = (tenantId: string) =>
  testDb().select().from(callCycleLocations).where(eq(callCycleLocations.tenantId, tenantId));

describe("call cycles: rules", () => {
  it("a manager creates a cycle (owner defaults to the caller); an agent may not; cross-field dates → 400 naming end_date", async () => {
    const { manager, agent, tenant } = await setup();
    const cycle = await createCycle(manager, {});
    expect(cycle.owner_id).toBe(manager.user.id);
    expect(cycle.locations).toEqual([]);
    const refused = await call<ErrorEnvelope>("POST", "/api/call_cycles", {
      token: agent.token,
      body: { name: "X", start_date: "2026-11-02" },
    });
    expect(refused.status).toBe(403);
    const bad = await call<ErrorEnvelope>("POST", "/api/call_cycles", {
      token: manager.token,
      body: { name: "X", start_date: "2026-11-02", end_date: "2026-11-01" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toContainEqual({
      field: "end_date",
      message: "Must be on or after start_date",
    });
    const patched = await call<ErrorEnvelope>("PATCH", `/api/call_cycles/${cycle.id}`, {
      token: manager.token,
      body: { end_date: "2026-10-01" },
    });
    expect(patched.status).toBe(400);
    expect(patched.json.error.details?.[0]?.field).toBe("end_date");
    const stored = await testDb()
      .select()
      .from(callCycles)
      .where(and(eq(callCycles.tenantId, tenant.id), eq(callCycles.id, cycle.id)));
    expect(stored[0]?.endDate).toBeNull();
    expect(stored[0]?.version).toBe(1);
  });

  it("owner_id and team_id must be of the tenant (404 naming the field)", async () => {
    const mine = await setup();
    const theirs = await setup();
    const owner = await call<ErrorEnvelope>("POST", "/api/call_cycles", {
      token: mine.admin.token,
      body: { name: "X", start_date: "2026-11-02", owner_id: theirs.agent.user.id },
    });
    expect(owner.status).toBe(404);
    expect(owner.json.error.details?.[0]?.field).toBe("owner_id");
    const team = await createTeam(theirs.tenant);
    const t = await call<ErrorEnvelope>("POST", "/api/call_cycles", {
      token: mine.admin.token,
      body: { name: "X", start_date: "2026-11-02", team_id: team.id },
    });
    expect(t.status).toBe(404);
    expect(t.json.error.details?.[0]?.field).toBe("team_id");
  });

  it("location rules → 400 naming the field, nothing written", async () => {
    const { admin, agent, tenant, shops } = await setup();
    const cycle = await createCycle(admin, {});
    const team = await createTeam(tenant);
    const shop_id = shops[0];
    const cases: [Record<string, unknown>, string][] = [
      [{ shop_id, frequency: "weekly" }, "weekdays"],
      [{ shop_id, frequency: "weekly", weekdays: [8] }, "weekdays.0"],
      [{ shop_id, frequency: "weekly", weekdays: [1, 1] }, "weekdays"],
      [{ shop_id, frequency: "every_n_weeks", weekdays: [1] }, "interval_weeks"],
      [{ shop_id, frequency: "every_n_weeks", weekdays: [1], interval_weeks: 13 }, "interval_weeks"],
      [{ shop_id, frequency: "monthly" }, "month_day"],
      [{ shop_id, frequency: "monthly", month_day: 32 }, "month_day"],
      [{ shop_id, frequency: "monthly", month_day: 3, weekdays: [1] }, "weekdays"],
      [{ shop_id, frequency: "weekly", weekdays: [1], month_day: 3 }, "month_day"],
      [
        { shop_id, frequency: "weekly", weekdays: [1], window_start: "10:00", window_end: "09:00" },
        "window_end",
      ],
      [{ shop_id, frequency: "weekly", weekdays: [1], window_end: "25:00" }, "window_end"],
      [{ shop_id, frequency: "weekly", weekdays: [1], agent_id: agent.user.id, team_id: team.id }, "team_id"],
      [{ frequency: "weekly", weekdays: [1] }, "shop_id"],
      [{ shop_id, frequency: "daily" }, "frequency"],
      [{ shop_id, frequency: "weekly", weekdays: [1], tenant_id: tenant.id }, "tenant_id"],
      [
        {
          locations: [
            { shop_id, frequency: "weekly", weekdays: [1] },
            { shop_id, frequency: "monthly", month_day: 1 },
          ],
        },
        "locations.1.shop_id",
      ],
      [{ locations: [{ shop_id, frequency: "weekly" }] }, "locations.0.weekdays"],
      [{ locations: [], shop_id }, "locations"],
      [
        {
          shop_id,
          frequency: "weekly",
          weekdays: [1],
          locations: [{ shop_id: shops[1], frequency: "monthly", month_day: 1 }],
        },
        "shop_id",
      ],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", `/api/call_cycles/${cycle.id}/locations`, {
        token: admin.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await rows(tenant.id)).toEqual([]);
  });

  it("adds many locations in one round trip with an audit row each; duplicates → 409; another tenant's shop or agent → 404; delete and re-add", async () => {
    const mine = await setup();
    const theirs = await setup();
    const { admin, agent, tenant, shops } = mine;
    const cycle = await createCycle(admin, {});
    const body = {
      locations: [
        {
          shop_id: shops[0],
          frequency: "weekly",
          weekdays: [5, 1],
          window_start: "08:00",
          window_end: "12:30",
          agent_id: agent.user.id,
        },
        { shop_id: shops[1], frequency: "every_n_weeks", interval_weeks: 3, weekdays: [2] },
        { shop_id: shops[2], frequency: "monthly", month_day: 31 },
      ],
    };
    const added = await call<{ data: Record<string, unknown>[] }>(
      "POST",
      `/api/call_cycles/${cycle.id}/locations`,
      { token: admin.token, body },
    );
    expect(added.status, added.text).toBe(201);
    expect(roundTrips(added.headers)).toBe(1);
    expect(added.json.data).toHaveLength(3);
    const first = added.json.data.find((l) => l.shop_id === shops[0]);
    expect(first).toMatchObject({
      frequency: "weekly",
      weekdays: [1, 5],
      window_start: "08:00",
      window_end: "12:30",
      agent_id: agent.user.id,
      shop_name: "Shop 1",
    });
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.action, "call_cycle_location.create")));
    expect(audit.map((a) => a.entityId).sort()).toEqual(added.json.data.map((l) => String(l.id)).sort());
    const got = await call<One>("GET", `/api/call_cycles/${cycle.id}`, { token: admin.token });
    expect(got.json.data.locations.map((l) => l.shop_id)).toEqual(shops);
    expect(got.json.data.version).toBe(cycle.version + 1);
    expect(roundTrips(got.headers)).toBe(1);

    const before = await rows(tenant.id);
    const dup = await call<ErrorEnvelope>("POST", `/api/call_cycles/${cycle.id}/locations`, {
      token: admin.token,
      body: { shop_id: shops[1], frequency: "weekly", weekdays: [1] },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.details?.[0]?.field).toBe("shop_id");
    const foreignShop = (await createShop(theirs.tenant)).id;
    const fresh = (await createShop(tenant)).id;
    const foreign = await call<ErrorEnvelope>("POST", `/api/call_cycles/${cycle.id}/locations`, {
      token: admin.token,
      body: {
        locations: [
          { shop_id: fresh, frequency: "weekly", weekdays: [1] },
          { shop_id: foreignShop, frequency: "weekly", weekdays: [1] },
        ],
      },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.details).toEqual([
      { field: "locations.1.shop_id", message: "No such shop in this tenant" },
    ]);
    const foreignAgent = await call<ErrorEnvelope>("POST", `/api/call_cycles/${cycle.id}/locations`, {
      token: admin.token,
      body: { shop_id: fresh, frequency: "weekly", weekdays: [1], agent_id: theirs.agent.user.id },
    });
    expect(foreignAgent.status).toBe(404);
    expect(foreignAgent.json.error.details?.[0]?.field).toBe("agent_id");
    const otherCycle = await createCycle(theirs.admin, {});
    const intoForeign = await call<ErrorEnvelope>("POST", `/api/call_cycles/${otherCycle.id}/locations`, {
      token: admin.token,
      body: { shop_id: fresh, frequency: "weekly", weekdays: [1] },
    });
    expect(intoForeign.status).toBe(404);
    expect(await rows(tenant.id)).toEqual(before);

    const locationId = String(first?.id);
    const removed = await call("DELETE", `/api/call_cycles/${cycle.id}/locations/${locationId}`, {
      token: admin.token,
    });
    expect(removed.status).toBe(204);
    expect(roundTrips(removed.headers)).toBe(1);
    expect(
      (await call("DELETE", `/api/call_cycles/${cycle.id}/locations/${locationId}`, { token: admin.token }))
        .status,
    ).toBe(404);
    expect(
      (
        await call("DELETE", `/api/call_cycles/${otherCycle.id}/locations/${locationId}`, {
          token: admin.token,
        })
      ).status,
    ).toBe(404);
    const after = await call<One>("GET", `/api/call_cycles/${cycle.id}`, { token: admin.token });
    expect(after.json.data.locations.map((l) => l.shop_id)).toEqual([shops[1], shops[2]]);
    const again = await call("POST", `/api/call_cycles/${cycle.id}/locations`, {
      token: admin.token,
      body: { shop_id: shops[0], frequency: "monthly", month_day: 15 },
    });
    expect(again.status).toBe(201);
    const deleted = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.action, "call_cycle_location.delete")));
    expect(deleted.map((a) => a.entityId)).toEqual([locationId]);
  });

  it("scope: an agent sees their own cycle, not another agent's (404); their locations need call_cycles:write", async () => {
    const { admin, agent, other, shops } = await setup();
    const mine = await createCycle(admin, { owner_id: agent.user.id });
    const theirs = await createCycle(admin, { owner_id: other.user.id });
    expect((await call("GET", `/api/call_cycles/${mine.id}`, { token: agent.token })).status).toBe(200);
    expect((await call("GET", `/api/call_cycles/${theirs.id}`, { token: agent.token })).status).toBe(404);
    const listed = await call<{ data: { id: string }[] }>("GET", "/api/call_cycles", { token: agent.token });
    expect(listed.json.data.map((c) => c.id)).toEqual([mine.id]);
    const add = await call("POST", `/api/call_cycles/${mine.id}/locations`, {
      token: agent.token,
      body: { shop_id: shops[0], frequency: "weekly", weekdays: [1] },
    });
    expect(add.status).toBe(403);
  });
});

describe("GET /api/call_cycles/today and plannedCallsQuery", () => {
  it("the caller's calls of the day (as agent, through a team, as owner), with the shop's position and state", async () => {
    const tz = "Asia/Kolkata";
    const { tenant, admin, agent, other, shops } = await setup(tz);
    const today = todayIn(tz);
    const team = await createTeam(tenant);
    await addTeamMember(team, agent.user.id);
    const everyDay = [1, 2, 3, 4, 5, 6, 7];
    const mine = await createCycle(admin, { owner_id: agent.user.id, start_date: addDays(today, -3) });
    const res = await call("POST", `/api/call_cycles/${mine.id}/locations`, {
      token: admin.token,
      body: {
        locations: [
          {
            shop_id: shops[0],
            frequency: "weekly",
            weekdays: everyDay,
            window_start: "09:00",
            window_end: "11:00",
          },
          { shop_id: shops[1], frequency: "weekly", weekdays: everyDay, agent_id: other.user.id },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    const teamCycle = await createCycle(admin, { owner_id: admin.user.id, start_date: addDays(today, -3) });
    await call("POST", `/api/call_cycles/${teamCycle.id}/locations`, {
      token: admin.token,
      body: { shop_id: shops[2], frequency: "weekly", weekdays: everyDay, team_id: team.id },
    });
    type Today = {
      data: {
        shop_id: string;
        shop_lat: number;
        shop_name: string;
        date: string;
        state: string;
        window_start: string | null;
      }[];
    };
    const got = await call<Today>("GET", "/api/call_cycles/today", { token: agent.token });
    expect(got.status, got.text).toBe(200);
    expect(roundTrips(got.headers)).toBe(1);
    expect(got.json.data.map((c) => [c.shop_id, c.date, c.state, c.window_start])).toEqual([
      [shops[0], today, "upcoming", "09:00"],
      [shops[2], today, "upcoming", null],
    ]);
    expect(got.json.data[0]?.shop_lat).toBeCloseTo(52.51, 6);
    const theirs = await call<Today>("GET", `/api/call_cycles/today?date=${addDays(today, -1)}`, {
      token: other.token,
    });
    expect(theirs.json.data.map((c) => [c.shop_id, c.state])).toEqual([[shops[1], "missed"]]);
    const before = await call<Today>("GET", `/api/call_cycles/today?date=${addDays(today, -5)}`, {
      token: agent.token,
    });
    expect(before.json.data).toEqual([]);

    // The batchable query for offline sync: today and the next 7 days, inside db.batch.
    const db = testDb();
    const ctx = {
      tenantId: tenant.id,
      userId: agent.user.id,
      roles: agent.roles,
      permissions: new Set<string>(),
      scope: "own" as const,
      isSuperAdmin: false,
      db,
      requestId: "test",
      ip: null,
      userAgent: null,
    };
    const [result] = await db.batch([plannedCallsQuery(ctx, undefined, 8)]);
    const calls = plannedCallsFrom(result);
    expect(calls).toHaveLength(16);
    expect(new Set(calls.map((c) => c.date)).size).toBe(8);
    expect(calls[0]?.date).toBe(today);
    expect(calls.at(-1)?.date).toBe(addDays(today, 7));
  });
});
