import { and, asc, eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import type { QuestionOption } from "../../src/db/schema";
import {
  auditLogs,
  brandInfographics,
  brands,
  type QUESTION_TYPES,
  shops,
  surveyQuestions,
  surveys,
} from "../../src/db/schema";
import { testDb } from "./db";

/**
 * Catalogue factories: brands, surveys with questions, shops — real rows inserted straight into
 * the database (no HTTP, no audit rows), for tests of the catalogue and of everything built on
 * it (visits, photos, shelf quadrants). Every factory takes the tenant first and returns the
 * inserted row(s) as drizzle rows (camelCase). Names are unique per call, so several factory
 * rows never collide on the catalogue's unique indexes.
 */

export type BrandRow = typeof brands.$inferSelect;
export type SurveyRow = typeof surveys.$inferSelect;
export type QuestionRow = typeof surveyQuestions.$inferSelect;
export type ShopRow = typeof shops.$inferSelect;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A live brand. Name `Brand <random>` and its slug unless overridden. */
export async function createBrand(
  tenant: { id: string },
  overrides: Partial<typeof brands.$inferInsert> = {},
): Promise<BrandRow> {
  const id = overrides.id ?? uuidv7();
  const suffix = id.slice(-12);
  const [row] = await testDb()
    .insert(brands)
    .values({ tenantId: tenant.id, id, name: `Brand ${suffix}`, slug: `brand-${suffix}`, ...overrides })
    .returning();
  if (!row) throw new Error("brand insert returned nothing");
  return row;
}

/** A question for `createSurvey`: `prompt` and `type` are enough; options/min/max as the type needs. */
export interface QuestionSpec {
  prompt: string;
  type: QuestionType;
  isRequired?: boolean;
  options?: QuestionOption[] | null;
  minValue?: number | null;
  maxValue?: number | null;
}

/**
 * One question of every type, in this order (positions 1..8): text (required), number 0..1000,
 * boolean, single_choice (good/fair/poor, required), multiple_choice (three promotions),
 * rating 1..5, date, photo.
 */
export const DEFAULT_QUESTIONS: readonly QuestionSpec[] = [
  { prompt: "Name of the store manager", type: "text", isRequired: true },
  { prompt: "How many facings?", type: "number", minValue: 0, maxValue: 1000 },
  { prompt: "Are price tags visible?", type: "boolean" },
  {
    prompt: "Display condition",
    type: "single_choice",
    isRequired: true,
    options: [
      { value: "good", label: "Good" },
      { value: "fair", label: "Fair" },
      { value: "poor", label: "Poor" },
    ],
  },
  {
    prompt: "Promotions seen",
    type: "multiple_choice",
    options: [
      { value: "bogo", label: "Buy one get one" },
      { value: "discount", label: "Discount" },
      { value: "gift", label: "Free gift" },
    ],
  },
  { prompt: "Overall execution", type: "rating", minValue: 1, maxValue: 5 },
  { prompt: "Next delivery date", type: "date" },
  { prompt: "Shelf photo", type: "photo" },
];

export interface SurveyWithQuestions {
  survey: SurveyRow;
  /** In position order (1, 2, …). */
  questions: QuestionRow[];
}

/**
 * A live survey (visit type `shop`, active, no brand unless given) with `questions`
 * (default: DEFAULT_QUESTIONS, one of every type) at positions 1..n. One batch.
 */
export async function createSurvey(
  tenant: { id: string },
  options: {
    questions?: readonly QuestionSpec[];
    brandId?: string | null;
    visitType?: "shop" | "individual";
    overrides?: Partial<typeof surveys.$inferInsert>;
  } = {},
): Promise<SurveyWithQuestions> {
  const db = testDb();
  const id = options.overrides?.id ?? uuidv7();
  const specs = options.questions ?? DEFAULT_QUESTIONS;
  const surveyInsert = db
    .insert(surveys)
    .values({
      tenantId: tenant.id,
      id,
      title: `Survey ${id.slice(-12)}`,
      visitType: options.visitType ?? "shop",
      brandId: options.brandId ?? null,
      ...options.overrides,
    })
    .returning();
  if (specs.length === 0) {
    const [survey] = await surveyInsert;
    if (!survey) throw new Error("survey insert returned nothing");
    return { survey, questions: [] };
  }
  const [[survey], questions] = await db.batch([
    surveyInsert,
    db
      .insert(surveyQuestions)
      .values(
        specs.map((q, i) => ({
          tenantId: tenant.id,
          id: uuidv7(),
          surveyId: id,
          prompt: q.prompt,
          type: q.type,
          isRequired: q.isRequired ?? false,
          position: i + 1,
          options: q.options ?? null,
          minValue: q.minValue ?? null,
          maxValue: q.maxValue ?? null,
        })),
      )
      .returning(),
  ]);
  if (!survey) throw new Error("survey insert returned nothing");
  return { survey, questions: [...questions].sort((a, b) => a.position - b.position) };
}

/** A live shop at (lat, lng) — default Johannesburg CBD — named `Shop <random>`. */
export async function createShop(
  tenant: { id: string },
  overrides: Partial<typeof shops.$inferInsert> = {},
): Promise<ShopRow> {
  const id = overrides.id ?? uuidv7();
  const [row] = await testDb()
    .insert(shops)
    .values({
      tenantId: tenant.id,
      id,
      name: `Shop ${id.slice(-12)}`,
      lat: -26.2041,
      lng: 28.0473,
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("shop insert returned nothing");
  return row;
}

/** Reads straight from the database (deleted rows included), to prove what a request changed. */
export async function brandRow(tenantId: string, id: string): Promise<BrandRow | undefined> {
  return (
    await testDb()
      .select()
      .from(brands)
      .where(and(eq(brands.tenantId, tenantId), eq(brands.id, id)))
  )[0];
}

export async function surveyRow(tenantId: string, id: string): Promise<SurveyRow | undefined> {
  return (
    await testDb()
      .select()
      .from(surveys)
      .where(and(eq(surveys.tenantId, tenantId), eq(surveys.id, id)))
  )[0];
}

export async function shopRow(tenantId: string, id: string): Promise<ShopRow | undefined> {
  return (
    await testDb()
      .select()
      .from(shops)
      .where(and(eq(shops.tenantId, tenantId), eq(shops.id, id)))
  )[0];
}

/** Every question of a survey (deleted ones included), by position. */
export async function questionRows(tenantId: string, surveyId: string): Promise<QuestionRow[]> {
  return testDb()
    .select()
    .from(surveyQuestions)
    .where(and(eq(surveyQuestions.tenantId, tenantId), eq(surveyQuestions.surveyId, surveyId)))
    .orderBy(asc(surveyQuestions.position), asc(surveyQuestions.id));
}

/**
 * Every row of the tenant's catalogue (deleted included) and its audit rows: a snapshot to prove
 * a request changed nothing.
 */
export async function catalogSnapshot(tenantId: string) {
  const db = testDb();
  const [b, i, s, q, sh, a] = await db.batch([
    db.select().from(brands).where(eq(brands.tenantId, tenantId)).orderBy(asc(brands.id)),
    db
      .select()
      .from(brandInfographics)
      .where(eq(brandInfographics.tenantId, tenantId))
      .orderBy(asc(brandInfographics.id)),
    db.select().from(surveys).where(eq(surveys.tenantId, tenantId)).orderBy(asc(surveys.id)),
    db
      .select()
      .from(surveyQuestions)
      .where(eq(surveyQuestions.tenantId, tenantId))
      .orderBy(asc(surveyQuestions.id)),
    db.select().from(shops).where(eq(shops.tenantId, tenantId)).orderBy(asc(shops.id)),
    db.select().from(auditLogs).where(eq(auditLogs.tenantId, tenantId)).orderBy(asc(auditLogs.id)),
  ]);
  return { brands: b, infographics: i, surveys: s, questions: q, shops: sh, audit: a };
}
