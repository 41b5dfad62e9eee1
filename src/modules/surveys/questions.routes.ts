import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { ifMatchVersion, jsonVersioned } from "../../core/etag";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe, type RouteSpec } from "../../core/openapi";
import { idParam, ifMatchHeader, VERSION_ETAG } from "../../core/resource/params";
import { validate } from "../../core/validation";
import { questionResponse, updateQuestionBody } from "./questions.schemas";
import { deleteQuestion, updateQuestion } from "./questions.service";

const updateSpec: RouteSpec = {
  summary: "Update a survey question",
  description:
    "Partial update (PUT and PATCH alike) of a live question of a live survey. The option and range rules are checked on the question as it would become (options for single/multiple choice only, at least 2 with unique values; a range for number/rating only, min_value ≤ max_value, a rating defaults to 1..5; changing the type clears what no longer fits). Once the question has answers, changing its `type` or `options` is a 409: add a new question instead (prompt, required flag, position and range may still change — answers snapshot the prompt and type). Bumps the survey's version. Honours If-Match with the question's ETag. Audited.",
  tags: ["surveys"],
  auth: true,
  permission: "surveys:write",
  responses: {
    200: { description: "The updated question", schema: questionResponse, headers: VERSION_ETAG },
  },
  errors: ["CONFLICT", "PRECONDITION_FAILED"],
};

export const questionRoutes = new Hono<AppEnv>()
  .use("*", authenticate, idempotency)
  .on(
    ["PUT", "PATCH"],
    "/:id",
    describe(updateSpec),
    requirePermission("surveys:write"),
    validate("param", idParam),
    validate("header", ifMatchHeader),
    validate("json", updateQuestionBody),
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
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a survey question",
      description:
        "Soft delete: the question leaves the survey, answers already given keep pointing at it. Bumps the survey's version. Honours If-Match. Audited.",
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
      await deleteQuestion(tenantContext(c), c.req.valid("param").id, expected);
      return c.body(null, 204);
    },
  );
