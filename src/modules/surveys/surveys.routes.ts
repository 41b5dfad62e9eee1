import { tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../../core/etag";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
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

export const surveyRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/",
      summary: "List surveys",
      description:
        "Live surveys ordered by title, each with its `question_count`. Filters: `q` (title contains), `is_active`, `visit_type`, `brand_id`. The response carries a content ETag; If-None-Match answers 304.",
      tags: ["surveys"],
      permission: "surveys:read",
      query: listSurveysQuery,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(surveyListResponse, "One page of surveys", CONTENT_ETAG) },
    }),
    async (c) => jsonWithContentEtag(c, await listSurveys(tenantContext(c), c.req.valid("query"))),
  )
  .openapi(
    route({
      method: "post",
      path: "/",
      summary: "Create a survey (optionally with its questions)",
      description:
        "A survey template for `shop` or `individual` visits, optionally for a brand of this tenant (404 naming `brand_id` otherwise). `questions` may be sent inline: they are created with the survey in one atomic write, positions defaulting to the array order; each follows the question rules of POST /api/surveys/{id}/questions. Audited. Honours Idempotency-Key.",
      tags: ["surveys"],
      permission: "surveys:write",
      body: createSurveyBody,
      responses: {
        201: jsonResponse(surveyResponse, "The new survey with its questions", {
          ...VERSION_ETAG,
          Location: "The survey's URL",
        }),
      },
      errors: { 404: "Brand not found (RESOURCE_NOT_FOUND, naming `brand_id`)" },
    }),
    async (c) => {
      const { data, version } = await createSurvey(tenantContext(c), c.req.valid("json"));
      c.header("Location", `/api/surveys/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/{id}",
      summary: "Get a survey with its questions",
      description:
        "A live survey with its live questions ordered by position, in one database round trip. The ETag changes whenever the survey or one of its questions changes; If-None-Match answers 304.",
      tags: ["surveys"],
      permission: "surveys:read",
      params: idParam,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(surveyResponse, "The survey", VERSION_ETAG) },
      errors: { 404: "Survey not found" },
    }),
    async (c) => {
      const { data, version } = await getSurvey(tenantContext(c), c.req.valid("param").id);
      return jsonVersioned(c, { data }, version);
    },
  );

for (const method of ["put", "patch"] as const) {
  surveyRoutes.openapi(
    route({
      method,
      path: "/{id}",
      summary: "Update a survey",
      description:
        "Partial update (PUT and PATCH alike) of title, description, visit type, brand and active flag; questions change through their own routes. `brand_id` must be a live brand of this tenant (404 naming the field) or null. Honours If-Match (412 on a stale version). Audited.",
      tags: ["surveys"],
      permission: "surveys:write",
      params: idParam,
      headers: ifMatchHeader,
      body: updateSurveyBody,
      ifMatch: true,
      responses: { 200: jsonResponse(surveyResponse, "The updated survey with its questions", VERSION_ETAG) },
      errors: { 404: "Survey not found, or Brand not found (naming `brand_id`)" },
    }),
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
  );
}

surveyRoutes
  .openapi(
    route({
      method: "delete",
      path: "/{id}",
      summary: "Delete a survey",
      description:
        "Soft delete: the survey and its questions answer 404 afterwards and the survey leaves every list; visits that used it keep it. Honours If-Match. Audited.",
      tags: ["surveys"],
      permission: "surveys:write",
      params: idParam,
      headers: ifMatchHeader,
      ifMatch: true,
      responses: { 204: emptyResponse("Deleted") },
      errors: { 404: "Survey not found" },
    }),
    async (c) => {
      const expected = ifMatchVersion(c);
      await deleteSurvey(tenantContext(c), c.req.valid("param").id, expected);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/{id}/questions",
      summary: "Add a question to a survey",
      description:
        "Types: text, number, boolean, single_choice, multiple_choice, rating, date, photo. `options` `[{value, label}]` are required (at least 2, unique values) for single/multiple choice and forbidden otherwise; `min_value`/`max_value` only for number and rating (min ≤ max; a rating defaults to 1..5). `position` defaults to after the last question. Bumps the survey's version. Audited. Honours Idempotency-Key.",
      tags: ["surveys"],
      permission: "surveys:write",
      params: idParam,
      body: createQuestionBody,
      responses: {
        201: jsonResponse(questionResponse, "The new question", {
          ...VERSION_ETAG,
          Location: "The question's URL",
        }),
      },
      errors: { 404: "Survey not found" },
    }),
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
