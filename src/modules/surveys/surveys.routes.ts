import { tenantContext } from "../../core/context";
import { versionEtag } from "../../core/etag";
import { detailVerbs, onRow } from "../../core/resource/item-routes";
import { VERSION_ETAG } from "../../core/resource/params";
import { resourceRoutes } from "../../core/resource/routes";
import { jsonResponse, route } from "../../core/route";
import { createQuestionBody, questionResponse } from "./questions.schemas";
import { addQuestion } from "./questions.service";
import { createSurveyBody, surveyResource, surveyResponse } from "./surveys.resource";
import { createSurvey, getSurvey, updateSurvey } from "./surveys.service";

/**
 * Surveys on the resource kit: the standard five routes; create takes inline questions, and get,
 * create and update answer with the questions. Adding a question is a verb of its own.
 */
export const surveyRoutes = resourceRoutes(surveyResource, {
  ...detailVerbs(surveyResponse, createSurveyBody, {
    create: createSurvey,
    get: getSurvey,
    update: updateSurvey,
  }),
  docs: {
    list: "Each with its `question_count`.",
    create:
      "A survey template for `shop` or `individual` visits, optionally for a brand. `questions` may be sent inline: they are created with the survey in one atomic write, positions defaulting to the array order; each follows the question rules of POST /api/surveys/{id}/questions.",
    get: "With its live questions ordered by position, in one database round trip. The ETag changes whenever the survey or one of its questions changes.",
    update:
      "Title, description, visit type, brand and active flag; questions change through their own routes.",
    delete: "Its questions answer 404 afterwards; visits that used it keep it.",
  },
}).openapi(
  route({
    ...onRow("surveys"),
    method: "post",
    path: "/{id}/questions",
    summary: "Add a question to a survey",
    description:
      "Types: text, number, boolean, single_choice, multiple_choice, rating, date, photo. `options` `[{value, label}]` are required (at least 2, unique values) for single/multiple choice and forbidden otherwise; `min_value`/`max_value` only for number and rating (min ≤ max; a rating defaults to 1..5). `position` defaults to after the last question. Bumps the survey's version. Audited. Honours Idempotency-Key.",
    permission: "surveys:write",
    body: createQuestionBody,
    responses: {
      201: jsonResponse(questionResponse, "The new question", {
        ...VERSION_ETAG,
        Location: "The question's URL",
      }),
    },
  }),
  async (c) => {
    const { data, version } = await addQuestion(
      tenantContext(c),
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    c.header("Location", `/api/questions/${data.id}`);
    c.header("ETag", versionEtag(version));
    return c.json({ data }, 201);
  },
);
