import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { shelfQuadrants } from "../../src/db/schema";
import { CRON_NIGHTLY, CRON_REPORTS } from "../../src/jobs/scheduled";
import { createBrand, createShop, createSurvey } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createCustomRole, createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import {
  createField,
  createNeighbour,
  deliver,
  type Field,
  localDay,
  runCron,
  VISITS,
  type VisitSpec,
  visitDays,
} from "./support";

type Agent = VisitSpec["agent"];
const ALL: Agent[] = ["a1", "a2", "a3", "a4"];
const SUBTREE: Agent[] = ["a1", "a2", "a3"];

/** The figures of VISITS for agents `who` on local days [s, e], computed in plain JS. */
function figures(s: string, e: string, who: Agent[], filter: (v: VisitSpec) => boolean = () => true) {
  const vs = VISITS.filter(
    (v) => who.includes(v.agent) && localDay(v.start) >= s && localDay(v.start) <= e && filter(v),
  );
  const done = vs.filter((v) => v.minutes !== null);
  const photos = vs.flatMap((v) => v.photos ?? []);
  const marked = photos.flatMap((p) => (p.marks ? [p.marks] : []));
  const area = marked.reduce((sum, m) => sum + m.area, 0);
  const brandArea = (b: "A" | "B") => marked.reduce((sum, m) => sum + (m.shares[b] / 100) * m.area, 0);
  const seconds = done.reduce((sum, v) => sum + (v.minutes ?? 0) * 60, 0);
  return {
    started: vs.length,
    completed: done.length,
    rate: vs.length ? (100 * done.length) / vs.length : null,
    duration: done.length ? seconds / done.length : null,
    outside: vs.filter((v) => v.outside).length,
    photos: photos.length,
    shelfPhotos: marked.length,
    answers: done.reduce((sum, v) => sum + (v.answers ?? 0), 0),
    share: { A: area ? (100 * brandArea("A")) / area : null, B: area ? (100 * brandArea("B")) / area : null },
    markedA: marked.filter((m) => m.shares.A > 0).length,
    markedB: marked.filter((m) => m.shares.B > 0).length,
  };
}

interface Metric {
  value: number | null;
  previous: number | null;
}
interface Overview {
  data: {
    range: { start_date: string; end_date: string; timezone: string };
    previous_range: { start_date: string; end_date: string };
    visits_started: Metric;
    visits_completed: Metric;
    completion_rate: Metric;
    average_visit_duration_seconds: Metric;
    geofence_exceptions: Metric;
    photos: Metric;
    shelf_photos: Metric;
    shelf_share: { brand_id: string; share: Metric }[];
  };
}

const RANGE = "start_date=2026-11-02&end_date=2026-11-15";

async function overview(token: string, query = RANGE) {
  const res = await call<Overview>("GET", `/api/analytics/overview?${query}`, { token });
  expect(res.status, res.text).toBe(200);
  expect(roundTrips(res.headers)).toBe(1);
  return res.json.data;
}

function expectOverview(data: Overview["data"], field: Field, who: Agent[]) {
  const cur = figures("2026-11-02", "2026-11-15", who);
  const prev = figures("2026-10-19", "2026-11-01", who);
  expect(data.range).toEqual({
    start_date: "2026-11-02",
    end_date: "2026-11-15",
    timezone: "Africa/Johannesburg",
  });
  expect(data.previous_range).toEqual({ start_date: "2026-10-19", end_date: "2026-11-01" });
  expect(data.visits_started).toEqual({ value: cur.started, previous: prev.started });
  expect(data.visits_completed).toEqual({ value: cur.completed, previous: prev.completed });
  expect(data.geofence_exceptions).toEqual({ value: cur.outside, previous: prev.outside });
  expect(data.photos).toEqual({ value: cur.photos, previous: prev.photos });
  expect(data.shelf_photos).toEqual({ value: cur.shelfPhotos, previous: prev.shelfPhotos });
  const close = (got: number | null, want: number | null) =>
    want === null ? expect(got).toBeNull() : expect(got).toBeCloseTo(want, 9);
  close(data.completion_rate.value, cur.rate);
  close(data.completion_rate.previous, prev.rate);
  close(data.average_visit_duration_seconds.value, cur.duration);
  close(data.average_visit_duration_seconds.previous, prev.duration);
  for (const brand of ["A", "B"] as const) {
    const got = data.shelf_share.find((b) => b.brand_id === field.brands[brand]);
    const marked =
      cur.shelfPhotos + prev.shelfPhotos > 0 && (brand === "B" || cur.markedA + prev.markedA > 0);
    if (!marked) continue;
    close(got?.share.value ?? null, cur.share[brand] === null ? null : (cur.share[brand] ?? 0));
    close(got?.share.previous ?? null, prev.share[brand]);
  }
}

describe("analytics fed by the API's own events", () => {
  it("start, photo, shelf marks and completion through HTTP reach the overview through the queue", async () => {
    const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
    const agent = await createUser(tenant, ["agent"]);
    const shop = await createShop(tenant);
    const [ours, theirs] = await Promise.all([createBrand(tenant), createBrand(tenant)]);
    const { survey, questions } = await createSurvey(tenant, {
      questions: [{ prompt: "Note", type: "text" }],
    });
    const started = await call<{ data: { id: string } }>("POST", "/api/visits", {
      token: agent.token,
      body: { survey_id: survey.id, shop_id: shop.id, lat: -26.2041, lng: 28.0473 },
    });
    expect(started.status, started.text).toBe(201);
    const visitId = started.json.data.id;
    const photo = await call<{ data: { id: string } }>("POST", "/api/photos", {
      token: agent.token,
      body: { visit_id: visitId, purpose: "shelf", content_type: "image/jpeg", size: 1000 },
    });
    expect(photo.status, photo.text).toBe(201);
    const marks = await call("POST", `/api/photos/${photo.json.data.id}/shelf_quadrants`, {
      token: agent.token,
      body: {
        quadrants: [
          { brand_id: ours.id, x: 0, y: 0, width: 0.5, height: 0.5 },
          { brand_id: theirs.id, x: 0.5, y: 0, width: 0.25, height: 0.5 },
        ],
      },
    });
    expect(marks.status, marks.text).toBe(200);
    const stored = await testDb()
      .select()
      .from(shelfQuadrants)
      .where(eq(shelfQuadrants.photoId, photo.json.data.id));
    expect(stored.map((q) => q.markedArea)).toEqual([0.375, 0.375]);
    const done = await call("PUT", `/api/visits/${visitId}/complete`, {
      token: agent.token,
      body: { answers: [{ question_id: questions[0]?.id, value: "fine" }], photo_ids: [photo.json.data.id] },
    });
    expect(done.status, done.text).toBe(200);

    const until = Date.now() + 15_000;
    let data: Overview["data"] | undefined;
    for (;;) {
      data = await overview(agent.token, "");
      // The shelf marks reach a different rollup through their own event, maybe in a later batch.
      const ready =
        data.visits_completed.value === 1 &&
        data.photos.value === 1 &&
        data.shelf_photos.value === 1 &&
        data.shelf_share.length === 2;
      if (ready || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(data?.visits_started.value).toBe(1);
    expect(data?.visits_completed.value).toBe(1);
    expect(data?.photos.value).toBe(1);
    expect(data?.shelf_photos.value).toBe(1);
    const share = (id: string) => data?.shelf_share.find((b) => b.brand_id === id)?.share.value;
    expect(share(ours.id)).toBeCloseTo((100 * 0.25) / 0.375, 9);
    expect(share(theirs.id)).toBeCloseTo((100 * 0.125) / 0.375, 9);
  });
});

describe("analytics from the rollups", () => {
  it("the overview matches the rows for every scope; another tenant never counts; redelivery changes nothing", async () => {
    const field = await createField();
    const neighbour = await createNeighbour();
    await deliver([...field.events, ...neighbour]);
    const { a1, leader, manager, admin } = field.users;
    const adminView = await overview(admin.token);
    expectOverview(adminView, field, ALL);
    expect(adminView.visits_started.value).toBe(5);
    expectOverview(await overview(manager.token), field, SUBTREE);
    expectOverview(await overview(leader.token), field, ["a1", "a2"]);
    expectOverview(await overview(a1.token), field, ["a1"]);

    await deliver([...field.events, ...field.events]);
    expect(await overview(admin.token)).toEqual(adminView);
  });

  it("the crons rebuild the same figures from source rows without any event, and twice changes nothing", async () => {
    const field = await createField();
    for (const day of visitDays()) {
      // 02:30 UTC on the next day = 04:30 in Johannesburg, where "yesterday" is `day`.
      const next = new Date(Date.parse(`${day}T02:30:00Z`) + 86_400_000);
      await runCron(CRON_NIGHTLY, next);
      await runCron(CRON_NIGHTLY, next);
    }
    const view = await overview(field.users.admin.token);
    expectOverview(view, field, ALL);
    // The quarter-hour cron rebuilds today (22:30 UTC on 15 Nov = 00:30 on the 16th there).
    await runCron(CRON_REPORTS, new Date("2026-11-15T22:30:00Z"));
    await runCron(CRON_REPORTS, new Date("2026-11-15T22:30:00Z"));
    expect(await overview(field.users.admin.token)).toEqual(view);
    const sixteenth = await overview(field.users.admin.token, "start_date=2026-11-16&end_date=2026-11-16");
    expect(sixteenth.visits_started.value).toBe(figures("2026-11-16", "2026-11-16", ALL).started);
  });

  it("the visits series has every day, ISO week and month bucket, with filters", async () => {
    const field = await createField();
    await deliver(field.events);
    const token = field.users.admin.token;
    type Bucket = {
      start_date: string;
      end_date: string;
      visits_started: number;
      visits_completed: number;
      geofence_exceptions: number;
      photos: number;
      answers: number;
    };
    const series = async (query: string) => {
      const res = await call<{ data: { buckets: Bucket[] } }>("GET", `/api/analytics/visits?${query}`, {
        token,
      });
      expect(res.status, res.text).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      return res.json.data.buckets;
    };
    const check = (bucket: Bucket | undefined, s: string, e: string, f = figures(s, e, ALL)) => {
      expect(bucket).toMatchObject({
        start_date: s,
        end_date: e,
        visits_started: f.started,
        visits_completed: f.completed,
        geofence_exceptions: f.outside,
        photos: f.photos,
        answers: f.answers,
      });
    };
    const days = await series(`${RANGE}&interval=day`);
    expect(days).toHaveLength(14);
    days.forEach((b, i) => {
      const day = new Date(Date.parse("2026-11-02T00:00:00Z") + i * 86_400_000).toISOString().slice(0, 10);
      check(b, day, day);
    });
    expect(days[0]?.visits_started).toBe(1); // 22:30 UTC on 1 Nov is 2 Nov in Johannesburg
    expect(days[13]?.visits_started).toBe(1); // 21:59 UTC on the 15th counts, 22:00 UTC does not

    // Range Wed 28 Oct .. Sun 15 Nov: ISO weeks start on Monday 26 Oct, 2 Nov, 9 Nov.
    const weeks = await series("start_date=2026-10-28&end_date=2026-11-15&interval=week");
    expect(weeks).toHaveLength(3);
    check(weeks[0], "2026-10-28", "2026-11-01");
    check(weeks[1], "2026-11-02", "2026-11-08");
    check(weeks[2], "2026-11-09", "2026-11-15");

    const months = await series("start_date=2026-10-20&end_date=2026-11-15&interval=month");
    expect(months).toHaveLength(2);
    check(months[0], "2026-10-20", "2026-10-31");
    check(months[1], "2026-11-01", "2026-11-15");

    const north = await series(`${RANGE}&interval=month&region=North`);
    check(
      north[0],
      "2026-11-02",
      "2026-11-15",
      figures("2026-11-02", "2026-11-15", ALL, (v) => v.shop === "s1"),
    );
    const s2 = await series(
      `${RANGE}&interval=month&shop_id=${field.shops.s2}&survey_id=${field.surveys.S2.id}`,
    );
    check(
      s2[0],
      "2026-11-02",
      "2026-11-15",
      figures("2026-11-02", "2026-11-15", ALL, (v) => v.shop === "s2" && v.survey === "S2"),
    );
    const a1Only = await series(`${RANGE}&interval=month&agent_id=${field.users.a1.user.id}`);
    check(a1Only[0], "2026-11-02", "2026-11-15", figures("2026-11-02", "2026-11-15", ["a1"]));

    // A team leader's team filter cannot widen their scope, an agent sees their own.
    const leaderRes = await call<{ data: { buckets: Bucket[] } }>(
      "GET",
      `/api/analytics/visits?${RANGE}&interval=month`,
      { token: field.users.leader.token },
    );
    check(
      leaderRes.json.data.buckets[0],
      "2026-11-02",
      "2026-11-15",
      figures("2026-11-02", "2026-11-15", ["a1", "a2"]),
    );
  });

  it("shelf share per brand is weighted by marked area, overall and per region and shop", async () => {
    const field = await createField();
    await deliver(field.events);
    type Share = { brand_id: string; share: number | null; photos: number };
    type Body = {
      data: {
        shelf_photos: number;
        brands: Share[];
        groups?: { region?: string | null; shop_id?: string | null; shelf_photos: number; brands: Share[] }[];
      };
    };
    const get = async (query: string, token = field.users.admin.token) => {
      const res = await call<Body>("GET", `/api/analytics/shelf_share?${query}`, { token });
      expect(res.status, res.text).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      return res.json.data;
    };
    const range = "start_date=2026-10-19&end_date=2026-11-15";
    const all = figures("2026-10-19", "2026-11-15", ALL);
    const overall = await get(range);
    expect(overall.shelf_photos).toBe(all.shelfPhotos);
    const shareOf = (list: Share[], b: "A" | "B") => list.find((x) => x.brand_id === field.brands[b]);
    expect(shareOf(overall.brands, "A")?.share).toBeCloseTo(all.share.A ?? Number.NaN, 9);
    expect(shareOf(overall.brands, "B")?.share).toBeCloseTo(all.share.B ?? Number.NaN, 9);
    expect(shareOf(overall.brands, "A")?.photos).toBe(all.markedA);
    // Weighted, not a mean of per-photo shares: (0.75·0.4 + 0 + 0.5·0.5) / 1.1 for A.
    expect(shareOf(overall.brands, "A")?.share).toBeCloseTo((100 * (0.3 + 0.25)) / 1.1, 9);

    const byRegion = await get(`${range}&group_by=region`);
    for (const [region, shop] of [
      ["North", "s1"],
      ["South", "s2"],
    ] as const) {
      const want = figures("2026-10-19", "2026-11-15", ALL, (v) => v.shop === shop);
      const group = byRegion.groups?.find((g) => g.region === region);
      expect(group?.shelf_photos).toBe(want.shelfPhotos);
      expect(shareOf(group?.brands ?? [], "B")?.share).toBeCloseTo(want.share.B ?? Number.NaN, 9);
    }
    const byShop = await get(`${range}&group_by=shop`);
    expect(byShop.groups?.map((g) => g.shop_id).sort()).toEqual([field.shops.s1, field.shops.s2].sort());

    const mine = await get(range, field.users.a1.token);
    const a1 = figures("2026-10-19", "2026-11-15", ["a1"]);
    expect(mine.shelf_photos).toBe(a1.shelfPhotos);
    expect(shareOf(mine.brands, "A")?.share).toBeCloseTo(a1.share.A ?? Number.NaN, 9);
  });

  it("admin reports: user activity (paged) and survey completion", async () => {
    const field = await createField();
    await deliver(field.events);
    const token = field.users.admin.token;
    type Activity = {
      user_id: string;
      last_activity_at: string | null;
      visits_started: number;
      surveys_completed: number;
      photos: number;
    };
    const res = await call<{
      data: Activity[];
      pagination: { next_cursor: string | null; total: number | null };
    }>("GET", `/api/admin/users/activity?${RANGE}&include_total=true&page_size=100`, { token });
    expect(res.status, res.text).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.pagination.total).toBe(7);
    for (const agent of ALL) {
      const want = figures("2026-11-02", "2026-11-15", [agent]);
      const row = res.json.data.find((r) => r.user_id === field.users[agent].user.id);
      expect(row).toMatchObject({
        visits_started: want.started,
        surveys_completed: want.completed,
        photos: want.photos,
      });
    }
    // a1's latest activity: the completion of the visit started 22:00 UTC on the 15th (+5 min).
    expect(res.json.data.find((r) => r.user_id === field.users.a1.user.id)?.last_activity_at).toBe(
      "2026-11-15T22:05:00.000Z",
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; json: { data: Activity[]; pagination: { next_cursor: string | null } } } =
        await call("GET", `/api/admin/users/activity?page_size=3${cursor ? `&cursor=${cursor}` : ""}`, {
          token,
        });
      expect(page.status).toBe(200);
      seen.push(...page.json.data.map((r) => r.user_id));
      cursor = page.json.pagination.next_cursor;
    } while (cursor);
    expect(seen).toEqual(res.json.data.map((r) => r.user_id));
    const third = await call<{ data: Activity[] }>("GET", "/api/admin/users/activity?page_size=3&page=3", {
      token,
    });
    expect(third.json.data.map((r) => r.user_id)).toEqual(seen.slice(6));

    type Completion = {
      survey_id: string;
      visits_started: number;
      visits_completed: number;
      completion_rate: number | null;
      average_answers: number | null;
    };
    const completion = await call<{ data: Completion[] }>("GET", `/api/admin/surveys/completion?${RANGE}`, {
      token,
    });
    expect(completion.status, completion.text).toBe(200);
    expect(roundTrips(completion.headers)).toBe(1);
    for (const survey of ["S1", "S2"] as const) {
      const want = figures("2026-11-02", "2026-11-15", ALL, (v) => v.survey === survey);
      const row = completion.json.data.find((r) => r.survey_id === field.surveys[survey].id);
      expect(row).toMatchObject({ visits_started: want.started, visits_completed: want.completed });
      expect(row?.completion_rate).toBeCloseTo(want.rate ?? Number.NaN, 9);
      expect(row?.average_answers).toBeCloseTo(want.answers / want.completed, 9);
    }
  });

  it("permissions, validation and defaults", async () => {
    const field = await createField();
    const { tenant } = field;
    await createCustomRole(tenant, "nobody", []);
    const nobody = await createUser(tenant, ["nobody"]);
    for (const path of ["/api/analytics/overview", "/api/analytics/visits", "/api/analytics/shelf_share"]) {
      expect((await call("GET", path)).status).toBe(401);
      expect((await call<ErrorEnvelope>("GET", path, { token: nobody.token })).json.error.code).toBe(
        "AUTHORIZATION_ERROR",
      );
      expect((await call("GET", path, { token: field.users.a1.token })).status).toBe(200);
    }
    for (const path of ["/api/admin/users/activity", "/api/admin/surveys/completion"]) {
      for (const who of [field.users.manager, field.users.a1, field.users.leader]) {
        expect((await call("GET", path, { token: who.token })).status).toBe(403);
      }
    }
    const bad = await call<ErrorEnvelope>(
      "GET",
      "/api/analytics/overview?start_date=2026-11-05&end_date=2026-11-04",
      {
        token: field.users.admin.token,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.[0]?.field).toBe("start_date");
    for (const query of ["interval=year", "start_date=2026-13-01", "agent_id=nope", "bogus=1"]) {
      expect(
        (await call("GET", `/api/analytics/visits?${query}`, { token: field.users.admin.token })).status,
      ).toBe(400);
    }
    // Default: the last 30 days up to the tenant's today.
    const view = await overview(field.users.admin.token, "");
    const today = localDay(new Date().toISOString());
    expect(view.range.end_date).toBe(today);
    expect(Date.parse(view.range.end_date) - Date.parse(view.range.start_date)).toBe(29 * 86_400_000);
    const onlyStart = await overview(field.users.admin.token, "start_date=2026-11-01");
    expect(onlyStart.range).toMatchObject({ start_date: "2026-11-01", end_date: "2026-11-30" });
  });
});
