import { sql } from "drizzle-orm";
import {
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { brands } from "./catalogue";
import { createdBy, softDelete, tenantFk, tenantKey, tenantPk, timestamps, version } from "./columns";
import { GOAL_METRICS, GOAL_PERIOD_TYPES } from "./enums";
import { memberships, teams } from "./identity";
import { surveys } from "./surveys";

/**
 * A goal: a metric, a target per assignee and period, the period (a fixed `start_date`..`end_date`
 * or a weekly/monthly recurrence from `start_date` in the tenant's time zone, which `end_date`
 * ends) and optional filters (brand, survey, shop region and channel). Progress is read from the
 * rollup tables (src/modules/goals/goals.progress.ts).
 */
export const goals = pgTable(
  "goals",
  {
    ...tenantKey(),
    name: text("name").notNull(),
    description: text("description"),
    metric: text("metric", { enum: GOAL_METRICS }).notNull(),
    target: doublePrecision("target").notNull(),
    periodType: text("period_type", { enum: GOAL_PERIOD_TYPES }).notNull(),
    startDate: date("start_date").notNull(),
    endDate: date("end_date"),
    brandId: uuid("brand_id"),
    surveyId: uuid("survey_id"),
    region: text("region"),
    channel: text("channel"),
    ...version(),
    ...createdBy(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("goals_brand_fk", [t.tenantId, t.brandId], brands),
    tenantFk("goals_survey_fk", [t.tenantId, t.surveyId], surveys),
    check("goals_target_positive", sql`${t.target} > 0`),
    check("goals_end_after_start", sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    check("goals_fixed_has_end", sql`${t.periodType} <> 'fixed' or ${t.endDate} is not null`),
    index("goals_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`),
    index("goals_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/**
 * Who a goal is assigned to: one user or one team (a team covers its members, expanded when
 * progress is read), never both. Assigning twice keeps one row.
 */
export const goalAssignments = pgTable(
  "goal_assignments",
  {
    ...tenantKey(),
    goalId: uuid("goal_id").notNull(),
    userId: uuid("user_id"),
    teamId: uuid("team_id"),
    ...createdBy(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("goal_assignments_goal_fk", [t.tenantId, t.goalId], goals).onDelete("cascade"),
    tenantFk("goal_assignments_team_fk", [t.tenantId, t.teamId], teams).onDelete("cascade"),
    foreignKey({
      name: "goal_assignments_membership_fk",
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete("cascade"),
    check("goal_assignments_one_assignee", sql`(${t.userId} is null) <> (${t.teamId} is null)`),
    uniqueIndex("goal_assignments_goal_user_key")
      .on(t.tenantId, t.goalId, t.userId)
      .where(sql`${t.userId} is not null`),
    uniqueIndex("goal_assignments_goal_team_key")
      .on(t.tenantId, t.goalId, t.teamId)
      .where(sql`${t.teamId} is not null`),
    index("goal_assignments_tenant_user_idx").on(t.tenantId, t.userId),
    index("goal_assignments_tenant_team_idx").on(t.tenantId, t.teamId),
  ],
);
