import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { QUESTION_TYPES } from "../../db/schema";

export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Types whose answers pick from `options`. */
export const CHOICE_TYPES: readonly QuestionType[] = ["single_choice", "multiple_choice"];
/** Types whose answers are numbers within `min_value`..`max_value`. */
export const RANGED_TYPES: readonly QuestionType[] = ["number", "rating"];
/** A rating question's scale when none is given. */
export const DEFAULT_RATING_RANGE = { min: 1, max: 5 } as const;
export const MAX_OPTIONS = 100;
export const MAX_POSITION = 10_000;

export const questionOptionSchema = z.strictObject({
  value: z.string().trim().min(1, "Must not be empty").max(200).describe("What an answer stores"),
  label: z.string().trim().min(1, "Must not be empty").max(500).describe("What the agent reads"),
});

export const questionSchema = z
  .object({
    id: z.uuid(),
    survey_id: z.uuid(),
    prompt: z.string(),
    type: z.enum(QUESTION_TYPES),
    is_required: z.boolean(),
    position: z.number().int().describe("Questions are shown by position (ties: oldest first)"),
    options: z.array(z.object({ value: z.string(), label: z.string() })).nullable(),
    min_value: z.number().nullable(),
    max_value: z.number().nullable(),
    version: z.number().int().describe('The ETag of the question is `"v<version>"`'),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("SurveyQuestion");

export type QuestionDto = z.infer<typeof questionSchema>;

const prompt = z.string().trim().min(1, "Must not be empty").max(1000);
const options = z
  .array(questionOptionSchema)
  .min(2, "A choice question needs at least 2 options")
  .max(MAX_OPTIONS)
  .nullable()
  .describe(
    "Required (at least 2, unique values) for single_choice and multiple_choice; forbidden otherwise",
  );
const bound = z.number().min(-1e12).max(1e12).nullable();
const position = z
  .number()
  .int()
  .min(1)
  .max(MAX_POSITION)
  .describe("Default: after the survey's last question");

interface QuestionShape {
  type?: QuestionType | undefined;
  options?: { value: string; label: string }[] | null | undefined;
  min_value?: number | null | undefined;
  max_value?: number | null | undefined;
}

/**
 * The option and range rules as far as the body alone decides them (a partial update is checked
 * again against the stored question, in the same statement as the write).
 */
function checkQuestionRules(q: QuestionShape, ctx: z.core.$RefinementCtx<QuestionShape>, partial: boolean) {
  const hasOptions = q.options !== undefined && q.options !== null;
  if (q.options) {
    const seen = new Set<string>();
    q.options.forEach((option, i) => {
      if (seen.has(option.value)) {
        ctx.addIssue({ code: "custom", path: ["options", i, "value"], message: "Duplicate option value" });
      }
      seen.add(option.value);
    });
  }
  if (q.type) {
    const choice = CHOICE_TYPES.includes(q.type);
    // A partial update that omits options keeps the stored ones (checked with the write).
    if (choice && !hasOptions && !(partial && q.options === undefined)) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `Required for ${q.type} questions` });
    }
    if (!choice && hasOptions) {
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "Only single_choice and multiple_choice questions have options",
      });
    }
    if (!RANGED_TYPES.includes(q.type)) {
      for (const key of ["min_value", "max_value"] as const) {
        if (q[key] !== undefined && q[key] !== null) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "Only number and rating questions have a range",
          });
        }
      }
    }
    if (q.type === "rating") {
      for (const key of ["min_value", "max_value"] as const) {
        const v = q[key];
        if (typeof v === "number" && !Number.isInteger(v)) {
          ctx.addIssue({ code: "custom", path: [key], message: "A rating scale has whole-number bounds" });
        }
      }
    }
  }
  if (typeof q.min_value === "number" && typeof q.max_value === "number" && q.min_value > q.max_value) {
    ctx.addIssue({ code: "custom", path: ["min_value"], message: "Must not be greater than max_value" });
  }
}

export const createQuestionBody = z
  .strictObject({
    prompt,
    type: z.enum(QUESTION_TYPES),
    is_required: z.boolean().optional().describe("Default false"),
    position: position.optional(),
    options: options.optional(),
    min_value: bound.optional().describe("number and rating only; rating defaults to 1"),
    max_value: bound.optional().describe("number and rating only; rating defaults to 5"),
  })
  .superRefine((q, ctx) => checkQuestionRules(q, ctx, false));

export type CreateQuestionInput = z.infer<typeof createQuestionBody>;

export const updateQuestionBody = z
  .strictObject({
    prompt: prompt.optional(),
    type: z
      .enum(QUESTION_TYPES)
      .optional()
      .describe("Refused (409) once the question has answers: add a new question instead"),
    is_required: z.boolean().optional(),
    position: position.optional(),
    options: options
      .optional()
      .describe("Refused (409) once the question has answers if they change: add a new question instead"),
    min_value: bound.optional(),
    max_value: bound.optional(),
  })
  .superRefine((q, ctx) => {
    if (Object.values(q).every((v) => v === undefined)) {
      ctx.addIssue({ code: "custom", message: "Nothing to update" });
      return;
    }
    checkQuestionRules(q, ctx, true);
  });

export type UpdateQuestionInput = z.infer<typeof updateQuestionBody>;

export const questionResponse = dataEnvelope(questionSchema);
