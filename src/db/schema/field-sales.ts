import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { memberships } from "./identity";
import { tenants } from "./tenancy";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/** Rows an offline phone has cached are soft-deleted, so sync can send tombstones. */
const softDelete = { deletedAt: timestamp("deleted_at", { withTimezone: true }) };

const tenantRef = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

export const VISIT_TYPES = ["shop", "individual"] as const;
export const QUESTION_TYPES = [
  "text",
  "number",
  "boolean",
  "single_choice",
  "multiple_choice",
  "rating",
  "date",
  "photo",
] as const;
export const PHOTO_PURPOSES = ["shelf", "product", "storefront", "survey", "other"] as const;
export const UPLOAD_STATUSES = ["pending", "uploaded"] as const;

export const brands = pgTable(
  "brands",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    description: text("description"),
    logoUrl: text("logo_url"),
    isActive: boolean("is_active").notNull().default(true),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by"),
    ...timestamps,
    ...softDelete,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("brands_tenant_name_key")
      .on(t.tenantId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    uniqueIndex("brands_tenant_slug_key").on(t.tenantId, t.slug).where(sql`${t.deletedAt} is null`),
    index("brands_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/** Image metadata for a brand; the bytes live in R2 under `object_key`, uploaded like photos. */
export const brandInfographics = pgTable(
  "brand_infographics",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
    brandId: uuid("brand_id").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    objectKey: text("object_key").notNull(),
    contentType: text("content_type").notNull(),
    declaredSize: bigint("declared_size", { mode: "number" }).notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("pending"),
    createdBy: uuid("created_by"),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "brand_infographics_brand_fk",
      columns: [t.tenantId, t.brandId],
      foreignColumns: [brands.tenantId, brands.id],
    }).onDelete("cascade"),
    index("brand_infographics_tenant_brand_idx").on(t.tenantId, t.brandId, t.createdAt),
  ],
);

export const surveys = pgTable(
  "surveys",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    visitType: text("visit_type", { enum: VISIT_TYPES }).notNull(),
    brandId: uuid("brand_id"),
    isActive: boolean("is_active").notNull().default(true),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by"),
    ...timestamps,
    ...softDelete,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "surveys_brand_fk",
      columns: [t.tenantId, t.brandId],
      foreignColumns: [brands.tenantId, brands.id],
    }),
    index("surveys_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    index("surveys_tenant_brand_idx").on(t.tenantId, t.brandId),
  ],
);

/** A choice of a single/multiple choice question: the stored value and what the agent reads. */
export interface QuestionOption {
  value: string;
  label: string;
}

/**
 * Questions are soft-deleted, never removed, so a visit's answers always point at the question
 * they answered; answers also snapshot its prompt and type.
 */
export const surveyQuestions = pgTable(
  "survey_questions",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
    surveyId: uuid("survey_id").notNull(),
    prompt: text("prompt").notNull(),
    type: text("type", { enum: QUESTION_TYPES }).notNull(),
    isRequired: boolean("is_required").notNull().default(false),
    position: integer("position").notNull(),
    options: jsonb("options").$type<QuestionOption[]>(),
    minValue: doublePrecision("min_value"),
    maxValue: doublePrecision("max_value"),
    version: integer("version").notNull().default(1),
    ...timestamps,
    ...softDelete,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "survey_questions_survey_fk",
      columns: [t.tenantId, t.surveyId],
      foreignColumns: [surveys.tenantId, surveys.id],
    }).onDelete("cascade"),
    index("survey_questions_tenant_survey_idx").on(t.tenantId, t.surveyId, t.position),
  ],
);

export const shops = pgTable(
  "shops",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    address: text("address"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    channel: text("channel"),
    region: text("region"),
    externalCode: text("external_code"),
    isActive: boolean("is_active").notNull().default(true),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by"),
    ...timestamps,
    ...softDelete,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("shops_tenant_external_code_key")
      .on(t.tenantId, t.externalCode)
      .where(sql`${t.externalCode} is not null and ${t.deletedAt} is null`),
    index("shops_tenant_lat_lng_idx").on(t.tenantId, t.lat, t.lng),
    index("shops_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    index("shops_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/**
 * A visit by an agent, started on the phone (possibly offline: `client_id` makes a resent start
 * return the same visit) and completed with answers and photos in one atomic write.
 */
export const visits = pgTable(
  "visits",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
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
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "visits_agent_fk",
      columns: [t.tenantId, t.agentId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }),
    foreignKey({
      name: "visits_survey_fk",
      columns: [t.tenantId, t.surveyId],
      foreignColumns: [surveys.tenantId, surveys.id],
    }),
    foreignKey({
      name: "visits_shop_fk",
      columns: [t.tenantId, t.shopId],
      foreignColumns: [shops.tenantId, shops.id],
    }),
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
    foreignKey({
      name: "visit_answers_visit_fk",
      columns: [t.tenantId, t.visitId],
      foreignColumns: [visits.tenantId, visits.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "visit_answers_question_fk",
      columns: [t.tenantId, t.questionId],
      foreignColumns: [surveyQuestions.tenantId, surveyQuestions.id],
    }),
    /** "Has this question been answered?" (before a type or options change) without a scan. */
    index("visit_answers_tenant_question_idx").on(t.tenantId, t.questionId),
  ],
);

/** Photo metadata; the bytes go straight from the phone to R2 under `object_key`. */
export const photos = pgTable(
  "photos",
  {
    tenantId: tenantRef(),
    id: uuid("id").notNull(),
    clientId: text("client_id"),
    visitId: uuid("visit_id").notNull(),
    questionId: uuid("question_id"),
    purpose: text("purpose", { enum: PHOTO_PURPOSES }).notNull(),
    objectKey: text("object_key").notNull(),
    contentType: text("content_type").notNull(),
    declaredSize: bigint("declared_size", { mode: "number" }).notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    sha256: text("sha256"),
    status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("pending"),
    takenAt: timestamp("taken_at", { withTimezone: true }),
    createdBy: uuid("created_by").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "photos_visit_fk",
      columns: [t.tenantId, t.visitId],
      foreignColumns: [visits.tenantId, visits.id],
    }).onDelete("cascade"),
    uniqueIndex("photos_tenant_creator_client_key").on(t.tenantId, t.createdBy, t.clientId),
    index("photos_tenant_visit_idx").on(t.tenantId, t.visitId),
  ],
);

/**
 * Brand rectangles marked on a shelf photo, normalised to 0..1. `area_percentage` is the brand's
 * share of the marked shelf area of the photo (the same on every rectangle of that brand).
 */
export const shelfQuadrants = pgTable(
  "shelf_quadrants",
  {
    tenantId: uuid("tenant_id").notNull(),
    id: uuid("id").notNull(),
    photoId: uuid("photo_id").notNull(),
    brandId: uuid("brand_id").notNull(),
    x: doublePrecision("x").notNull(),
    y: doublePrecision("y").notNull(),
    width: doublePrecision("width").notNull(),
    height: doublePrecision("height").notNull(),
    areaPercentage: doublePrecision("area_percentage").notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "shelf_quadrants_photo_fk",
      columns: [t.tenantId, t.photoId],
      foreignColumns: [photos.tenantId, photos.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "shelf_quadrants_brand_fk",
      columns: [t.tenantId, t.brandId],
      foreignColumns: [brands.tenantId, brands.id],
    }),
    index("shelf_quadrants_tenant_photo_idx").on(t.tenantId, t.photoId),
  ],
);

/** No shop: rollup keys cannot hold NULL, so visits without a shop count under this id. */
export const NO_SHOP_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Completed visits per agent, shop and day (the tenant's local day). Derived: the queue consumer
 * recomputes the cells an event touches from source rows, and the nightly cron rebuilds yesterday.
 */
export const visitDailyRollups = pgTable(
  "visit_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    agentId: uuid("agent_id").notNull(),
    shopId: uuid("shop_id").notNull(),
    visits: integer("visits").notNull(),
    outsideGeofence: integer("outside_geofence").notNull(),
    durationSeconds: bigint("duration_seconds", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.agentId, t.shopId] }),
    index("visit_daily_rollups_tenant_agent_day_idx").on(t.tenantId, t.agentId, t.day),
    index("visit_daily_rollups_tenant_shop_day_idx").on(t.tenantId, t.shopId, t.day),
  ],
);

/** Shelf share per brand, shop and day: the sum of per-photo shares and the number of photos. */
export const shelfShareDailyRollups = pgTable(
  "shelf_share_daily_rollups",
  {
    tenantId: uuid("tenant_id").notNull(),
    day: date("day").notNull(),
    shopId: uuid("shop_id").notNull(),
    brandId: uuid("brand_id").notNull(),
    photos: integer("photos").notNull(),
    shareSum: doublePrecision("share_sum").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.shopId, t.brandId] }),
    index("shelf_share_daily_rollups_tenant_brand_day_idx").on(t.tenantId, t.brandId, t.day),
  ],
);
