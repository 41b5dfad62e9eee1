import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { auditLogs, photos, visits } from "../../src/db/schema";
import { createShop, createSurvey, DEFAULT_QUESTIONS } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import { createVisit, visitSnapshot } from "../helpers/visits";

interface VisitBody {
  data: {
    id: string;
    status: string;
    agent_id: string;
    shop_id: string | null;
    shop_distance_m: number | null;
    outside_geofence: boolean;
    visit_type: string;
    started_at: string;
    completed_at: string | null;
  };
}

const JHB = { lat: -26.2041, lng: 28.0473 };
/** About `m` metres due north of JHB (1° of latitude ≈ 111,195 m on the mean sphere). */
const northOf = (m: number) => ({ lat: JHB.lat + m / 111_195, lng: JHB.lng });

const visitCount = async (tenantId: string) =>
  (await testDb().select().from(visits).where(eq(visits.tenantId, tenantId))).length;

/** A tenant's agent with a visit in progress on the default survey. */
async function agentWithVisit(tenant: TenantRow) {
  const agent = await createUser(tenant, ["agent"]);
  const { survey, questions } = await createSurvey(tenant);
  const visit = await createVisit(tenant, agent.user.id, survey.id);
  return { agent, survey, questions, visit };
}

/** Answers to DEFAULT_QUESTIONS that satisfy every rule (the photo question left out). */
function validAnswers(questions: { id: string }[]) {
  const [text, number, bool, single, multi, rating, date] = questions.map((q) => q.id);
  return [
    { question_id: text, value: "Thandi" },
    { question_id: number, value: 12 },
    { question_id: bool, value: true },
    { question_id: single, value: "good" },
    { question_id: multi, value: ["bogo", "gift"] },
    { question_id: rating, value: 4 },
    { question_id: date, value: "2026-12-01" },
  ];
}

describeTenantIsolation({
  name: "POST /api/visits",
  method: "POST",
  path: () => "/api/visits",
  permission: "visits:create",
  body: (surveyId) => ({ survey_id: surveyId, ...JHB }),
  create: async (tenant) => (await createSurvey(tenant, { questions: [] })).survey.id,
  snapshot: async (tenant) => visitCount(tenant.id),
  allowedRoles: ["agent"],
});

describeTenantIsolation({
  name: "GET /api/visits/:id",
  method: "GET",
  path: (id) => `/api/visits/${id}`,
  permission: "visits:read",
  create: async (tenant) => (await agentWithVisit(tenant)).visit.id,
  snapshot: async (tenant, id) => visitSnapshot(tenant.id, id),
});

describeTenantIsolation({
  name: "GET /api/visits/:id/photos",
  method: "GET",
  path: (id) => `/api/visits/${id}/photos`,
  permission: "photos:read",
  create: async (tenant) => (await agentWithVisit(tenant)).visit.id,
  snapshot: async (tenant, id) => visitSnapshot(tenant.id, id),
});

describeTenantIsolation({
  name: "PUT /api/visits/:id/complete",
  method: "PUT",
  path: (id) => `/api/visits/${id}/complete`,
  permission: "visits:create",
  body: { answers: [] },
  create: async (tenant) => {
    const agent = await createUser(tenant, ["agent"]);
    const { survey } = await createSurvey(tenant, { questions: [] });
    return (await createVisit(tenant, agent.user.id, survey.id)).id;
  },
  snapshot: async (tenant, id) => visitSnapshot(tenant.id, id),
  allowedRoles: ["agent"],
  callerFor: async (tenant, id) => {
    const [row] = await testDb()
      .select()
      .from(visits)
      .where(and(eq(visits.tenantId, tenant.id), eq(visits.id, id)));
    const { tokenFor } = await import("../helpers/factories");
    const { roles } = await import("../../src/db/schema");
    const agentRoles = await testDb()
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, tenant.id), eq(roles.name, "agent")));
    return tokenFor({ id: row?.agentId ?? "", isSuperAdmin: false }, tenant.id, agentRoles);
  },
});

describe("POST /api/visits", () => {
  it("starts a visit near its shop in one round trip, with the distance stored and no flag", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { survey } = await createSurvey(tenant, { questions: [], visitType: "individual" });
    const shop = await createShop(tenant, JHB);
    const res = await call<VisitBody>("POST", "/api/visits", {
      token: agent.token,
      body: { survey_id: survey.id, shop_id: shop.id, ...northOf(100), accuracy_m: 8 },
    });
    expect(res.status).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.headers.get("location")).toBe(`/api/visits/${res.json.data.id}`);
    expect(res.json.data).toMatchObject({
      status: "in_progress",
      agent_id: agent.user.id,
      shop_id: shop.id,
      visit_type: "individual",
      outside_geofence: false,
    });
    expect(res.json.data.shop_distance_m).toBeGreaterThan(99);
    expect(res.json.data.shop_distance_m).toBeLessThan(101);
    const [audit] = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, res.json.data.id)));
    expect(audit?.action).toBe("visit.start");
  });

  it("flags, but does not refuse, a visit beyond the tenant's geofence radius", async () => {
    const tenant = await createTenant({ settings: { geofence_radius_m: 300 } });
    const agent = await createUser(tenant, ["agent"]);
    const { survey } = await createSurvey(tenant, { questions: [] });
    const shop = await createShop(tenant, JHB);
    const near = await call<VisitBody>("POST", "/api/visits", {
      token: agent.token,
      body: { survey_id: survey.id, shop_id: shop.id, ...northOf(250) },
    });
    expect(near.json.data.outside_geofence).toBe(false);
    const far = await call<VisitBody>("POST", "/api/visits", {
      token: agent.token,
      body: { survey_id: survey.id, shop_id: shop.id, ...northOf(450) },
    });
    expect(far.status).toBe(201);
    expect(far.json.data.outside_geofence).toBe(true);
    expect(far.json.data.shop_distance_m).toBeCloseTo(450, 0);
  });

  it("a start resent with the same client_id returns the same visit, never a duplicate", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { survey } = await createSurvey(tenant, { questions: [] });
    const body = {
      survey_id: survey.id,
      ...JHB,
      client_id: `phone-${uuidv7()}`,
      started_at: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const first = await call<VisitBody>("POST", "/api/visits", { token: agent.token, body });
    const again = await call<VisitBody>("POST", "/api/visits", { token: agent.token, body });
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => call<VisitBody>("POST", "/api/visits", { token: agent.token, body })),
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    for (const r of [again, ...concurrent]) expect(r.json.data.id).toBe(first.json.data.id);
    expect(first.json.data.started_at).toBe(body.started_at);
    expect(await visitCount(tenant.id)).toBe(1);
  });

  it("a survey or shop of another tenant, or a deleted or inactive survey → 404, nothing written", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const agent = await createUser(mine, ["agent"]);
    const { survey } = await createSurvey(mine, { questions: [] });
    const { survey: foreign } = await createSurvey(theirs, { questions: [] });
    const { survey: inactive } = await createSurvey(mine, { questions: [], overrides: { isActive: false } });
    const foreignShop = await createShop(theirs);
    for (const body of [
      { survey_id: foreign.id, ...JHB },
      { survey_id: inactive.id, ...JHB },
      { survey_id: survey.id, shop_id: foreignShop.id, ...JHB },
    ]) {
      const res = await call<ErrorEnvelope>("POST", "/api/visits", { token: agent.token, body });
      expect(res.status).toBe(404);
    }
    expect(await visitCount(mine.id)).toBe(0);
  });

  it("bad input → 400 with details and nothing written", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { survey } = await createSurvey(tenant, { questions: [] });
    const cases: [unknown, string][] = [
      [{ survey_id: survey.id, lat: 91, lng: 0 }, "lat"],
      [{ survey_id: survey.id, lat: 0, lng: "east" }, "lng"],
      [{ survey_id: "nope", lat: 0, lng: 0 }, "survey_id"],
      [{ survey_id: survey.id, lat: 0, lng: 0, visit_type: "drive-by" }, "visit_type"],
      [{ survey_id: survey.id, lat: 0, lng: 0, agent_id: agent.user.id }, "agent_id"],
      [{ survey_id: survey.id, lat: 0, lng: 0, tenant_id: tenant.id }, "tenant_id"],
      [{ survey_id: survey.id, lat: 0, lng: 0, status: "completed" }, "status"],
      [{ survey_id: survey.id, lat: 0, lng: 0, started_at: "2099-01-01T00:00:00Z" }, "started_at"],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/visits", { token: agent.token, body });
      expect(res.status, field).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    expect(await visitCount(tenant.id)).toBe(0);
  });
});

describe("PUT /api/visits/:id/complete", () => {
  it("stores valid answers with their question snapshot in one write, and a second completion is a 409", async () => {
    const tenant = await createTenant();
    const { agent, questions, visit } = await agentWithVisit(tenant);
    const photoId = uuidv7();
    await testDb()
      .insert(photos)
      .values({
        tenantId: tenant.id,
        id: photoId,
        visitId: visit.id,
        purpose: "shelf",
        objectKey: `t/${tenant.id}/photo/${photoId}`,
        contentType: "image/jpeg",
        declaredSize: 100,
        createdBy: agent.user.id,
      });
    const photoQuestion = questions[7]?.id ?? "";
    const res = await call<VisitBody>("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: {
        answers: [...validAnswers(questions), { question_id: photoQuestion, value: photoId }],
        photo_ids: [photoId],
        notes: "All good",
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.status).toBe("completed");
    expect(roundTrips(res.headers)).toBe(1);
    const stored = await visitSnapshot(tenant.id, visit.id);
    expect(stored.visit).toMatchObject({ status: "completed", notes: "All good" });
    expect(stored.answers).toHaveLength(8);
    const single = stored.answers.find((a) => a.questionId === questions[3]?.id);
    expect(single).toMatchObject({
      value: "good",
      questionPrompt: DEFAULT_QUESTIONS[3]?.prompt,
      questionType: "single_choice",
    });

    const again = await call<ErrorEnvelope>("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: { answers: validAnswers(questions) },
    });
    expect(again.status).toBe(409);
  });

  it("a retry with the same Idempotency-Key replays the first answer instead of a 409", async () => {
    const tenant = await createTenant();
    const { agent, questions, visit } = await agentWithVisit(tenant);
    const send = () =>
      call<VisitBody>("PUT", `/api/visits/${visit.id}/complete`, {
        token: agent.token,
        body: { answers: validAnswers(questions) },
        headers: { "idempotency-key": `complete-${visit.id}` },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json).toEqual(first.json);
  });

  it("answers that do not fit the survey → 400 with one detail per problem, nothing written", async () => {
    const tenant = await createTenant();
    const { agent, questions, visit } = await agentWithVisit(tenant);
    const [text, number, bool, , multi, rating, date, photo] = questions.map((q) => q.id);
    const before = await visitSnapshot(tenant.id, visit.id);
    const res = await call<ErrorEnvelope>("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: {
        answers: [
          { question_id: text, value: 42 },
          { question_id: number, value: 5000 },
          { question_id: bool, value: "yes" },
          { question_id: multi, value: ["bogo", "bogo"] },
          { question_id: rating, value: 4.5 },
          { question_id: date, value: "2026-02-30" },
          { question_id: photo, value: uuidv7() },
          { question_id: uuidv7(), value: "stray" },
        ],
        photo_ids: [uuidv7()],
      },
    });
    expect(res.status).toBe(400);
    const fields = res.json.error.details?.map((d) => d.field) ?? [];
    expect(fields).toEqual(
      expect.arrayContaining([
        "answers.0.value",
        "answers.1.value",
        "answers.2.value",
        "answers.3.value",
        "answers.4.value",
        "answers.5.value",
        "answers.6.value",
        "answers.7.question_id",
        `answers.${questions[3]?.id}`,
        "photo_ids.0",
      ]),
    );
    // Checked inside the completing statement: one round trip, the answers' problems in order, then
    // the missing required answers, then the photo ids.
    expect(roundTrips(res.headers)).toBe(1);
    const details = res.json.error.details ?? [];
    expect(details.slice(0, 8)).toEqual([
      { field: "answers.0.value", message: "Must be text" },
      { field: "answers.1.value", message: "Must be at most 1000" },
      { field: "answers.2.value", message: "Must be true or false" },
      { field: "answers.3.value", message: "Options must not repeat" },
      { field: "answers.4.value", message: "Must be a whole number" },
      { field: "answers.5.value", message: "Must be a date (YYYY-MM-DD)" },
      { field: "answers.6.value", message: "Must be the id of a photo of this visit" },
      { field: "answers.7.question_id", message: "Not a question of this visit's survey" },
    ]);
    expect(details.at(-1)).toEqual({ field: "photo_ids.0", message: "Not a photo of this visit" });
    expect(await visitSnapshot(tenant.id, visit.id)).toEqual(before);
  });

  it("the other answer rules: choices, ranges, real dates, repeats, empty answers and required ones", async () => {
    const tenant = await createTenant();
    const { agent, questions, visit } = await agentWithVisit(tenant);
    const [text, number, , single, multi, rating, date] = questions.map((q) => q.id);
    const refused = await call<ErrorEnvelope>("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: {
        answers: [
          { question_id: text, value: "" },
          { question_id: number, value: -1 },
          { question_id: single, value: "great" },
          { question_id: multi, value: ["bogo", "free", "cash"] },
          { question_id: rating, value: 9 },
          { question_id: date, value: "2026-02-29" },
          { question_id: number?.toUpperCase(), value: 3 },
          { question_id: multi, value: "bogo" },
        ],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([
      { field: "answers.1.value", message: "Must be at least 0" },
      { field: "answers.2.value", message: "Must be one of: good, fair, poor" },
      { field: "answers.3.value", message: "Unknown options: free, cash" },
      { field: "answers.4.value", message: "Must be at most 5" },
      { field: "answers.5.value", message: "Must be a date (YYYY-MM-DD)" },
      { field: "answers.6.question_id", message: "Answered twice" },
      { field: "answers.7.question_id", message: "Answered twice" },
      // Answered with "" (not answered), so still missing; the single choice has its own problem.
      { field: `answers.${text}`, message: "Required: Name of the store manager" },
    ]);

    const accepted = await call<VisitBody>("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: {
        answers: [
          { question_id: text?.toUpperCase(), value: "Thandi" },
          { question_id: single, value: "fair" },
          { question_id: multi, value: [] },
          { question_id: rating, value: 1 },
          { question_id: date, value: "2028-02-29" },
        ],
      },
    });
    expect(accepted.status).toBe(200);
    const stored = await visitSnapshot(tenant.id, visit.id);
    expect(stored.answers.map((a) => [a.questionId, a.value]).sort()).toEqual(
      [
        [text, "Thandi"],
        [single, "fair"],
        [rating, 1],
        [date, "2028-02-29"],
      ].sort(),
    );
  });

  it("answers to a question deleted after the phone downloaded the survey are kept; it is no longer required", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { survey, questions } = await createSurvey(tenant, {
      questions: [
        { prompt: "Old required", type: "text", isRequired: true },
        { prompt: "Still here", type: "boolean" },
      ],
    });
    const visit = await createVisit(tenant, agent.user.id, survey.id);
    const { surveyQuestions } = await import("../../src/db/schema");
    await testDb()
      .update(surveyQuestions)
      .set({ deletedAt: new Date() })
      .where(eq(surveyQuestions.id, questions[0]?.id ?? ""));
    const empty = await call("PUT", `/api/visits/${visit.id}/complete`, {
      token: agent.token,
      body: { answers: [{ question_id: questions[0]?.id, value: "offline answer" }] },
    });
    expect(empty.status).toBe(200);
    expect((await visitSnapshot(tenant.id, visit.id)).answers).toHaveLength(1);
  });

  it("only the visit's own agent completes it: a leader who sees it → 403, another agent → 404", async () => {
    const tenant = await createTenant();
    const { agent, questions, visit } = await agentWithVisit(tenant);
    const other = await createUser(tenant, ["agent"]);
    const { createTeam, addTeamMember } = await import("../helpers/teams");
    const team = await createTeam(tenant);
    const leader = await createUser(tenant, ["team_leader"]);
    await addTeamMember(team, leader.user.id, true);
    await addTeamMember(team, agent.user.id);
    const body = { answers: validAnswers(questions) };
    expect(
      (await call("PUT", `/api/visits/${visit.id}/complete`, { token: leader.token, body })).status,
    ).toBe(403);
    expect((await call("PUT", `/api/visits/${visit.id}/complete`, { token: other.token, body })).status).toBe(
      404,
    );
    expect((await visitSnapshot(tenant.id, visit.id)).visit?.status).toBe("in_progress");
  });
});
