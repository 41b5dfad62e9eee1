import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { auditLogs, shelfShareDailyRollups } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import { createBrand, createPhotoRow, createVisit, quadrantsOf } from "./support";

interface ShelfResult {
  data: {
    photo_id: string;
    visit_id: string;
    quadrants: {
      id: string;
      brand_id: string;
      x: number;
      y: number;
      width: number;
      height: number;
      area_percentage: number;
    }[];
    shares: { brand_id: string; area_percentage: number }[];
  };
}

/** The brand each isolation photo's body marks (a brand of the photo's own tenant). */
const brandOfPhoto = new Map<string, string>();

async function photoWithBrand(tenant: TenantRow): Promise<string> {
  const agent = await createUser(tenant, ["agent"]);
  const photo = await createPhotoRow(await createVisit(tenant, agent.user.id));
  brandOfPhoto.set(photo.id, await createBrand(tenant));
  return photo.id;
}

describeTenantIsolation({
  name: "POST /api/photos/:id/shelf_quadrants",
  method: "POST",
  path: (id) => `/api/photos/${id}/shelf_quadrants`,
  permission: "photos:create",
  body: (id) => ({ quadrants: [{ brand_id: brandOfPhoto.get(id), x: 0, y: 0, width: 0.5, height: 0.5 }] }),
  create: photoWithBrand,
  snapshot: (tenant, id) => quadrantsOf(tenant.id, id),
});

async function scene() {
  const tenant = await createTenant();
  const agent = await createUser(tenant, ["agent"]);
  const visit = await createVisit(tenant, agent.user.id);
  const photo = await createPhotoRow(visit);
  const a = await createBrand(tenant);
  const b = await createBrand(tenant);
  return { tenant, agent, visit, photo, a, b };
}

const submit = (token: string, photoId: string, quadrants: unknown) =>
  call<ShelfResult>("POST", `/api/photos/${photoId}/shelf_quadrants`, { token, body: { quadrants } });

/** The shelf-share rollup rows of a tenant (written by the queue consumer). */
async function rollupsOf(tenantId: string) {
  return testDb().select().from(shelfShareDailyRollups).where(eq(shelfShareDailyRollups.tenantId, tenantId));
}

describe("shelf quadrants", () => {
  it("stores the rectangles with each brand's share, audits, and emits the event, in one round trip", async () => {
    const { tenant, agent, visit, photo, a, b } = await scene();
    const res = await submit(agent.token, photo.id, [
      { brand_id: a, x: 0, y: 0, width: 0.6, height: 0.5 },
      { brand_id: b, x: 0.3, y: 0, width: 0.7, height: 0.5 },
      { brand_id: a, x: 0, y: 0, width: 0.1, height: 0.1 },
    ]);
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    // Union 0.5: a alone 0.15, b alone 0.2, their overlap 0.15 split equally → a 45 %, b 55 %.
    const { data } = res.json;
    expect(data.photo_id).toBe(photo.id);
    expect(data.visit_id).toBe(visit.id);
    expect(data.shares.map((s) => s.brand_id)).toEqual([b, a]);
    expect(data.shares[0]?.area_percentage).toBeCloseTo(55, 9);
    expect(data.shares[1]?.area_percentage).toBeCloseTo(45, 9);
    expect(data.quadrants.map((q) => q.brand_id)).toEqual([a, b, a]);

    const rows = await quadrantsOf(tenant.id, photo.id);
    expect(rows.map((r) => r.id)).toEqual(data.quadrants.map((q) => q.id));
    expect(rows.map((r) => [r.brandId, r.x, r.y, r.width, r.height])).toEqual([
      [a, 0, 0, 0.6, 0.5],
      [b, 0.3, 0, 0.7, 0.5],
      [a, 0, 0, 0.1, 0.1],
    ]);
    expect(rows[0]?.areaPercentage).toBeCloseTo(45, 9);
    expect(rows[1]?.areaPercentage).toBeCloseTo(55, 9);
    expect(rows[2]?.areaPercentage).toBe(rows[0]?.areaPercentage);
    expect(rows.every((r) => r.createdBy === agent.user.id)).toBe(true);

    const got = await call<{ data: { shelf_quadrants: { id: string; area_percentage: number }[] } }>(
      "GET",
      `/api/photos/${photo.id}`,
      { token: agent.token },
    );
    expect(got.json.data.shelf_quadrants.map((q) => q.id)).toEqual(rows.map((r) => r.id));

    // The event reaches the queue consumer, which turns it into the shop/day shelf-share rollup.
    const rollups = await vi.waitFor(
      async () => {
        const found = await rollupsOf(tenant.id);
        if (found.length < 2) throw new Error("not consumed yet");
        return found;
      },
      { timeout: 10_000, interval: 200 },
    );
    const byBrand = new Map(rollups.map((r) => [r.brandId, r]));
    expect(byBrand.get(a)).toMatchObject({ photos: 1 });
    expect(byBrand.get(a)?.shareSum).toBeCloseTo(45, 9);
    expect(byBrand.get(b)?.shareSum).toBeCloseTo(55, 9);
  });

  it("a new submission replaces the old one atomically, with both in the audit row", async () => {
    const { tenant, agent, photo, a, b } = await scene();
    await submit(agent.token, photo.id, [
      { brand_id: a, x: 0, y: 0, width: 0.5, height: 1 },
      { brand_id: b, x: 0.5, y: 0, width: 0.5, height: 1 },
    ]);
    const res = await submit(agent.token, photo.id, [
      { brand_id: b, x: 0.1, y: 0.1, width: 0.2, height: 0.2 },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.data.shares).toEqual([{ brand_id: b, area_percentage: 100 }]);
    const rows = await quadrantsOf(tenant.id, photo.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ brandId: b, areaPercentage: 100 });
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.tenantId, tenant.id),
          eq(auditLogs.entityId, photo.id),
          eq(auditLogs.action, "photo.shelf_quadrants"),
        ),
      )
      .orderBy(auditLogs.id);
    expect(audit).toHaveLength(2);
    const last = audit[1];
    expect(last?.oldValues).toMatchObject({ quadrants: [{ brand_id: a }, { brand_id: b }] });
    expect(last?.newValues).toMatchObject({
      quadrants: [{ brand_id: b, x: 0.1, y: 0.1, width: 0.2, height: 0.2, area_percentage: 100 }],
      shares: [{ brand_id: b, area_percentage: 100 }],
    });
    expect(last).toMatchObject({ actorId: agent.user.id, entityType: "photo" });
  });

  it("concurrent submissions for one photo leave exactly one of them", async () => {
    const { tenant, agent, photo, a, b } = await scene();
    const sets = [
      [{ brand_id: a, x: 0, y: 0, width: 0.5, height: 0.5 }],
      [
        { brand_id: b, x: 0, y: 0, width: 0.2, height: 0.2 },
        { brand_id: a, x: 0.5, y: 0.5, width: 0.2, height: 0.2 },
      ],
      [
        { brand_id: b, x: 0, y: 0, width: 0.1, height: 0.1 },
        { brand_id: b, x: 0.2, y: 0, width: 0.1, height: 0.1 },
        { brand_id: a, x: 0.4, y: 0, width: 0.1, height: 0.1 },
      ],
    ];
    const results = await Promise.all(sets.map((q) => submit(agent.token, photo.id, q)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const rows = await quadrantsOf(tenant.id, photo.id);
    const winner = results.find(
      (r) => r.json.data.quadrants.map((q) => q.id).join() === rows.map((r) => r.id).join(),
    );
    expect(winner, "the stored rows are exactly one submission").toBeDefined();
  });

  it("unknown, deleted and other tenants' brands → 400 naming each, nothing changed", async () => {
    const { tenant, agent, photo, a } = await scene();
    await submit(agent.token, photo.id, [{ brand_id: a, x: 0, y: 0, width: 1, height: 1 }]);
    const before = await quadrantsOf(tenant.id, photo.id);
    const deleted = await createBrand(tenant, { deleted: true });
    const foreign = await createBrand(await createTenant());
    const res = await call<ErrorEnvelope>("POST", `/api/photos/${photo.id}/shelf_quadrants`, {
      token: agent.token,
      body: {
        quadrants: [
          { brand_id: a, x: 0, y: 0, width: 0.5, height: 0.5 },
          { brand_id: uuidv7(), x: 0, y: 0, width: 0.5, height: 0.5 },
          { brand_id: deleted, x: 0, y: 0, width: 0.5, height: 0.5 },
          { brand_id: foreign, x: 0, y: 0, width: 0.5, height: 0.5 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.error.details?.map((d) => d.field)).toEqual([
      "quadrants.1.brand_id",
      "quadrants.2.brand_id",
      "quadrants.3.brand_id",
    ]);
    expect(await quadrantsOf(tenant.id, photo.id)).toEqual(before);
  });

  it("rejects rectangles outside the photo and malformed bodies with per-field errors", async () => {
    const { tenant, agent, photo, a } = await scene();
    const rect = { brand_id: a, x: 0.2, y: 0.2, width: 0.5, height: 0.5 };
    const cases: [unknown, string][] = [
      [[{ ...rect, x: 0.6 }], "quadrants.0.width"],
      [[{ ...rect, y: 0.7 }], "quadrants.0.height"],
      [[{ ...rect, width: 0 }], "quadrants.0.width"],
      [[{ ...rect, height: -0.1 }], "quadrants.0.height"],
      [[{ ...rect, x: -0.1 }], "quadrants.0.x"],
      [[{ ...rect, y: 1.5 }], "quadrants.0.y"],
      [[rect, { ...rect, brand_id: "nope" }], "quadrants.1.brand_id"],
      [[{ ...rect, area_percentage: 90 }], "quadrants.0.area_percentage"],
      [[], "quadrants"],
      [Array.from({ length: 201 }, () => rect), "quadrants"],
    ];
    for (const [quadrants, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", `/api/photos/${photo.id}/shelf_quadrants`, {
        token: agent.token,
        body: { quadrants },
      });
      expect(res.status, field).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    // Edges exactly on the border are fine, and so is 200 rectangles.
    const edge = await submit(
      agent.token,
      photo.id,
      Array.from({ length: 200 }, (_, i) => ({
        brand_id: a,
        x: 0.7,
        y: 0.3,
        width: 0.3,
        height: 0.7 - i * 0.001,
      })),
    );
    expect(edge.status).toBe(200);
    expect(await quadrantsOf(tenant.id, photo.id)).toHaveLength(200);
  });

  it("only photos inside the caller's scope can be marked", async () => {
    const { tenant, photo, a } = await scene();
    const colleague = await createUser(tenant, ["agent"]);
    const res = await call<ErrorEnvelope>("POST", `/api/photos/${photo.id}/shelf_quadrants`, {
      token: colleague.token,
      body: { quadrants: [{ brand_id: a, x: 0, y: 0, width: 1, height: 1 }] },
    });
    expect(res.status).toBe(404);
    expect(await quadrantsOf(tenant.id, photo.id)).toEqual([]);
    const viewer = await createUser(tenant, ["manager"]);
    const readOnly = await call<ErrorEnvelope>("POST", `/api/photos/${photo.id}/shelf_quadrants`, {
      token: viewer.token,
      body: { quadrants: [{ brand_id: a, x: 0, y: 0, width: 1, height: 1 }] },
    });
    expect(readOnly.status).toBe(403);
    const unknown = await call("POST", `/api/photos/${uuidv7()}/shelf_quadrants`, {
      token: (await createUser(tenant, ["admin"])).token,
      body: { quadrants: [{ brand_id: a, x: 0, y: 0, width: 1, height: 1 }] },
    });
    expect(unknown.status).toBe(404);
  });
});
