import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { ApiError } from "../../core/errors";
import { param } from "../../core/resource/sql";
import { goals } from "../../db/schema";

/**
 * The rules across a goal's fields, written once and checked twice: on a create over the body
 * (zod), on a partial update inside the UPDATE statement over the body merged with the stored row
 * (so a PATCH of `metric` alone still meets the stored `target` and `brand_id`). Each violation is
 * a 400 naming the field.
 */

/** The fields the rules read, as a create body holds them. */
interface GoalShape {
  metric: string;
  target: number;
  period_type: string;
  start_date: string;
  end_date?: string | null | undefined;
  brand_id?: string | null | undefined;
  survey_id?: string | null | undefined;
}

type Merged = Record<keyof GoalShape, SQL>;

interface Rule {
  field: keyof GoalShape;
  message: string;
  holds: (g: GoalShape) => boolean;
  /** The same rule over SQL expressions of the merged values. */
  holdsSql: (m: Merged) => SQL;
}

const RULES: readonly Rule[] = [
  {
    field: "end_date",
    message: "Required for a fixed period",
    holds: (g) => g.period_type !== "fixed" || (g.end_date ?? null) !== null,
    holdsSql: (m) => sql`(${m.period_type} <> 'fixed' or ${m.end_date} is not null)`,
  },
  {
    field: "end_date",
    message: "Must not be before start_date",
    holds: (g) => !g.end_date || g.end_date >= g.start_date,
    holdsSql: (m) => sql`(${m.end_date} is null or ${m.end_date} >= ${m.start_date})`,
  },
  {
    field: "brand_id",
    message: "Required for the shelf_share metric",
    holds: (g) => g.metric !== "shelf_share" || (g.brand_id ?? null) !== null,
    holdsSql: (m) => sql`(${m.metric} <> 'shelf_share' or ${m.brand_id} is not null)`,
  },
  {
    field: "target",
    message: "A shelf_share target is a percentage: at most 100",
    holds: (g) => g.metric !== "shelf_share" || g.target <= 100,
    holdsSql: (m) => sql`(${m.metric} <> 'shelf_share' or ${m.target} <= 100)`,
  },
  {
    field: "survey_id",
    message: "shelf_share cannot filter by survey (shelf marks are counted per brand, not per survey)",
    holds: (g) => g.metric !== "shelf_share" || (g.survey_id ?? null) === null,
    holdsSql: (m) => sql`(${m.metric} <> 'shelf_share' or ${m.survey_id} is null)`,
  },
];

/** A create body's rules, as zod issues naming the fields (`superRefine`). */
export function checkGoalRules(goal: GoalShape, ctx: z.RefinementCtx): void {
  for (const rule of RULES) {
    if (!rule.holds(goal)) ctx.addIssue({ code: "custom", path: [rule.field], message: rule.message });
  }
}

const COLUMNS = {
  metric: goals.metric,
  target: goals.target,
  period_type: goals.periodType,
  start_date: goals.startDate,
  end_date: goals.endDate,
  brand_id: goals.brandId,
  survey_id: goals.surveyId,
} as const;

const PREFIX = "rule:";

/**
 * The first rule the update would break, over the stored row `cur` with `values` applied, as a
 * text expression (`rule:<n>`, or null): the `check` of the kit's `updateRow`.
 */
export function goalRuleCheck(values: Record<string, unknown>): SQL {
  const merged = Object.fromEntries(
    Object.entries(COLUMNS).map(([key, column]) => [
      key,
      values[key] !== undefined ? param(column, values[key]) : sql`cur.${sql.identifier(column.name)}`,
    ]),
  ) as Merged;
  const cases = RULES.map((rule, i) => sql`when not ${rule.holdsSql(merged)} then ${`${PREFIX}${i}`}::text`);
  return sql`(case ${sql.join(cases, sql` `)} end)`;
}

/** A refusal of `goalRuleCheck` as the 400 naming its field; null when `refusal` is something else. */
export function ruleViolation(refusal: string): ApiError | null {
  if (!refusal.startsWith(PREFIX)) return null;
  const rule = RULES[Number(refusal.slice(PREFIX.length))];
  if (!rule) return null;
  return ApiError.validation("Invalid goal", [{ field: rule.field, message: rule.message }]);
}
