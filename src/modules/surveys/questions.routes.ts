import { tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned } from "../../core/etag";
import { onRow } from "../../core/resource/item-routes";
import { ifMatchHeader, VERSION_ETAG } from "../../core/resource/params";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import { questionResponse, updateQuestionBody } from "./questions.schemas";
import { deleteQuestion, updateQuestion } from "./questions.service";

export const questionRoutes = apiRouter();

for (const method of ["put", "patch"] as const) {
  questionRoutes.openapi(
    route({
      ...onRow("surveys"),
      method,
      summary: "Update a survey question",
      description:
        "Partial update (PUT and PATCH alike) of a live question of a live survey. The option and range rules are checked on the question as it would become (options for single/multiple choice only, at least 2 with unique values; a range for number/rating only, min_value ≤ max_value, a rating defaults to 1..5; changing the type clears what no longer fits). Once the question has answers, changing its `type` or `options` is a 409: add a new question instead (prompt, required flag, position and range may still change — answers snapshot the prompt and type). Bumps the survey's version. Honours If-Match with the question's ETag. Audited.",
      permission: "surveys:write",
      headers: ifMatchHeader,
      body: updateQuestionBody,
      ifMatch: true,
      responses: { 200: jsonResponse(questionResponse, "The updated question", VERSION_ETAG) },
      errors: {
        404: "Question not found",
        409: "The question has answers: its type and options can no longer change (CONFLICT)",
      },
    }),
    async (c) => {
      const expected = ifMatchVersion(c);
      const { data, version } = await updateQuestion(
        tenantContext(c),
        c.req.valid("param").id,
        c.req.valid("json"),
        expected,
      );
      return jsonVersioned(c, { data }, version);
    },
  );
}

questionRoutes.openapi(
  route({
    ...onRow("surveys", "Question"),
    method: "delete",
    summary: "Delete a survey question",
    description:
      "Soft delete: the question leaves the survey, answers already given keep pointing at it. Bumps the survey's version. Honours If-Match. Audited.",
    permission: "surveys:write",
    headers: ifMatchHeader,
    ifMatch: true,
    responses: { 204: emptyResponse("Deleted") },
  }),
  async (c) => {
    const expected = ifMatchVersion(c);
    await deleteQuestion(tenantContext(c), c.req.valid("param").id, expected);
    return c.body(null, 204);
  },
);
