import { and, eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import { visitAnswers, visits } from "../../src/db/schema";
import { testDb } from "./db";

export type VisitRow = typeof visits.$inferSelect;

/**
 * A visit row inserted straight into the database (no HTTP, no audit): in progress, by `agentId`
 * (a member of the tenant), for `surveyId`, started now unless overridden.
 */
export async function createVisit(
  tenant: { id: string },
  agentId: string,
  surveyId: string,
  overrides: Partial<typeof visits.$inferInsert> = {},
): Promise<VisitRow> {
  const [row] = await testDb()
    .insert(visits)
    .values({
      tenantId: tenant.id,
      id: uuidv7(),
      agentId,
      surveyId,
      visitType: "shop",
      lat: -26.2041,
      lng: 28.0473,
      startedAt: new Date(),
      ...overrides,
    })
    .returning();
  if (!row) throw new Error("visit insert returned nothing");
  return row;
}

/** The visit and its answers as stored, to prove what a request changed (or did not). */
export async function visitSnapshot(tenantId: string, id: string) {
  const db = testDb();
  const [v, a] = await db.batch([
    db
      .select()
      .from(visits)
      .where(and(eq(visits.tenantId, tenantId), eq(visits.id, id))),
    db
      .select()
      .from(visitAnswers)
      .where(and(eq(visitAnswers.tenantId, tenantId), eq(visitAnswers.visitId, id))),
  ]);
  return { visit: v[0], answers: a.sort((x, y) => x.questionId.localeCompare(y.questionId)) };
}
