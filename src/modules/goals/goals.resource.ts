import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { uuidParam } from "../../core/resource/params";
import { brands, goals, surveys } from "../../db/schema";
import { checkGoalRules } from "./goals.rules";
import {
  goalDescription,
  goalMetric,
  goalName,
  goalPeriodType,
  goalTarget,
  isoDay,
  optionalId,
  shopLabel,
} from "./goals.schemas";

/**
 * Goals: tenant-wide (every role with goals:read lists the tenant's goals, as the seed says; the
 * progress of each assignee is scoped), by name. `brand_id` and `survey_id` must be live rows of
 * the tenant; the rules across fields live in goals.rules.ts.
 */
export const goalResource = defineResource({
  name: "goal",
  entity: "Goal",
  path: "/goals",
  tag: "goals",
  table: goals,
  fields: {
    name: field(goals.name, goalName, z.string()),
    description: field(goals.description, goalDescription.optional(), z.string().nullable()),
    metric: field(goals.metric, goalMetric, goalMetric),
    target: field(goals.target, goalTarget, z.number()),
    period_type: field(goals.periodType, goalPeriodType, goalPeriodType),
    start_date: field(goals.startDate, isoDay.describe("First day of the (first) period"), z.iso.date()),
    end_date: field(
      goals.endDate,
      isoDay
        .nullable()
        .optional()
        .describe("Last day (inclusive): required for `fixed`; ends a recurrence (optional)"),
      z.iso.date().nullable(),
    ),
    brand_id: field(
      goals.brandId,
      optionalId
        .optional()
        .describe(
          "Required for `shelf_share` (the brand measured); for the count metrics: only visits of surveys of this brand",
        ),
      z.uuid().nullable(),
    ),
    survey_id: field(
      goals.surveyId,
      optionalId.optional().describe("Only visits of this survey (not with `shelf_share`)"),
      z.uuid().nullable(),
    ),
    region: field(
      goals.region,
      shopLabel.optional().describe("Only visits at shops of this region"),
      z.string().nullable(),
    ),
    channel: field(
      goals.channel,
      shopLabel.optional().describe("Only visits at shops of this channel"),
      z.string().nullable(),
    ),
  },
  permissions: { read: "goals:read", write: "goals:write", delete: "goals:write" },
  scope: "tenant",
  references: {
    brand_id: { table: brands, entity: "Brand" },
    survey_id: { table: surveys, entity: "Survey" },
  },
  filters: {
    q: contains(goals.name, "Name contains (case-insensitive)"),
    metric: equals(goals.metric, goalMetric),
    period_type: equals(goals.periodType, goalPeriodType),
    brand_id: equals(goals.brandId, uuidParam),
    survey_id: equals(goals.surveyId, uuidParam),
  },
  order: { column: goals.name, caseInsensitive: true },
});

/** The create body: the declared fields and the rules across them (400 naming the field). */
export const createGoalBody = goalResource.schemas.create.superRefine(checkGoalRules);
export type CreateGoalInput = z.infer<typeof createGoalBody>;
