import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { shelfShareDailyRollups, visitDailyRollups } from "../../src/db/schema";
import { createBrand, createShop, createSurvey } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, roundTrips } from "../helpers/http";

async function poll<T>(read: () => Promise<T[]>, timeoutMs = 15_000): Promise<T[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await read();
    if (rows.length > 0 || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("an agent's day, end to end through HTTP", () => {
  it("start → photo bytes to R2 → shelf marks → complete → list → rollups", async () => {
    const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
    const agent = await createUser(tenant, ["agent"]);
    const manager = await createUser(tenant, ["manager"]);
    const shop = await createShop(tenant, { lat: -26.2041, lng: 28.0473 });
    const [ours, theirs] = await Promise.all([createBrand(tenant), createBrand(tenant)]);
    const { survey, questions } = await createSurvey(tenant, {
      questions: [
        { prompt: "Facings of our brand", type: "number", isRequired: true, minValue: 0, maxValue: 500 },
        { prompt: "Shelf photo", type: "photo" },
      ],
    });

    // 1. Start the visit at the shop.
    const started = await call<{ data: { id: string; outside_geofence: boolean } }>("POST", "/api/visits", {
      token: agent.token,
      body: {
        survey_id: survey.id,
        shop_id: shop.id,
        lat: -26.2042,
        lng: 28.0474,
        accuracy_m: 6,
        client_id: "day-visit-0001",
      },
    });
    expect(started.status).toBe(201);
    expect(started.json.data.outside_geofence).toBe(false);
    const visitId = started.json.data.id;

    // 2. Register a shelf photo and PUT its bytes straight to the returned URL.
    const bytes = new Uint8Array(200_000);
    for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
    const registered = await call<{
      data: { id: string; upload: { url: string; method: string; headers: Record<string, string> } };
    }>("POST", "/api/photos", {
      token: agent.token,
      body: {
        visit_id: visitId,
        purpose: "shelf",
        content_type: "image/jpeg",
        size: bytes.length,
        question_id: questions[1]?.id,
      },
    });
    expect(registered.status).toBe(201);
    const { id: photoId, upload } = registered.json.data;
    const put = await SELF.fetch(upload.url, {
      method: upload.method,
      headers: { ...upload.headers, "content-length": String(bytes.length) },
      body: bytes,
    });
    expect(put.status).toBe(200);
    const stored = await env.FILES.get(`t/${tenant.id}/photo/${photoId}`);
    expect(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer())).toEqual(bytes);

    // 3. Mark brand rectangles on the shelf photo: ours covers 3/4 of the marked shelf.
    const marks = await call<{ data: { shares: { brand_id: string; area_percentage: number }[] } }>(
      "POST",
      `/api/photos/${photoId}/shelf_quadrants`,
      {
        token: agent.token,
        body: {
          quadrants: [
            { brand_id: ours.id, x: 0, y: 0, width: 0.75, height: 1 },
            { brand_id: theirs.id, x: 0.75, y: 0, width: 0.25, height: 1 },
          ],
        },
      },
    );
    expect(marks.status).toBe(200);
    const shares = Object.fromEntries(marks.json.data.shares.map((s) => [s.brand_id, s.area_percentage]));
    expect(shares[ours.id]).toBeCloseTo(75, 9);
    expect(shares[theirs.id]).toBeCloseTo(25, 9);

    // 4. Complete with answers, the photo answering the photo question.
    const completed = await call<{ data: { status: string } }>("PUT", `/api/visits/${visitId}/complete`, {
      token: agent.token,
      body: {
        answers: [
          { question_id: questions[0]?.id, value: 42 },
          { question_id: questions[1]?.id, value: photoId },
        ],
        photo_ids: [photoId],
      },
    });
    expect(completed.status).toBe(200);
    expect(completed.json.data.status).toBe("completed");

    // 5. The manager sees it in the list, and its photo can be downloaded.
    const list = await call<{ data: { id: string; status: string }[] }>(
      "GET",
      `/api/visits?agent_id=${agent.user.id}`,
      {
        token: manager.token,
      },
    );
    expect(list.json.data).toEqual([expect.objectContaining({ id: visitId, status: "completed" })]);
    const visitPhotos = await call<{
      data: { id: string; sha256: string; download: { url: string } | null }[];
    }>("GET", `/api/visits/${visitId}/photos`, { token: manager.token });
    expect(visitPhotos.status).toBe(200);
    expect(roundTrips(visitPhotos.headers)).toBe(1);
    expect(visitPhotos.json.data[0]?.sha256).toBe(await sha256Hex(bytes));
    const download = await SELF.fetch(visitPhotos.json.data[0]?.download?.url ?? "");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    // 6. The queue consumer turned the events into rollups (delivered by the local queue broker).
    const visitsRollup = await poll(() =>
      testDb().select().from(visitDailyRollups).where(eq(visitDailyRollups.tenantId, tenant.id)),
    );
    expect(visitsRollup).toEqual([
      expect.objectContaining({ agentId: agent.user.id, shopId: shop.id, visits: 1, outsideGeofence: 0 }),
    ]);
    const shelfRollup = await poll(() =>
      testDb()
        .select()
        .from(shelfShareDailyRollups)
        .where(
          and(eq(shelfShareDailyRollups.tenantId, tenant.id), eq(shelfShareDailyRollups.brandId, ours.id)),
        ),
    );
    expect(shelfRollup[0]).toMatchObject({ shopId: shop.id, photos: 1 });
    expect(shelfRollup[0]?.shareSum).toBeCloseTo(75, 9);
  });
});
