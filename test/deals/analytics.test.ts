import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { domainEvent } from "../../src/core/events";
import { uuidv7 } from "../../src/core/ids";
import { CRON_NIGHTLY } from "../../src/jobs/scheduled";
import { testDb } from "../helpers/db";
import { createCustomRole, createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, roundTrips } from "../helpers/http";
import { deliver, eventually, runCron } from "../helpers/jobs";
import { createDeal } from "./support";

const DAY = 86_400_000;

interface Move {
  from: string;
  to: string;
  at: Date;
}

/** A deal with a history set straight in the database: created at `created`, moved by `moves`. */
async function dealWithHistory(
  creator: TestUser,
  owner: TestUser,
  amount: number,
  created: Date,
  moves: Move[],
  final: { stage: string; status: string; closedAt?: Date },
) {
  const deal = await createDeal(creator, { amount, owner_id: owner.user.id });
  const db = testDb();
  await db.execute(sql`update deals set created_at = ${created.toISOString()}::timestamptz, stage = ${final.stage},
    status = ${final.status}, closed_at = ${final.closedAt?.toISOString() ?? null}::timestamptz where id = ${deal.id}::uuid`);
  for (const m of moves) {
    await db.execute(sql`insert into deal_activities (tenant_id, id, deal_id, kind, actor_id, from_stage, to_stage, from_status, to_status, created_at)
      values (${creator.tenantId}::uuid, ${uuidv7()}::uuid, ${deal.id}::uuid, 'change', ${creator.user.id}::uuid, ${m.from}, ${m.to},
        'open', ${m.to === "closed" ? final.status : "open"}, ${m.at.toISOString()}::timestamptz)`);
  }
  return deal.id;
}

const changed = (tenantId: string, dealId: string) =>
  domainEvent("deal.changed", tenantId, {
    deal_id: dealId,
    previous_owner_id: null,
    previous_closed_at: null,
  });

const rollupRows = async (tenantId: string) =>
  (
    await testDb().execute(sql`
      select 'd' as t, day::text, owner_id, status || '/' || stage as k, deals as n, amount::text as v from deal_daily_rollups where tenant_id = ${tenantId}::uuid
      union all select 's', day::text, owner_id, stage, reached, stays::text || '/' || stay_seconds::text from deal_stage_daily_rollups where tenant_id = ${tenantId}::uuid
      union all select 'w', day::text, owner_id, '', deals, amount::text from deal_won_daily_rollups where tenant_id = ${tenantId}::uuid
      order by 1, 2, 3, 4`)
  ).rows;

type Summary = {
  data: {
    by_status: { status: string; count: number; total_amount: number; average_amount: number | null }[];
    won_this_month: { count: number; amount: number };
    won_this_quarter: { count: number; amount: number };
  };
};
type Funnel = {
  data: {
    stages: {
      stage: string;
      reached: number;
      current: number;
      conversion_to_next: number | null;
      average_days: number | null;
    }[];
  };
};

describe("analytics: deals summary and funnel (seed 004)", () => {
  it("every figure from the rollups equals the numbers computed here; redelivery changes nothing", async () => {
    const tenant = await createTenant();
    const [admin, member] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
    ]);
    const now = Date.now();
    const t0 = new Date(now - 10 * DAY);
    const at = (days: number) => new Date(t0.getTime() + days * DAY);
    const ids = [
      // A: qualification 1 d, proposal 2 d, negotiation 1 d, won (today).
      await dealWithHistory(
        admin,
        admin,
        1000,
        t0,
        [
          { from: "qualification", to: "proposal", at: at(1) },
          { from: "proposal", to: "negotiation", at: at(3) },
          { from: "negotiation", to: "closed", at: at(4) },
        ],
        { stage: "closed", status: "won", closedAt: new Date(now) },
      ),
      // B: qualification 2 d, still in proposal.
      await dealWithHistory(admin, member, 500, t0, [{ from: "qualification", to: "proposal", at: at(2) }], {
        stage: "proposal",
        status: "open",
      }),
      // C: still in qualification.
      await dealWithHistory(member, member, 200, t0, [], { stage: "qualification", status: "open" }),
      // D: qualification 1 d, proposal 1 d, lost (skipping negotiation: it got that far).
      await dealWithHistory(
        admin,
        admin,
        300,
        t0,
        [
          { from: "qualification", to: "proposal", at: at(1) },
          { from: "proposal", to: "closed", at: at(2) },
        ],
        { stage: "closed", status: "lost", closedAt: at(2) },
      ),
      // E: created 100 days ago (outside the range), won today: only in won this month/quarter.
      await dealWithHistory(admin, admin, 50, new Date(now - 100 * DAY), [], {
        stage: "closed",
        status: "won",
        closedAt: new Date(now),
      }),
    ];
    // Another tenant's deal is never counted.
    const otherTenant = await createTenant();
    const stranger = await createUser(otherTenant, ["admin"]);
    const foreign = await createDeal(stranger, { amount: 9999, status: "won" });

    const events = [...ids.map((id) => changed(tenant.id, id)), changed(otherTenant.id, foreign.id)];
    const first = await deliver(events);
    expect(first.retryMessages).toEqual([]);
    expect(first.explicitAcks).toHaveLength(events.length);
    const rows = await rollupRows(tenant.id);
    await deliver(events);
    await deliver([...events].reverse());
    expect(await rollupRows(tenant.id)).toEqual(rows);

    const summary = await call<Summary>("GET", "/api/analytics/deals/summary", { token: admin.token });
    expect(summary.status, summary.text).toBe(200);
    expect(roundTrips(summary.headers)).toBe(1);
    expect(summary.json.data.by_status).toEqual([
      { status: "open", count: 2, total_amount: 700, average_amount: 350 },
      { status: "won", count: 1, total_amount: 1000, average_amount: 1000 },
      { status: "lost", count: 1, total_amount: 300, average_amount: 300 },
    ]);
    expect(summary.json.data.won_this_month).toEqual({ count: 2, amount: 1050 });
    expect(summary.json.data.won_this_quarter).toEqual({ count: 2, amount: 1050 });

    const funnel = await call<Funnel>("GET", "/api/analytics/deals/funnel", { token: admin.token });
    expect(funnel.status, funnel.text).toBe(200);
    expect(roundTrips(funnel.headers)).toBe(1);
    const r2 = (v: number) => Math.round(v * 100) / 100;
    expect(funnel.json.data.stages).toEqual([
      {
        stage: "qualification",
        reached: 4,
        current: 1,
        conversion_to_next: 75,
        average_days: r2((1 + 2 + 1) / 3),
      },
      { stage: "proposal", reached: 3, current: 1, conversion_to_next: r2((100 * 2) / 3), average_days: 1.5 },
      { stage: "negotiation", reached: 2, current: 0, conversion_to_next: 100, average_days: 1 },
      { stage: "closed", reached: 2, current: 2, conversion_to_next: null, average_days: null },
    ]);

    // The owner filter, and a member's own scope (by owner): B and C only.
    const byOwner = await call<Summary>("GET", `/api/analytics/deals/summary?owner_id=${member.user.id}`, {
      token: admin.token,
    });
    const own = await call<Summary>("GET", "/api/analytics/deals/summary", { token: member.token });
    for (const result of [byOwner, own]) {
      expect(result.json.data.by_status[0]).toEqual({
        status: "open",
        count: 2,
        total_amount: 700,
        average_amount: 350,
      });
      expect(result.json.data.by_status[1]?.count).toBe(0);
      expect(result.json.data.won_this_month).toEqual({ count: 0, amount: 0 });
    }
    const ownFunnel = await call<Funnel>("GET", "/api/analytics/deals/funnel", { token: member.token });
    expect(ownFunnel.json.data.stages.map((s) => s.reached)).toEqual([2, 1, 0, 0]);

    // The date range: a range before the deals were created counts nothing in by_status.
    const early = await call<Summary>(
      "GET",
      "/api/analytics/deals/summary?start_date=2020-01-01&end_date=2020-01-31",
      {
        token: admin.token,
      },
    );
    expect(early.json.data.by_status.map((s) => s.count)).toEqual([0, 0, 0]);
    const bad = await call("GET", "/api/analytics/deals/funnel?start_date=2020-02-01&end_date=2020-01-01", {
      token: admin.token,
    });
    expect(bad.status).toBe(400);

    // A change through the API, then its event: the rollups follow (C moves on, is won).
    const patched = await call("PATCH", `/api/deals/${ids[2]}`, {
      token: member.token,
      body: { status: "won" },
    });
    expect(patched.status).toBe(200);
    await deliver([changed(tenant.id, ids[2] ?? "")]);
    const after = await call<Summary>("GET", "/api/analytics/deals/summary", { token: admin.token });
    expect(after.json.data.by_status.map((s) => s.count)).toEqual([1, 2, 1]);
    expect(after.json.data.won_this_month).toEqual({ count: 3, amount: 1250 });

    // An owner change recomputes the old owner's cell too (previous_owner_id).
    const moved = await call("PATCH", `/api/deals/${ids[1]}`, {
      token: admin.token,
      body: { owner_id: admin.user.id },
    });
    expect(moved.status).toBe(200);
    await deliver([
      domainEvent("deal.changed", tenant.id, {
        deal_id: ids[1],
        previous_owner_id: member.user.id,
        previous_closed_at: null,
      }),
    ]);
    const memberNow = await call<Summary>("GET", "/api/analytics/deals/summary", { token: member.token });
    expect(memberNow.json.data.by_status.map((s) => s.count)).toEqual([0, 1, 0]);
    // The tenant's figures (the day's total cells) still count the moved deal once, and equal the
    // sum over the owners' cells.
    const tenantNow = await call<Summary>("GET", "/api/analytics/deals/summary", { token: admin.token });
    expect(tenantNow.json.data.by_status.map((s) => s.count)).toEqual([1, 2, 1]);
    const adminOwn = await call<Summary>("GET", `/api/analytics/deals/summary?owner_id=${admin.user.id}`, {
      token: admin.token,
    });
    expect(adminOwn.json.data.by_status.map((s) => s.count)).toEqual([1, 1, 1]);
    expect(tenantNow.json.data.won_this_month).toEqual({ count: 3, amount: 1250 });
    const tenantFunnel = await call<Funnel>("GET", "/api/analytics/deals/funnel", { token: admin.token });
    const ownerFunnels = await Promise.all(
      [admin, member].map((u) =>
        call<Funnel>("GET", `/api/analytics/deals/funnel?owner_id=${u.user.id}`, { token: admin.token }),
      ),
    );
    const ownerSum = (i: number, key: "reached" | "current") =>
      ownerFunnels.reduce((sum, f) => sum + (f.json.data.stages[i]?.[key] ?? 0), 0);
    expect(tenantFunnel.json.data.stages.map((s) => [s.reached, s.current])).toEqual(
      tenantFunnel.json.data.stages.map((_, i) => [ownerSum(i, "reached"), ownerSum(i, "current")]),
    );

    await createCustomRole(tenant, "no_deals", []);
    const nobody = await createUser(tenant, ["no_deals"]);
    expect((await call("GET", "/api/analytics/deals/summary", { token: nobody.token })).status).toBe(403);
    expect((await call("GET", "/api/analytics/deals/funnel", { token: nobody.token })).status).toBe(403);
  });

  it("a deal deleted and restored from the trash leaves and re-enters the figures through the queue", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const won = async () =>
      (
        await call<Summary>("GET", "/api/analytics/deals/summary", { token: admin.token })
      ).json.data.by_status.find((s) => s.status === "won")?.count ?? -1;
    const deal = await createDeal(admin, { amount: 40, status: "won" });
    expect(await eventually(won, (n) => n === 1)).toBe(1);
    expect((await call("DELETE", `/api/deals/${deal.id}`, { token: admin.token })).status).toBe(204);
    expect(await eventually(won, (n) => n === 0)).toBe(0);
    const restored = await call("POST", `/api/trash/deal/${deal.id}/restore`, { token: admin.token });
    expect(restored.status, restored.text).toBe(200);
    expect(await eventually(won, (n) => n === 1)).toBe(1);
    // The restore's event is the kit's { entity, id }: applied (twice) it rebuilds the same cells.
    const applied = await rollupRows(tenant.id);
    const kitEvent = domainEvent("deal.changed", tenant.id, { entity: "deal", id: deal.id });
    expect((await deliver([kitEvent, kitEvent])).explicitAcks.length).toBe(2);
    expect(await rollupRows(tenant.id)).toEqual(applied);
  }, 60_000);

  it("the nightly cron rebuilds yesterday's written deals to the same rows the queue applied", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const ids = [
      (await createDeal(admin, { amount: 10 })).id,
      (await createDeal(admin, { amount: 20, status: "won" })).id,
      (await createDeal(admin, { amount: 30, stage: "proposal" })).id,
    ];
    const db = testDb();
    const yesterday = new Date(Date.now() - DAY).toISOString();
    await db.execute(
      sql`update deals set updated_at = ${yesterday}::timestamptz where tenant_id = ${tenant.id}::uuid`,
    );
    await deliver(ids.map((id) => changed(tenant.id, id)));
    const applied = await rollupRows(tenant.id);
    expect(applied.length).toBeGreaterThan(0);
    await db.batch([
      db.execute(sql`delete from deal_daily_rollups where tenant_id = ${tenant.id}::uuid`),
      db.execute(sql`delete from deal_stage_daily_rollups where tenant_id = ${tenant.id}::uuid`),
      db.execute(sql`delete from deal_won_daily_rollups where tenant_id = ${tenant.id}::uuid`),
    ]);
    await runCron(CRON_NIGHTLY, new Date());
    expect(await rollupRows(tenant.id)).toEqual(applied);
  });
});
