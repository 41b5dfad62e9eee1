import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe, type RouteSpec } from "../../core/openapi";
import { validate } from "../../core/validation";
import {
  CONTENT_ETAG,
  idParam,
  ifMatchHeader,
  ifNoneMatchHeader,
  VERSION_ETAG,
} from "../brands/catalog-schemas";
import { createQuestionBody, questionResponse } from "./questions.schemas";
import { addQuestion } from "./questions.service";
import {
  createSurveyBody,
  listSurveysQuery,
  surveyListResponse,
  surveyResponse,
  updateSurveyBody,
} from "./surveys.schemas";
import { createSurvey, deleteSurvey, getSurvey, listSurveys, updateSurvey } from "./surveys.service";

const updateSpec: RouteSpec = {
  summary: "Update a survey",
  description:
    "Partial update (PUT and PATCH alike) of title, description, visit type, brand and active flag; questions change through their own routes. `brand_id` must be a live brand of this tenant (404 naming the field) or null. Honours If-Match (412 on a stale version). Audited.",
  tags: ["surveys"],
  auth: true,
  permission: "surveys:write",
  responses: {
    200: {
      description: "The updated survey with its questions",
      schema: surveyResponse,
      headers: VERSION_ETAG,
    },
  },
  errors: ["PRECONDITION_FAILED"],
};

export const surveyRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .get(
    "/",
    describe({
      summary: "List surveys",
      description:
        "Live surveys ordered by title, each with its `question_count`. Filters: `q` (title contains), `is_active`, `visit_type`, `brand_id`. The response carries a content ETag; If-None-Match answers 304.",
      tags: ["surveys"],
      auth: true,
      permission: "surveys:read",
      responses: {
        200: { description: "One page of surveys", schema: surveyListResponse, headers: CONTENT_ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("surveys:read"),
    validate("query", listSurveysQuery),
    validate("header", ifNoneMatchHeader),
    async (c) => jsonWithContentEtag(c, await listSurveys(tenantContext(c), c.req.valid("query"))),
  )
  .post(
    "/",
    describe({
      summary: "Create a survey (optionally with its questions)",
      description:
        "A survey template for `shop` or `individual` visits, optionally for a brand of this tenant (404 naming `brand_id` otherwise). `questions` may be sent inline: they are created with the survey in one atomic write, positions defaulting to the array order; each follows the question rules of POST /api/surveys/{id}/questions. Audited. Honours Idempotency-Key.",
      tags: ["surveys"],
      auth: true,
      permission: "surveys:write",
      responses: {
        201: {
          description: "The new survey with its questions",
          schema: surveyResponse,
          headers: { ...VERSION_ETAG, Location: "The survey's URL" },
        },
      },
      errors: ["RESOURCE_NOT_FOUND"],
    }),
    requirePermission("surveys:write"),
    validate("json", createSurveyBody),
    async (c) => {
      const { data, version } = await createSurvey(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/surveys/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Get a survey with its questions",
      description:
        "A live survey with its live questions ordered by position, in one database round trip. The ETag changes whenever the survey or one of its questions changes; If-None-Match answers 304.",
      tags: ["surveys"],
      auth: true,
      permission: "surveys:read",
      responses: {
        200: { description: "The survey", schema: surveyResponse, headers: VERSION_ETAG },
        304: { description: "Not modified (If-None-Match)" },
      },
    }),
    requirePermission("surveys:read"),
    validate("param", idParam),
    validate("header", ifNoneMatchHeader),
    async (c) => {
      const { data, version } = await getSurvey(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  )
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe(updateSpec),
    requirePermission("surveys:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    validate("json", updateSurveyBody),
    async (c) => {
      const expected = ifMatchVersion(c);
      const { data, version } = await updateSurvey(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        expected,
      );
      return jsonVersioned(c, { data }, version);
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a survey",
      description:
        "Soft delete: the survey and its questions answer 404 afterwards and the survey leaves every list; visits that used it keep it. Honours If-Match. Audited.",
      tags: ["surveys"],
      auth: true,
      permission: "surveys:write",
      responses: { 204: { description: "Deleted" } },
      errors: ["PRECONDITION_FAILED"],
    }),
    requirePermission("surveys:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    async (c) => {
      const expected = ifMatchVersion(c);
      await deleteSurvey(tenantContext(c), c.req.valid("param").id, expected);
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/questions",
    describe({
      summary: "Add a question to a survey",
      description:
        "Types: text, number, boolean, single_choice, multiple_choice, rating, date, photo. `options` `[{value, label}]` are required (at least 2, unique values) for single/multiple choice and forbidden otherwise; `min_value`/`max_value` only for number and rating (min ≤ max; a rating defaults to 1..5). `position` defaults to after the last question. Bumps the survey's version. Audited. Honours Idempotency-Key.",
      tags: ["surveys"],
      auth: true,
      permission: "surveys:write",
      responses: {
        201: {
          description: "The new question",
          schema: questionResponse,
          headers: { ...VERSION_ETAG, Location: "The question's URL" },
        },
      },
    }),
    requirePermission("surveys:write"),
    validate("param", idParam),
    validate("json", createQuestionBody),
    async (c) => {
      const { data, version } = await addQuestion(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      c.header("Location", `/api/questions/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  );
