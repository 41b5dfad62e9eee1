import { and, asc, eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import { brands, photos, shelfQuadrants, surveys, visits } from "../../src/db/schema";
import { testDb } from "../helpers/db";

export type VisitRow = typeof visits.$inferSelect;
export type PhotoRow = typeof photos.$inferSelect;

/** A survey and an in-progress visit of `agentId` (a member of the tenant), inserted directly. */
export async function createVisit(tenant: { id: string }, agentId: string): Promise<VisitRow> {
  const db = testDb();
  const surveyId = uuidv7();
  const id = uuidv7();
  const [, inserted] = await db.batch([
    db.insert(surveys).values({ tenantId: tenant.id, id: surveyId, title: "Shelf check", visitType: "shop" }),
    db
      .insert(visits)
      .values({
        tenantId: tenant.id,
        id,
        agentId,
        surveyId,
        visitType: "shop",
        lat: -26.2,
        lng: 28.04,
        startedAt: new Date(),
      })
      .returning(),
  ]);
  const row = inserted[0];
  if (!row) throw new Error("visit insert returned nothing");
  return row;
}

export async function createBrand(
  tenant: { id: string },
  options: { deleted?: boolean } = {},
): Promise<string> {
  const id = uuidv7();
  await testDb()
    .insert(brands)
    .values({
      tenantId: tenant.id,
      id,
      name: `Brand ${id.slice(-8)}`,
      slug: `brand-${id.slice(-12)}`,
      deletedAt: options.deleted ? new Date() : null,
    });
  return id;
}

/** A pending photo row of `visit` taken by `createdBy`, inserted directly. */
export async function createPhotoRow(visit: VisitRow, createdBy: string = visit.agentId): Promise<PhotoRow> {
  const id = uuidv7();
  const [row] = await testDb()
    .insert(photos)
    .values({
      tenantId: visit.tenantId,
      id,
      visitId: visit.id,
      purpose: "shelf",
      objectKey: `t/${visit.tenantId}/photo/${id}`,
      contentType: "image/jpeg",
      declaredSize: 1234,
      createdBy,
    })
    .returning();
  if (!row) throw new Error("photo insert returned nothing");
  return row;
}

export async function photosOfVisit(tenantId: string, visitId: string): Promise<PhotoRow[]> {
  return testDb()
    .select()
    .from(photos)
    .where(and(eq(photos.tenantId, tenantId), eq(photos.visitId, visitId)))
    .orderBy(asc(photos.id));
}

export async function photoRow(tenantId: string, id: string): Promise<PhotoRow | undefined> {
  return (
    await testDb()
      .select()
      .from(photos)
      .where(and(eq(photos.tenantId, tenantId), eq(photos.id, id)))
  )[0];
}

export async function quadrantsOf(tenantId: string, photoId: string) {
  return testDb()
    .select()
    .from(shelfQuadrants)
    .where(and(eq(shelfQuadrants.tenantId, tenantId), eq(shelfQuadrants.photoId, photoId)))
    .orderBy(asc(shelfQuadrants.id));
}

/** Deterministic bytes that look nothing like JSON: `n` bytes of a simple LCG. */
export function fakeImage(n: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    bytes[i] = s >>> 24;
  }
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface PhotoJson {
  id: string;
  visit_id: string;
  purpose: string;
  content_type: string;
  declared_size: number;
  size_bytes: number | null;
  sha256: string | null;
  status: "pending" | "uploaded";
  client_id: string | null;
  created_by: string;
  upload: { url: string; method: "PUT"; headers: Record<string, string>; expires_at: string };
  download?: { url: string; expires_at: string } | null;
  shelf_quadrants?: { id: string; brand_id: string; area_percentage: number }[];
}
