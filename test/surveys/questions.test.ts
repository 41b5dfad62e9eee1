import { describe, expect, it } from "vitest";
import { visitAnswers } from "../../src/db/schema";
import { catalogSnapshot, createSurvey, questionRows, surveyRow } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { auditOf } from "../helpers/teams";
import { answerQuestions, type QuestionJson, type SurveyJson } from "./support";

async function setup() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  return { tenant, admin };
}

const twoOptions = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
];

describe("POST /api/surveys/:id/questions", () => {
  it("appends after the last live question, bumps the survey's version, audits; one round trip", async () => {
    const { tenant, admin } = await setup();
    const { survey, questions } = await createSurvey(tenant);
    // A deleted question at the end does not count for "after the last one".
    await testDb()
      .insert((await import("../../src/db/schema")).surveyQuestions)
      .values({
        tenantId: tenant.id,
        id: "0190a000-0000-7000-8000-0000000000ff",
        surveyId: survey.id,
        prompt: "deleted",
        type: "text",
        position: 50,
        deletedAt: new Date(),
      });
    const res = await call<{ data: QuestionJson }>("POST", `/api/surveys/${survey.id}/questions`, {
      token: admin.token,
      body: {
        prompt: "  Which competitor?  ",
        type: "multiple_choice",
        options: twoOptions,
        is_required: true,
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({
      survey_id: survey.id,
      prompt: "Which competitor?",
      type: "multiple_choice",
      is_required: true,
      position: questions.length + 1,
      options: twoOptions,
      min_value: null,
      max_value: null,
      version: 1,
    });
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("location")).toBe(`/api/questions/${res.json.data.id}`);
    expect((await surveyRow(tenant.id, survey.id))?.version).toBe(2);
    expect((await auditOf(tenant.id, res.json.data.id)).map((a) => a.action)).toEqual(["question.create"]);

    const rated = await call<{ data: QuestionJson }>("POST", `/api/surveys/${survey.id}/questions`, {
      token: admin.token,
      body: { prompt: "Stars", type: "rating", position: 2 },
    });
    expect(rated.json.data).toMatchObject({ position: 2, min_value: 1, max_value: 5 });
    const ten = await call<{ data: QuestionJson }>("POST", `/api/surveys/${survey.id}/questions`, {
      token: admin.token,
      body: { prompt: "Score", type: "rating", min_value: 0, max_value: 10 },
    });
    expect(ten.json.data).toMatchObject({ min_value: 0, max_value: 10 });
  });

  it("the option and range rules → 400 naming the field, nothing written", async () => {
    const { tenant, admin } = await setup();
    const { survey } = await createSurvey(tenant, { questions: [] });
    const cases: [Record<string, unknown>, string][] = [
      [{ prompt: "x", type: "select" }, "type"],
      [{ type: "text" }, "prompt"],
      [{ prompt: "x", type: "single_choice" }, "options"],
      [{ prompt: "x", type: "single_choice", options: null }, "options"],
      [{ prompt: "x", type: "multiple_choice", options: [] }, "options"],
      [
        { prompt: "x", type: "single_choice", options: [twoOptions[0], { value: "yes", label: "Y" }] },
        "options.1.value",
      ],
      [
        { prompt: "x", type: "single_choice", options: [...twoOptions, { value: "", label: "Empty" }] },
        "options.2.value",
      ],
      [
        { prompt: "x", type: "single_choice", options: [...twoOptions, { value: "m", label: "M", x: 1 }] },
        "options.2.x",
      ],
      [{ prompt: "x", type: "date", options: twoOptions }, "options"],
      [{ prompt: "x", type: "photo", min_value: 1 }, "min_value"],
      [{ prompt: "x", type: "number", min_value: 5, max_value: 4 }, "min_value"],
      [{ prompt: "x", type: "rating", max_value: 0 }, "max_value"],
      [{ prompt: "x", type: "rating", max_value: 4.5 }, "max_value"],
      [{ prompt: "x", type: "text", position: 1.5 }, "position"],
      [{ prompt: "x", type: "text", survey_id: survey.id }, "survey_id"],
      [{ prompt: "x", type: "text", tenant_id: tenant.id }, "tenant_id"],
      [{ prompt: "x", type: "text", version: 1 }, "version"],
      [{ prompt: "x", type: "text", id: survey.id }, "id"],
    ];
    const before = await catalogSnapshot(tenant.id);
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", `/api/surveys/${survey.id}/questions`, {
        token: admin.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("an unknown or deleted survey → 404", async () => {
    const { tenant, admin } = await setup();
    const { survey } = await createSurvey(tenant, { overrides: { deletedAt: new Date() } });
    for (const id of [survey.id, "0190a000-0000-7000-8000-000000000001"]) {
      const res = await call("POST", `/api/surveys/${id}/questions`, {
        token: admin.token,
        body: { prompt: "x", type: "text" },
      });
      expect(res.status).toBe(404);
    }
  });
});

describe("PUT/PATCH /api/questions/:id", () => {
  it("edits prompt, required flag, position and range; bumps question and survey versions; audits; one round trip", async () => {
    const { tenant, admin } = await setup();
    const { survey, questions } = await createSurvey(tenant);
    const number = questions.find((q) => q.type === "number");
    const res = await call<{ data: QuestionJson }>("PATCH", `/api/questions/${number?.id}`, {
      token: admin.token,
      body: { prompt: "Facings now", is_required: true, position: 9, max_value: 50 },
    });
    expect(res.status, res.text).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({
      prompt: "Facings now",
      is_required: true,
      position: 9,
      min_value: 0,
      max_value: 50,
      version: 2,
    });
    expect(res.headers.get("etag")).toBe('"v2"');
    expect((await surveyRow(tenant.id, survey.id))?.version).toBe(2);
    const audit = await auditOf(tenant.id, number?.id ?? "");
    expect(audit[0]).toMatchObject({ action: "question.update" });
    expect(audit[0]?.oldValues).toMatchObject({ prompt: "How many facings?", max_value: 1000 });
    expect(audit[0]?.newValues).toMatchObject({ prompt: "Facings now", max_value: 50 });
    const survey2 = await call<{ data: SurveyJson }>("GET", `/api/surveys/${survey.id}`, {
      token: admin.token,
    });
    expect(survey2.json.data.questions?.at(-1)?.id).toBe(number?.id);
  });

  it("type changes: options and range follow the new type (cleared, required, or the rating default)", async () => {
    const { tenant, admin } = await setup();
    const { questions } = await createSurvey(tenant);
    const byType = (t: string) => questions.find((q) => q.type === t)?.id ?? "";
    const patch = (id: string, body: Record<string, unknown>) =>
      call<{ data: QuestionJson } & ErrorEnvelope>("PATCH", `/api/questions/${id}`, {
        token: admin.token,
        body,
      });

    const toText = await patch(byType("single_choice"), { type: "text" });
    expect(toText.status).toBe(200);
    expect(toText.json.data).toMatchObject({ type: "text", options: null });
    const toMulti = await patch(byType("multiple_choice"), { type: "single_choice" });
    expect(toMulti.json.data.options).toHaveLength(3);
    const numberToRating = await patch(byType("number"), { type: "rating" });
    expect(numberToRating.json.data).toMatchObject({ type: "rating", min_value: 1, max_value: 5 });
    const ratingToBool = await patch(byType("rating"), { type: "boolean" });
    expect(ratingToBool.json.data).toMatchObject({ type: "boolean", min_value: null, max_value: null });

    const before = await catalogSnapshot(tenant.id);
    const cases: [string, Record<string, unknown>, string][] = [
      [byType("text"), { type: "single_choice" }, "options"],
      [byType("text"), { options: twoOptions }, "options"],
      [byType("date"), { min_value: 1 }, "min_value"],
      [byType("rating"), { min_value: 7 }, "min_value"], // now boolean: no range at all
      [byType("number"), { min_value: 7 }, "min_value"], // now rating 1..5: 7 > 5
      [byType("number"), { max_value: 3.5 }, "max_value"], // a rating has whole bounds
      [byType("text"), { type: "number", options: twoOptions }, "options"],
      [byType("text"), {}, "(root)"],
      [byType("text"), { survey_id: questions[0]?.surveyId }, "survey_id"],
      [byType("text"), { version: 5 }, "version"],
      [byType("text"), { type: "essay" }, "type"],
    ];
    for (const [id, body, field] of cases) {
      const res = await patch(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
    const ok = await patch(byType("text"), { type: "single_choice", options: twoOptions });
    expect(ok.json.data).toMatchObject({ type: "single_choice", options: twoOptions });
  });

  it("once answered: type or options changes → 409 (add a new question instead), other edits and delete are fine, answers intact", async () => {
    const { tenant, admin } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const { survey, questions } = await createSurvey(tenant);
    const choice = questions.find((q) => q.type === "single_choice");
    const text = questions.find((q) => q.type === "text");
    if (!choice || !text) throw new Error("factory questions missing");
    await answerQuestions(survey, agent.user.id, [choice, text]);
    const answersBefore = await testDb().select().from(visitAnswers);
    const before = await catalogSnapshot(tenant.id);

    const cases: Record<string, unknown>[] = [
      { type: "multiple_choice" },
      { options: [...(choice.options ?? []), { value: "new", label: "New" }] },
      {
        options: [
          { value: "good", label: "Good" },
          { value: "bad", label: "Bad" },
        ],
      },
      { prompt: "ok but", type: "text" },
    ];
    for (const body of cases) {
      const res = await call<ErrorEnvelope>("PUT", `/api/questions/${choice.id}`, {
        token: admin.token,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.json.error.code).toBe("CONFLICT");
      expect(res.json.error.message).toMatch(/already has answers.*Add a new question instead/);
    }
    const textToNumber = await call<ErrorEnvelope>("PATCH", `/api/questions/${text.id}`, {
      token: admin.token,
      body: { type: "number" },
    });
    expect(textToNumber.status).toBe(409);
    expect(textToNumber.json.error.details).toEqual([{ field: "type", message: "The question has answers" }]);
    expect(await catalogSnapshot(tenant.id)).toEqual(before);

    // The same options again, and edits of prompt / required / position are fine.
    const same = await call<{ data: QuestionJson }>("PATCH", `/api/questions/${choice.id}`, {
      token: admin.token,
      body: {
        options: choice.options,
        type: "single_choice",
        prompt: "Display condition (shelf)",
        is_required: false,
        position: 20,
      },
    });
    expect(same.status, same.text).toBe(200);
    expect(same.json.data).toMatchObject({
      prompt: "Display condition (shelf)",
      is_required: false,
      position: 20,
    });

    const del = await call("DELETE", `/api/questions/${choice.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    expect(await testDb().select().from(visitAnswers)).toEqual(answersBefore);
    const rows = await questionRows(tenant.id, survey.id);
    expect(rows.find((q) => q.id === choice.id)?.deletedAt).toBeInstanceOf(Date);
    const after = await call<{ data: SurveyJson }>("GET", `/api/surveys/${survey.id}`, {
      token: agent.token,
    });
    expect(after.json.data.questions?.map((q) => q.id)).not.toContain(choice.id);
  });

  it("If-Match with the question's ETag: stale → 412; concurrent same If-Match → one 200, one 412", async () => {
    const { tenant, admin } = await setup();
    const { questions } = await createSurvey(tenant, { questions: [{ prompt: "Q", type: "text" }] });
    const id = questions[0]?.id ?? "";
    const stale = await call("PATCH", `/api/questions/${id}`, {
      token: admin.token,
      headers: { "if-match": '"v2"' },
      body: { prompt: "x" },
    });
    expect(stale.status).toBe(412);
    const results = await Promise.all(
      ["A", "B"].map((prompt) =>
        call("PATCH", `/api/questions/${id}`, {
          token: admin.token,
          headers: { "if-match": '"v1"' },
          body: { prompt },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect((await auditOf(tenant.id, id)).map((a) => a.action)).toEqual(["question.update"]);
    const staleDelete = await call("DELETE", `/api/questions/${id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
    });
    expect(staleDelete.status).toBe(412);
    const del = await call("DELETE", `/api/questions/${id}`, {
      token: admin.token,
      headers: { "if-match": '"v2"' },
    });
    expect(del.status).toBe(204);
  });
});

describe("DELETE /api/questions/:id", () => {
  it("soft-deletes in one round trip: 404 afterwards, survey version bumped, audited", async () => {
    const { tenant, admin } = await setup();
    const { survey, questions } = await createSurvey(tenant);
    const id = questions[1]?.id ?? "";
    const del = await call("DELETE", `/api/questions/${id}`, { token: admin.token });
    expect(del.status).toBe(204);
    expect(roundTrips(del.headers)).toBe(1);
    expect((await surveyRow(tenant.id, survey.id))?.version).toBe(2);
    expect((await call("DELETE", `/api/questions/${id}`, { token: admin.token })).status).toBe(404);
    expect(
      (await call("PATCH", `/api/questions/${id}`, { token: admin.token, body: { prompt: "x" } })).status,
    ).toBe(404);
    expect((await auditOf(tenant.id, id)).map((a) => a.action)).toEqual(["question.delete"]);
  });
});
