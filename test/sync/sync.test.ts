import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { brands, callCycleLocations, callCycles, shops, surveys } from "../../src/db/schema";
import { createBrand, createShop, createSurvey } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createCustomRole, createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

interface Row {
  id: string;
  updated_at: string;
  [key: string]: unknown;
}
interface SyncBody {
  data: {
    changes: { brands: Row[]; surveys: (Row & { questions: { id: string }[] })[]; shops: Row[] };
    tombstones: { type: string; id: string; deleted_at: string }[];
    cursor: string;
    has_more: boolean;
    server_time: string;
  };
}

/** Moves every catalogue row of the tenant a minute into the past (as if created before this sync). */
async function age(tenantId: string) {
  const db = testDb();
  const past = sql`now() - interval '1 minute'`;
  await db.batch([
    db.update(brands).set({ updatedAt: past }).where(eq(brands.tenantId, tenantId)),
    db.update(surveys).set({ updatedAt: past }).where(eq(surveys.tenantId, tenantId)),
    db.update(shops).set({ updatedAt: past }).where(eq(shops.tenantId, tenantId)),
    db.update(callCycles).set({ updatedAt: past }).where(eq(callCycles.tenantId, tenantId)),
    db.update(callCycleLocations).set({ updatedAt: past }).where(eq(callCycleLocations.tenantId, tenantId)),
  ]);
}

/** A call cycle the admin sets up for `ownerId` visiting `shopIds` weekly on Mondays; returns its id. */
async function cycleFor(adminToken: string, ownerId: string, shopIds: string[]) {
  const cycle = await call<{ data: { id: string } }>("POST", "/api/call_cycles", {
    token: adminToken,
    body: { name: "Route", start_date: "2026-11-02", owner_id: ownerId },
  });
  expect(cycle.status, cycle.text).toBe(201);
  if (shopIds.length > 0) {
    const added = await call("POST", `/api/call_cycles/${cycle.json.data.id}/locations`, {
      token: adminToken,
      body: { locations: shopIds.map((shop_id) => ({ shop_id, frequency: "weekly", weekdays: [1] })) },
    });
    expect(added.status, added.text).toBe(201);
  }
  return cycle.json.data.id;
}

async function fieldTenant() {
  const tenant = await createTenant();
  const [admin, agent] = await Promise.all([createUser(tenant, ["admin"]), createUser(tenant, ["agent"])]);
  const brandRows = await Promise.all([createBrand(tenant), createBrand(tenant), createBrand(tenant)]);
  const surveyRows = await Promise.all([createSurvey(tenant), createSurvey(tenant, { questions: [] })]);
  const shopRows = await Promise.all([
    createShop(tenant),
    createShop(tenant),
    createShop(tenant),
    createShop(tenant),
  ]);
  // Deleted long before the phone's first sync: a full snapshot does not mention it.
  const gone = await createShop(tenant, { deletedAt: new Date(Date.now() - 3_600_000) });
  // The agent's route covers every live shop; a shop off every route never reaches an agent.
  const offRoute = await createShop(tenant);
  const cycleId = await cycleFor(
    admin.token,
    agent.user.id,
    shopRows.map((s) => s.id),
  );
  await age(tenant.id);
  return { tenant, admin, agent, brandRows, surveyRows, shopRows, gone, offRoute, cycleId };
}

const sync = (token: string, query = "") => call<SyncBody>("GET", `/api/sync${query}`, { token });

/** Walks the feed from `since` until has_more is false; every page one round trip. */
async function walk(token: string, limit: number, since?: string) {
  const pages: SyncBody["data"][] = [];
  let cursor = since;
  for (let i = 0; i < 50; i++) {
    const res = await sync(token, `?limit=${limit}${cursor ? `&since=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    pages.push(res.json.data);
    cursor = res.json.data.cursor;
    if (!res.json.data.has_more) return { pages, cursor };
  }
  throw new Error("the walk did not end");
}

describe("GET /api/sync", () => {
  it("a full snapshot walked page by page returns every live row exactly once; another tenant's never", async () => {
    const f = await fieldTenant();
    const other = await fieldTenant();
    const { pages } = await walk(f.agent.token, 2);
    expect(pages.length).toBe(5); // 3 brands + 2 surveys + the route's 4 shops = 9 rows, 2 a page
    const ids = (key: "brands" | "surveys" | "shops") =>
      pages.flatMap((p) => p.changes[key].map((r) => r.id));
    expect(ids("brands").sort()).toEqual(f.brandRows.map((b) => b.id).sort());
    expect(ids("surveys").sort()).toEqual(f.surveyRows.map((s) => s.survey.id).sort());
    expect(ids("shops").sort()).toEqual(f.shopRows.map((s) => s.id).sort());
    expect(ids("shops")).not.toContain(f.offRoute.id);
    expect(pages.flatMap((p) => p.tombstones)).toEqual([]);
    const all = [...ids("brands"), ...ids("surveys"), ...ids("shops")];
    expect(new Set(all).size).toBe(all.length);
    for (const foreign of [...other.brandRows.map((b) => b.id), ...other.shopRows.map((s) => s.id)]) {
      expect(all).not.toContain(foreign);
    }
    // Surveys come with their live questions, as GET /api/surveys/:id shows them.
    const full = f.surveyRows.find((s) => s.questions.length > 0);
    const synced = pages.flatMap((p) => p.changes.surveys).find((s) => s.id === full?.survey.id);
    expect(synced?.questions.map((q) => q.id)).toEqual(full?.questions.map((q) => q.id));
    const detail = await call<{ data: unknown }>("GET", `/api/surveys/${full?.survey.id}`, {
      token: f.agent.token,
    });
    expect(synced).toEqual(detail.json.data);
  });

  it("after an admin edits a survey and deletes a shop, the next sync returns exactly those changes and a tombstone", async () => {
    const f = await fieldTenant();
    const first = await walk(f.agent.token, 100);
    expect(first.pages).toHaveLength(1);
    // Nothing changed: an empty page.
    const quiet = await sync(f.agent.token, `?since=${first.cursor}`);
    expect(quiet.json.data).toMatchObject({
      changes: { brands: [], surveys: [], shops: [] },
      tombstones: [],
      has_more: false,
    });

    const [survey] = f.surveyRows;
    const [shop] = f.shopRows;
    const edited = await call("PATCH", `/api/surveys/${survey?.survey.id}`, {
      token: f.admin.token,
      body: { title: "Shelf audit v2" },
    });
    expect(edited.status).toBe(200);
    const deleted = await call("DELETE", `/api/shops/${shop?.id}`, { token: f.admin.token });
    expect(deleted.status).toBe(204);

    const next = await sync(f.agent.token, `?since=${quiet.json.data.cursor}`);
    expect(next.status).toBe(200);
    expect(roundTrips(next.headers)).toBe(1);
    const page = next.json.data;
    expect(page.changes.brands).toEqual([]);
    expect(page.changes.shops).toEqual([]);
    expect(page.changes.surveys.map((s) => [s.id, s.title])).toEqual([[survey?.survey.id, "Shelf audit v2"]]);
    expect(page.tombstones).toEqual([
      { type: "shop", id: shop?.id, deleted_at: expect.stringMatching(/Z$/) },
    ]);
    expect(page.has_more).toBe(false);
  });

  it("every page carries the caller's goals active today with their own progress, in the same round trip", async () => {
    const f = await fieldTenant();
    const other = await createUser(f.tenant, ["agent"]);
    const today = new Date().toISOString().slice(0, 10);
    const created = await call<{ data: { id: string } }>("POST", "/api/goals", {
      token: f.admin.token,
      body: {
        name: "Visits this month",
        metric: "visits_completed",
        target: 20,
        period_type: "monthly",
        start_date: today,
      },
    });
    expect(created.status, created.text).toBe(201);
    const goalId = created.json.data.id;
    const assigned = await call("POST", `/api/goals/${goalId}/assign`, {
      token: f.admin.token,
      body: { user_ids: [f.agent.user.id, other.user.id] },
    });
    expect(assigned.status, assigned.text).toBe(200);

    const res = await sync(f.agent.token);
    expect(roundTrips(res.headers)).toBe(1);
    const goals = (
      res.json.data as unknown as { goals: { goal_id: string; assignees: { user_id: string }[] }[] }
    ).goals;
    expect(goals.map((g) => g.goal_id)).toEqual([goalId]);
    expect(goals[0]?.assignees.map((a) => a.user_id)).toEqual([f.agent.user.id]);
    const progress = await call<{ data: { assignees: unknown[] } }>("GET", `/api/goals/${goalId}/progress`, {
      token: f.agent.token,
    });
    expect(goals[0]?.assignees).toEqual(progress.json.data.assignees);
  });

  it("a scoped caller's shops follow their routes (a new location adds its shop, the last one removed is a tombstone); tenant-wide roles get every shop; planned calls ride along", async () => {
    const f = await fieldTenant();
    const admin = await walk(f.admin.token, 100);
    const adminShops = admin.pages.flatMap((p) => p.changes.shops.map((s) => s.id)).sort();
    expect(adminShops).toEqual([...f.shopRows.map((s) => s.id), f.offRoute.id].sort());

    const start = await walk(f.agent.token, 100);
    const planned = (start.pages[0] as unknown as { planned_calls: { shop_id: string; date: string }[] })
      .planned_calls;
    // Weekly on Mondays at the route's 4 shops: every Monday of today and the next 7 days.
    const days = Array.from({ length: 8 }, (_, i) => new Date(Date.now() + i * 86_400_000));
    const mondays = days.filter((d) => d.getUTCDay() === 1).length;
    expect(planned).toHaveLength(4 * mondays);

    const added = await call<{ data: { id: string; shop_id: string }[] }>(
      "POST",
      `/api/call_cycles/${f.cycleId}/locations`,
      { token: f.admin.token, body: { shop_id: f.offRoute.id, frequency: "weekly", weekdays: [2] } },
    );
    expect(added.status, added.text).toBe(201);
    // A change to a route re-sends the route's shops (the cycle changed), the new one among them.
    const afterAdd = await sync(f.agent.token, `?since=${start.cursor}`);
    expect(afterAdd.json.data.changes.shops.map((s) => s.id).sort()).toEqual(
      [...f.shopRows.map((s) => s.id), f.offRoute.id].sort(),
    );
    expect(afterAdd.json.data.tombstones).toEqual([]);

    const locationId = added.json.data.find((l) => l.shop_id === f.offRoute.id)?.id;
    const removed = await call("DELETE", `/api/call_cycles/${f.cycleId}/locations/${locationId}`, {
      token: f.admin.token,
    });
    expect(removed.status).toBe(204);
    const afterRemove = await sync(f.agent.token, `?since=${afterAdd.json.data.cursor}`);
    expect(afterRemove.json.data.changes.shops.map((s) => s.id).sort()).toEqual(
      f.shopRows.map((s) => s.id).sort(),
    );
    expect(afterRemove.json.data.tombstones).toEqual([
      { type: "shop", id: f.offRoute.id, deleted_at: expect.stringMatching(/Z$/) },
    ]);
  });

  it("only types the caller may read; a bad cursor or limit is a 400; no token is a 401", async () => {
    const f = await fieldTenant();
    await createCustomRole(f.tenant, "shop_reader", ["shops:read"]);
    const reader = await createUser(f.tenant, ["shop_reader"]);
    const [first] = f.shopRows;
    await cycleFor(f.admin.token, reader.user.id, first ? [first.id] : []);
    const res = await sync(reader.token);
    expect(res.status).toBe(200);
    expect(res.json.data.changes.brands).toEqual([]);
    expect(res.json.data.changes.surveys).toEqual([]);
    expect(res.json.data.changes.shops.map((s) => s.id)).toEqual([first?.id]);

    for (const query of [
      "?since=not-a-cursor",
      `?since=${btoa('{"t":"x"}')}`,
      "?limit=0",
      "?limit=5000",
      "?x=1",
    ]) {
      const bad = await call<ErrorEnvelope>("GET", `/api/sync${query}`, { token: f.agent.token });
      expect(bad.status, query).toBe(400);
      expect(bad.json.error.code).toBe("VALIDATION_ERROR");
    }
    expect((await call("GET", "/api/sync")).status).toBe(401);
  });
});
