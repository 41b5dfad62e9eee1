import { describe, expect, it } from "vitest";
import { catalogSnapshot, createBrand, createSurvey, questionRows, surveyRow } from "../helpers/catalog";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { auditOf } from "../helpers/teams";
import type { ListJson, SurveyJson } from "./support";

async function setup() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  return { tenant, admin };
}

const inlineQuestions = [
  { prompt: "Manager name", type: "text", is_required: true },
  {
    prompt: "Display",
    type: "single_choice",
    options: [
      { value: "good", label: "Good" },
      { value: "poor", label: "Poor" },
    ],
  },
  { prompt: "Execution", type: "rating" },
  { prompt: "Facings", type: "number", min_value: 0, max_value: 500 },
  { prompt: "First", type: "boolean", position: 1 },
];

describe("POST /api/surveys", () => {
  it("creates a survey with inline questions in one round trip: positions, rating defaults, ETag, Location, audit", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant);
    const res = await call<{ data: SurveyJson }>("POST", "/api/surveys", {
      token: admin.token,
      body: {
        title: "Shelf check",
        description: "Weekly",
        visit_type: "shop",
        brand_id: brand.id,
        questions: inlineQuestions,
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    const survey = res.json.data;
    expect(survey).toMatchObject({
      title: "Shelf check",
      description: "Weekly",
      visit_type: "shop",
      brand_id: brand.id,
      is_active: true,
      question_count: 5,
      version: 1,
      created_by: admin.user.id,
    });
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("location")).toBe(`/api/surveys/${survey.id}`);
    // Positions: the array order, unless given (the boolean asked for 1, tying with the first; ties by creation).
    expect(survey.questions?.map((q) => [q.prompt, q.position])).toEqual([
      ["Manager name", 1],
      ["First", 1],
      ["Display", 2],
      ["Execution", 3],
      ["Facings", 4],
    ]);
    const rating = survey.questions?.find((q) => q.type === "rating");
    expect(rating).toMatchObject({ min_value: 1, max_value: 5, options: null });
    const choice = survey.questions?.find((q) => q.type === "single_choice");
    expect(choice?.options).toEqual([
      { value: "good", label: "Good" },
      { value: "poor", label: "Poor" },
    ]);
    expect(await questionRows(tenant.id, survey.id)).toHaveLength(5);
    const audit = await auditOf(tenant.id, survey.id);
    expect(audit.map((a) => a.action)).toEqual(["survey.create"]);
    expect((audit[0]?.newValues as { question_ids?: string[] } | undefined)?.question_ids).toHaveLength(5);

    const bare = await call<{ data: SurveyJson }>("POST", "/api/surveys", {
      token: admin.token,
      body: { title: "Bare", visit_type: "individual" },
    });
    expect(bare.status).toBe(201);
    expect(bare.json.data).toMatchObject({ brand_id: null, question_count: 0, questions: [] });
  });

  it("a brand of another tenant, a deleted brand or an unknown one → 404 naming brand_id, nothing written", async () => {
    const { tenant, admin } = await setup();
    const foreign = await createBrand(await createTenant());
    const deleted = await createBrand(tenant, { deletedAt: new Date() });
    const before = await catalogSnapshot(tenant.id);
    for (const brandId of [foreign.id, deleted.id, "0190a000-0000-7000-8000-000000000001"]) {
      const res = await call<ErrorEnvelope>("POST", "/api/surveys", {
        token: admin.token,
        body: { title: "S", visit_type: "shop", brand_id: brandId, questions: inlineQuestions },
      });
      expect(res.status).toBe(404);
      expect(res.json.error.details).toEqual([
        { field: "brand_id", message: "No such brand in this tenant" },
      ]);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("invalid surveys and questions → 400 naming the field, nothing written (not even the valid parts)", async () => {
    const { tenant, admin } = await setup();
    const ok = { title: "S", visit_type: "shop" };
    const q = (question: Record<string, unknown>) => ({ ...ok, questions: [inlineQuestions[0], question] });
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, visit_type: "drive_by" }, "visit_type"],
      [{ visit_type: "shop" }, "title"],
      [{ ...ok, brand_id: "nope" }, "brand_id"],
      [q({ prompt: "x", type: "essay" }), "questions.1.type"],
      [q({ prompt: "", type: "text" }), "questions.1.prompt"],
      [q({ prompt: "x", type: "single_choice" }), "questions.1.options"],
      [
        q({ prompt: "x", type: "multiple_choice", options: [{ value: "a", label: "A" }] }),
        "questions.1.options",
      ],
      [
        q({
          prompt: "x",
          type: "single_choice",
          options: [
            { value: "a", label: "A" },
            { value: "a", label: "Again" },
          ],
        }),
        "questions.1.options.1.value",
      ],
      [
        q({
          prompt: "x",
          type: "text",
          options: [
            { value: "a", label: "A" },
            { value: "b", label: "B" },
          ],
        }),
        "questions.1.options",
      ],
      [
        q({ prompt: "x", type: "single_choice", options: [{ value: "a" }, { value: "b" }] }),
        "questions.1.options.0.label",
      ],
      [q({ prompt: "x", type: "number", min_value: 10, max_value: 1 }), "questions.1.min_value"],
      [q({ prompt: "x", type: "text", min_value: 1 }), "questions.1.min_value"],
      [q({ prompt: "x", type: "boolean", max_value: 1 }), "questions.1.max_value"],
      [q({ prompt: "x", type: "rating", min_value: 0.5 }), "questions.1.min_value"],
      [q({ prompt: "x", type: "rating", min_value: 7 }), "questions.1.min_value"],
      [q({ prompt: "x", type: "number", min_value: "1" }), "questions.1.min_value"],
      [q({ prompt: "x", type: "text", position: 0 }), "questions.1.position"],
    ];
    const before = await catalogSnapshot(tenant.id);
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/surveys", { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION_ERROR");
      expect(
        res.json.error.details?.map((d) => d.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("server-owned fields on the survey or an inline question → 400, nothing written", async () => {
    const { tenant, admin } = await setup();
    const other = await createTenant();
    const before = await catalogSnapshot(tenant.id);
    const ok = { title: "S", visit_type: "shop" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, tenant_id: other.id }, "tenant_id"],
      [{ ...ok, id: "0190a000-0000-7000-8000-000000000001" }, "id"],
      [{ ...ok, created_by: admin.user.id }, "created_by"],
      [{ ...ok, version: 2 }, "version"],
      [{ ...ok, deleted_at: null }, "deleted_at"],
      [
        { ...ok, questions: [{ prompt: "x", type: "text", id: "0190a000-0000-7000-8000-000000000002" }] },
        "questions.0.id",
      ],
      [{ ...ok, questions: [{ prompt: "x", type: "text", tenant_id: other.id }] }, "questions.0.tenant_id"],
      [{ ...ok, questions: [{ prompt: "x", type: "text", survey_id: other.id }] }, "questions.0.survey_id"],
    ];
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/surveys", { token: admin.token, body });
      expect(res.status).toBe(400);
      expect(res.json.error.details).toContainEqual({ field, message: "Unknown field" });
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
    expect((await catalogSnapshot(other.id)).surveys).toEqual([]);
  });

  it("a retry with the same Idempotency-Key replays the first answer: one survey, one set of questions", async () => {
    const { tenant, admin } = await setup();
    const send = () =>
      call<{ data: SurveyJson }>("POST", "/api/surveys", {
        token: admin.token,
        headers: { "idempotency-key": "create-survey-1" },
        body: { title: "Once", visit_type: "shop", questions: inlineQuestions },
      });
    const first = await send();
    expect(first.status).toBe(201);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get("etag")).toBe('"v1"');
    const snapshot = await catalogSnapshot(tenant.id);
    expect(snapshot.surveys).toHaveLength(1);
    expect(snapshot.questions).toHaveLength(inlineQuestions.length);
  });

  it("an agent (surveys:read) may not create", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const res = await call("POST", "/api/surveys", {
      token: agent.token,
      body: { title: "S", visit_type: "shop" },
    });
    expect(res.status).toBe(403);
  });
});

describe("GET /api/surveys/:id and /api/surveys", () => {
  it("returns the survey with its live questions by position in ONE round trip; ETag follows question changes", async () => {
    const { tenant, admin } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const { survey, questions } = await createSurvey(tenant);
    const res = await call<{ data: SurveyJson }>("GET", `/api/surveys/${survey.id}`, { token: agent.token });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.questions?.map((q) => q.id)).toEqual(questions.map((q) => q.id));
    expect(res.json.data.question_count).toBe(questions.length);
    expect(res.headers.get("etag")).toBe('"v1"');
    const cached = await call("GET", `/api/surveys/${survey.id}`, {
      token: agent.token,
      headers: { "if-none-match": '"v1"' },
    });
    expect(cached.status).toBe(304);

    // Deleting a question changes the survey's representation, so its ETag changes too.
    const del = await call("DELETE", `/api/questions/${questions[0]?.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    const after = await call<{ data: SurveyJson }>("GET", `/api/surveys/${survey.id}`, {
      token: agent.token,
      headers: { "if-none-match": '"v1"' },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).toBe('"v2"');
    expect(after.json.data.questions?.map((q) => q.id)).toEqual(questions.slice(1).map((q) => q.id));
    expect(after.json.data.question_count).toBe(questions.length - 1);
  });

  it("lists live surveys by title with filters, counts and paging; one round trip; 304 on a repeat", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const brand = await createBrand(tenant);
    await createSurvey(tenant, { overrides: { title: "b shelf" }, brandId: brand.id });
    await createSurvey(tenant, {
      overrides: { title: "A door to door", isActive: false },
      visitType: "individual",
      questions: [],
    });
    await createSurvey(tenant, { overrides: { title: "C gone", deletedAt: new Date() } });
    await createSurvey(await createTenant(), { overrides: { title: "other tenant" } });
    const list = async (qs: string) => {
      const res = await call<ListJson<SurveyJson>>("GET", `/api/surveys?${qs}`, { token: agent.token });
      expect(res.status, qs).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      return res;
    };
    const all = await list("include_total=true");
    expect(all.json.data.map((s) => [s.title, s.question_count])).toEqual([
      ["A door to door", 0],
      ["b shelf", 8],
    ]);
    expect(all.json.data[0]).not.toHaveProperty("questions");
    expect(all.json.pagination).toMatchObject({ total: 2, pages: 1 });
    expect((await list("is_active=true")).json.data.map((s) => s.title)).toEqual(["b shelf"]);
    expect((await list("visit_type=individual")).json.data.map((s) => s.title)).toEqual(["A door to door"]);
    expect((await list(`brand_id=${brand.id}`)).json.data.map((s) => s.title)).toEqual(["b shelf"]);
    expect((await list("q=DOOR")).json.data.map((s) => s.title)).toEqual(["A door to door"]);
    expect((await list("page=2&page_size=1")).json.data.map((s) => s.title)).toEqual(["b shelf"]);
    const etag = all.headers.get("etag") ?? "";
    const again = await call("GET", "/api/surveys?include_total=true", {
      token: agent.token,
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
    for (const qs of ["visit_type=walk", "brand_id=x", "is_active=1", "nope=1"]) {
      expect((await call("GET", `/api/surveys?${qs}`, { token: agent.token })).status, qs).toBe(400);
    }
  });
});

describe("PUT/PATCH/DELETE /api/surveys/:id", () => {
  it("partial update with PUT and PATCH (brand set and cleared), returns questions, audits; one round trip", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant);
    const { survey } = await createSurvey(tenant, { questions: [{ prompt: "Q", type: "text" }] });
    const res = await call<{ data: SurveyJson }>("PATCH", `/api/surveys/${survey.id}`, {
      token: admin.token,
      body: { title: "Renamed", brand_id: brand.id, visit_type: "individual" },
    });
    expect(res.status, res.text).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({
      title: "Renamed",
      brand_id: brand.id,
      visit_type: "individual",
      version: 2,
    });
    expect(res.json.data.questions?.map((q) => q.prompt)).toEqual(["Q"]);
    expect(res.headers.get("etag")).toBe('"v2"');
    const put = await call<{ data: SurveyJson }>("PUT", `/api/surveys/${survey.id}`, {
      token: admin.token,
      body: { brand_id: null, is_active: false },
    });
    expect(put.json.data).toMatchObject({ brand_id: null, is_active: false, title: "Renamed", version: 3 });
    const audit = await auditOf(tenant.id, survey.id);
    expect(audit.map((a) => a.action)).toEqual(["survey.update", "survey.update"]);
    expect(audit[1]?.oldValues).toEqual({ title: survey.title, brand_id: null, visit_type: "shop" });
  });

  it("a brand of another tenant → 404 naming brand_id; bad or server-owned fields → 400; nothing written", async () => {
    const { tenant, admin } = await setup();
    const foreign = await createBrand(await createTenant());
    const { survey } = await createSurvey(tenant);
    const before = await catalogSnapshot(tenant.id);
    const res = await call<ErrorEnvelope>("PATCH", `/api/surveys/${survey.id}`, {
      token: admin.token,
      body: { brand_id: foreign.id, title: "x" },
    });
    expect(res.status).toBe(404);
    expect(res.json.error.details?.[0]?.field).toBe("brand_id");
    for (const body of [
      {},
      { visit_type: "drive" },
      { title: "" },
      { questions: [] },
      { tenant_id: tenant.id },
      { version: 4 },
      { created_by: admin.user.id },
    ]) {
      const bad = await call("PATCH", `/api/surveys/${survey.id}`, { token: admin.token, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("If-Match stale → 412; concurrent same If-Match → one 200, one 412", async () => {
    const { tenant, admin } = await setup();
    const { survey } = await createSurvey(tenant, { questions: [] });
    const stale = await call("PUT", `/api/surveys/${survey.id}`, {
      token: admin.token,
      headers: { "if-match": '"v3"' },
      body: { title: "x" },
    });
    expect(stale.status).toBe(412);
    expect(await surveyRow(tenant.id, survey.id)).toEqual(survey);
    const results = await Promise.all(
      ["One", "Two"].map((title) =>
        call("PATCH", `/api/surveys/${survey.id}`, {
          token: admin.token,
          headers: { "if-match": '"v1"' },
          body: { title },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect((await surveyRow(tenant.id, survey.id))?.version).toBe(2);
    expect(await auditOf(tenant.id, survey.id)).toHaveLength(1);
  });

  it("DELETE soft-deletes: 404 afterwards (its questions too), not listed; one round trip; audited", async () => {
    const { tenant, admin } = await setup();
    const { survey, questions } = await createSurvey(tenant);
    const del = await call("DELETE", `/api/surveys/${survey.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    expect(roundTrips(del.headers)).toBe(1);
    expect((await surveyRow(tenant.id, survey.id))?.deletedAt).toBeInstanceOf(Date);
    expect((await call("GET", `/api/surveys/${survey.id}`, { token: admin.token })).status).toBe(404);
    expect((await call("DELETE", `/api/surveys/${survey.id}`, { token: admin.token })).status).toBe(404);
    expect(
      (
        await call("POST", `/api/surveys/${survey.id}/questions`, {
          token: admin.token,
          body: { prompt: "x", type: "text" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call("PATCH", `/api/questions/${questions[0]?.id}`, {
          token: admin.token,
          body: { prompt: "x" },
        })
      ).status,
    ).toBe(404);
    expect((await call("DELETE", `/api/questions/${questions[0]?.id}`, { token: admin.token })).status).toBe(
      404,
    );
    const list = await call<ListJson<SurveyJson>>("GET", "/api/surveys", { token: admin.token });
    expect(list.json.data).toEqual([]);
    expect((await auditOf(tenant.id, survey.id)).map((a) => a.action)).toEqual(["survey.delete"]);
  });
});
