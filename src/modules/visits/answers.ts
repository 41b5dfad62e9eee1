import type { ErrorDetail } from "../../core/errors";
import type { SurveyQuestion } from "./visits.repo";
import type { AnswerValue } from "./visits.schemas";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRealDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function inRange(q: SurveyQuestion, n: number, defaults: { min: number; max: number } | null): string | null {
  const min = q.min_value ?? defaults?.min ?? null;
  const max = q.max_value ?? defaults?.max ?? null;
  if (min !== null && n < min) return `Must be at least ${min}`;
  if (max !== null && n > max) return `Must be at most ${max}`;
  return null;
}

/** Why `value` is not a valid answer to `q`, or null when it is. `null` means "not answered". */
function problemWith(q: SurveyQuestion, value: AnswerValue, photoIds: ReadonlySet<string>): string | null {
  const options = new Set((q.options ?? []).map((o) => o.value));
  switch (q.type) {
    case "text":
      return typeof value === "string" ? null : "Must be text";
    case "number":
      return typeof value === "number" && Number.isFinite(value)
        ? inRange(q, value, null)
        : "Must be a number";
    case "rating":
      return typeof value === "number" && Number.isInteger(value)
        ? inRange(q, value, { min: 1, max: 5 })
        : "Must be a whole number";
    case "boolean":
      return typeof value === "boolean" ? null : "Must be true or false";
    case "single_choice":
      return typeof value === "string" && options.has(value)
        ? null
        : `Must be one of: ${[...options].join(", ")}`;
    case "multiple_choice": {
      if (!Array.isArray(value)) return "Must be a list of options";
      if (new Set(value).size !== value.length) return "Options must not repeat";
      const unknown = value.filter((v) => !options.has(v));
      return unknown.length === 0 ? null : `Unknown options: ${unknown.join(", ")}`;
    }
    case "date":
      return typeof value === "string" && isRealDate(value) ? null : "Must be a date (YYYY-MM-DD)";
    case "photo":
      if (typeof value !== "string" || !UUID_RE.test(value)) return "Must be the id of a photo of this visit";
      return photoIds.has(value.toLowerCase()) ? null : "Must be the id of a photo of this visit";
    default:
      return "Unsupported question type";
  }
}

function isEmpty(value: AnswerValue): boolean {
  return value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

export interface ValidAnswer {
  question_id: string;
  value: Exclude<AnswerValue, null>;
  prompt: string;
  type: string;
}

/**
 * Checks a visit's answers against its survey: every answer names a question of the survey (one
 * soft-deleted after the phone downloaded the survey still counts, so offline work is not lost),
 * at most once, with a value of the question's type, options and range; every required live
 * question is answered. Returns the answers to store (with the prompt and type snapshotted) or
 * every problem at once, each on its own field.
 */
export function validateAnswers(
  questions: readonly SurveyQuestion[],
  answers: readonly { question_id: string; value: AnswerValue }[],
  photoIds: ReadonlySet<string>,
): { answers: ValidAnswer[]; problems: ErrorDetail[] } {
  const byId = new Map(questions.map((q) => [q.id.toLowerCase(), q]));
  const problems: ErrorDetail[] = [];
  const valid: ValidAnswer[] = [];
  const seen = new Set<string>();
  for (const [i, answer] of answers.entries()) {
    const id = answer.question_id.toLowerCase();
    const q = byId.get(id);
    const field = `answers.${i}`;
    if (!q || seen.has(id)) {
      problems.push({
        field: `${field}.question_id`,
        message: q ? "Answered twice" : "Not a question of this visit's survey",
      });
      continue;
    }
    seen.add(id);
    if (isEmpty(answer.value)) continue;
    const problem = problemWith(q, answer.value, photoIds);
    if (problem) problems.push({ field: `${field}.value`, message: problem });
    else
      valid.push({
        question_id: q.id,
        value: answer.value as Exclude<AnswerValue, null>,
        prompt: q.prompt,
        type: q.type,
      });
  }
  for (const q of questions) {
    if (q.is_required && !q.deleted && !valid.some((a) => a.question_id === q.id)) {
      const answered = answers.findIndex((a) => a.question_id.toLowerCase() === q.id.toLowerCase());
      if (answered >= 0 && problems.some((p) => p.field.startsWith(`answers.${answered}.`))) continue;
      problems.push({ field: `answers.${q.id}`, message: `Required: ${q.prompt}` });
    }
  }
  return { answers: valid, problems };
}
