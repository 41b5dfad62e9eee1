import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { shops } from "./catalogue";
import { tenantFk, tenantKey, tenantPk, timestamps } from "./columns";
import { QUESTION_TYPES, VISIT_TYPES } from "./enums";
import { memberships } from "./identity";
import { surveyQuestions, surveys } from "./surveys";

/**
 * A visit by an agent, started on the phone (possibly offline: `client_id` makes a resent start
 * return the same visit) and completed with answers and photos in one atomic write.
 */
export const visits = pgTable(
  "visits",
  {
    ...tenantKey(),
    clientId: text("client_id"),
    agentId: uuid("agent_id").notNull(),
    surveyId: uuid("survey_id").notNull(),
    shopId: uuid("shop_id"),
    visitType: text("visit_type", { enum: VISIT_TYPES }).notNull(),
    status: text("status", { enum: ["in_progress", "completed"] })
      .notNull()
      .default("in_progress"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    accuracyM: doublePrecision("accuracy_m"),
    /** Metres between the visit's geocode and its shop, computed at start. */
    shopDistanceM: doublePrecision("shop_distance_m"),
    /** Further from the shop than the tenant's geofence radius: flagged, not refused. */
    outsideGeofence: boolean("outside_geofence").notNull().default(false),
    notes: text("notes"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    tenantPk(t),
    tenantFk("visits_agent_fk", [t.tenantId, t.agentId], {
      tenantId: memberships.tenantId,
      id: memberships.userId,
    }),
    tenantFk("visits_survey_fk", [t.tenantId, t.surveyId], surveys),
    tenantFk("visits_shop_fk", [t.tenantId, t.shopId], shops),
    uniqueIndex("visits_tenant_agent_client_key").on(t.tenantId, t.agentId, t.clientId),
    index("visits_tenant_started_idx").on(t.tenantId, sql`${t.startedAt} desc`, sql`${t.id} desc`),
    index("visits_tenant_agent_started_idx").on(
      t.tenantId,
      t.agentId,
      sql`${t.startedAt} desc`,
      sql`${t.id} desc`,
    ),
    index("visits_tenant_shop_started_idx").on(t.tenantId, t.shopId, sql`${t.startedAt} desc`),
    index("visits_tenant_survey_started_idx").on(t.tenantId, t.surveyId, sql`${t.startedAt} desc`),
    index("visits_tenant_completed_idx").on(t.tenantId, t.completedAt),
  ],
);

/** One answer per question per visit; the prompt and type are snapshotted at completion. */
export const visitAnswers = pgTable(
  "visit_answers",
  {
    tenantId: uuid("tenant_id").notNull(),
    visitId: uuid("visit_id").notNull(),
    questionId: uuid("question_id").notNull(),
    value: jsonb("value").notNull(),
    questionPrompt: text("question_prompt").notNull(),
    questionType: text("question_type", { enum: QUESTION_TYPES }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.visitId, t.questionId] }),
    tenantFk("visit_answers_visit_fk", [t.tenantId, t.visitId], visits).onDelete("cascade"),
    tenantFk("visit_answers_question_fk", [t.tenantId, t.questionId], surveyQuestions),
    /** "Has this question been answered?" (before a type or options change) without a scan. */
    index("visit_answers_tenant_question_idx").on(t.tenantId, t.questionId),
  ],
);
