import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { domainEvent } from "../../src/core/events";
import { uuidv7 } from "../../src/core/ids";
import { NO_SHOP_ID } from "../../src/core/rollup-sql.mjs";
import { photos, shelfQuadrants, shelfShareDailyRollups, visitDailyRollups } from "../../src/db/schema";
import { CRON_NIGHTLY } from "../../src/jobs/scheduled";
import { createBrand, createShop, createSurvey } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { deliver, runCron } from "../helpers/jobs";
import { createVisit } from "../helpers/visits";

const runNightly = (scheduledTime: Date) => runCron(CRON_NIGHTLY, scheduledTime);

const visitRollups = async (tenantId: string) =>
  testDb()
    .select()
    .from(visitDailyRollups)
    .where(eq(visitDailyRollups.tenantId, tenantId))
    .orderBy(asc(visitDailyRollups.day), asc(visitDailyRollups.agentId), asc(visitDailyRollups.shopId));

const shelfRollups = async (tenantId: string) =>
  testDb()
    .select()
    .from(shelfShareDailyRollups)
    .where(eq(shelfShareDailyRollups.tenantId, tenantId))
    .orderBy(asc(shelfShareDailyRollups.brandId));

/**
 * A tenant in Johannesburg (UTC+2) with an agent and a shop; visits completed on 2026-11-10 local
 * time, one of them at 23:30 UTC on the 9th — already the 10th in Johannesburg.
 */
async function fieldDay() {
  const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
  const agent = await createUser(tenant, ["agent"]);
  const { survey } = await createSurvey(tenant, { questions: [] });
  const shop = await createShop(tenant);
  const completed = (start: string, minutes: number, extra: Record<string, unknown> = {}) =>
    createVisit(tenant, agent.user.id, survey.id, {
      shopId: shop.id,
      status: "completed",
      startedAt: new Date(start),
      completedAt: new Date(Date.parse(start) + minutes * 60_000),
      ...extra,
    });
  const visits = [
    await completed("2026-11-09T23:30:00Z", 20),
    await completed("2026-11-10T08:00:00Z", 30, { outsideGeofence: true }),
    await completed("2026-11-10T09:00:00Z", 10, { shopId: null }),
  ];
  return { tenant, agent, survey, shop, visits };
}

describe("visit rollups", () => {
  it("visit.completed recomputes the agent/shop/day cell; the same batch delivered twice changes nothing", async () => {
    const { tenant, agent, shop, visits } = await fieldDay();
    const events = visits.map((v) => domainEvent("visit.completed", tenant.id, { visit_id: v.id }));
    const first = await deliver(events);
    expect(first.explicitAcks).toHaveLength(3);
    const after = await visitRollups(tenant.id);
    const second = await deliver(events);
    expect(second.explicitAcks).toHaveLength(3);
    const again = await visitRollups(tenant.id);
    expect(again.map(({ updatedAt: _u, ...r }) => r)).toEqual(after.map(({ updatedAt: _u, ...r }) => r));
    const cells = after.map((r) => ({
      day: r.day,
      agent: r.agentId,
      shop: r.shopId,
      visits: r.visits,
      outside: r.outsideGeofence,
      seconds: r.durationSeconds,
    }));
    expect(cells).toEqual(
      expect.arrayContaining([
        { day: "2026-11-10", agent: agent.user.id, shop: shop.id, visits: 2, outside: 1, seconds: 3000 },
        { day: "2026-11-10", agent: agent.user.id, shop: NO_SHOP_ID, visits: 1, outside: 0, seconds: 600 },
      ]),
    );
    expect(cells).toHaveLength(2);
  });

  it("the nightly cron rebuilds yesterday from source rows even when every event was lost, and is safe twice", async () => {
    const { tenant } = await fieldDay();
    expect(await visitRollups(tenant.id)).toHaveLength(0);
    // 02:30 UTC on the 11th = 04:30 in Johannesburg: "yesterday" is the 10th there.
    const nightly = new Date("2026-11-11T02:30:00Z");
    await runNightly(nightly);
    const once = await visitRollups(tenant.id);
    await runNightly(nightly);
    const twice = await visitRollups(tenant.id);
    expect(once.map((r) => [r.day, r.visits])).toEqual(
      expect.arrayContaining([
        ["2026-11-10", 2],
        ["2026-11-10", 1],
      ]),
    );
    expect(twice.map(({ updatedAt: _u, ...r }) => r)).toEqual(once.map(({ updatedAt: _u, ...r }) => r));
  });
});

describe("shelf share rollups", () => {
  it("shelf_quadrants.submitted gives per-brand sums over the shop-day's photos; redelivery changes nothing", async () => {
    const { tenant, agent, visits } = await fieldDay();
    const [a, b] = await Promise.all([createBrand(tenant), createBrand(tenant)]);
    const db = testDb();
    const photoIds = [uuidv7(), uuidv7()];
    await db.insert(photos).values(
      photoIds.map((id, i) => ({
        tenantId: tenant.id,
        id,
        visitId: visits[i]?.id ?? "",
        purpose: "shelf" as const,
        objectKey: `t/${tenant.id}/photo/${id}`,
        contentType: "image/jpeg",
        declaredSize: 10,
        createdBy: agent.user.id,
      })),
    );
    const rect = { x: 0, y: 0, width: 0.5, height: 0.5, createdBy: agent.user.id, tenantId: tenant.id };
    await db.insert(shelfQuadrants).values([
      { ...rect, id: uuidv7(), photoId: photoIds[0] ?? "", brandId: a.id, areaPercentage: 75 },
      { ...rect, id: uuidv7(), photoId: photoIds[0] ?? "", brandId: a.id, areaPercentage: 75 },
      { ...rect, id: uuidv7(), photoId: photoIds[0] ?? "", brandId: b.id, areaPercentage: 25 },
      { ...rect, id: uuidv7(), photoId: photoIds[1] ?? "", brandId: b.id, areaPercentage: 100 },
    ]);
    const events = photoIds.map((id) =>
      domainEvent("shelf_quadrants.submitted", tenant.id, { photo_id: id }),
    );
    await deliver(events);
    const once = await shelfRollups(tenant.id);
    await deliver([...events, ...events]);
    const twice = await shelfRollups(tenant.id);
    const byBrand = Object.fromEntries(once.map((r) => [r.brandId, { photos: r.photos, sum: r.shareSum }]));
    expect(byBrand).toEqual({ [a.id]: { photos: 2, sum: 75 }, [b.id]: { photos: 2, sum: 125 } });
    expect(twice.map(({ updatedAt: _u, ...r }) => r)).toEqual(once.map(({ updatedAt: _u, ...r }) => r));
  });

  it("an event for a photo id that does not exist is acknowledged and writes nothing", async () => {
    const tenant = await createTenant();
    const result = await deliver([
      domainEvent("shelf_quadrants.submitted", tenant.id, { photo_id: uuidv7() }),
    ]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await shelfRollups(tenant.id)).toHaveLength(0);
  });
});
