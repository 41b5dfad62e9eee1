import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import type { auditLogs } from "../../db/schema";

/**
 * Photo SQL. Every statement filters on the caller's tenant and takes the caller's data scope as
 * a SQL predicate over `visits.agent_id` (and `photos.created_by` where a photo already exists):
 * a photo belongs to the visit's agent, and its taker always sees it.
 */

type AuditInsert = typeof auditLogs.$inferInsert;

/** A photo as the JSON the service maps (timestamps RFC 3339 UTC whatever the session zone). */
export interface PhotoRecord {
  id: string;
  visit_id: string;
  question_id: string | null;
  client_id: string | null;
  purpose: "shelf" | "product" | "storefront" | "survey" | "other";
  object_key: string;
  content_type: string;
  declared_size: number;
  size_bytes: number | null;
  sha256: string | null;
  status: "pending" | "uploaded";
  taken_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  uploaded_at: string | null;
}

export interface QuadrantRecord {
  id: string;
  brand_id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  area_percentage: number;
}

function iso(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The photo row under `alias` (a table or CTE name) as JSON. */
function photoJson(alias: string): SQL {
  const p = sql.raw(alias);
  return sql`json_build_object(
    'id', ${p}.id, 'visit_id', ${p}.visit_id, 'question_id', ${p}.question_id, 'client_id', ${p}.client_id,
    'purpose', ${p}.purpose, 'object_key', ${p}.object_key, 'content_type', ${p}.content_type,
    'declared_size', ${p}.declared_size, 'size_bytes', ${p}.size_bytes, 'sha256', ${p}.sha256,
    'status', ${p}.status, 'taken_at', ${iso(sql`${p}.taken_at`)}, 'created_by', ${p}.created_by,
    'created_at', ${iso(sql`${p}.created_at`)}, 'updated_at', ${iso(sql`${p}.updated_at`)},
    'uploaded_at', ${iso(sql`${p}.uploaded_at`)})`;
}

function auditColumns(audit: AuditInsert, values: { old: SQL; new: SQL }): SQL {
  return sql`${audit.tenantId}, ${audit.id}, ${audit.actorId ?? null}, ${audit.action}, ${audit.entityType},
    ${audit.entityId ?? null}, ${values.old}, ${values.new}, ${audit.ip ?? null}::inet, ${audit.userAgent ?? null},
    ${audit.requestId ?? null}`;
}

const AUDIT_INSERT = sql.raw(
  "insert into audit_logs (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values, ip, user_agent, request_id)",
);

export interface NewPhoto {
  tenantId: string;
  id: string;
  clientId: string | null;
  visitId: string;
  questionId: string | null;
  purpose: PhotoRecord["purpose"];
  objectKey: string;
  contentType: string;
  declaredSize: number;
  takenAt: string | null;
  createdBy: string;
}

export interface RegisterOutcome {
  /** The visit exists in the tenant and inside the caller's scope. */
  visitFound: boolean;
  /** No question given, or it is a question of the visit's survey. */
  questionOk: boolean;
  created: PhotoRecord | null;
  /** The caller's photo with the same client_id, if any (a resent registration). */
  existing: PhotoRecord | null;
}

/**
 * Registers a photo in one statement: the row is inserted only from the visit row found in the
 * caller's tenant and scope (`visitScope`), only if the question (if any) belongs to the visit's
 * survey, and only if the caller has no photo with this client_id yet; the audit row is inserted
 * from the inserted row. Nothing is written when any check fails.
 */
export async function registerPhoto(
  db: Db,
  photo: NewPhoto,
  visitScope: SQL,
  audit: AuditInsert,
): Promise<RegisterOutcome> {
  const t = photo.tenantId;
  const result = await db.execute<{
    visit_found: boolean;
    question_ok: boolean;
    created: PhotoRecord | null;
    existing: PhotoRecord | null;
  }>(sql`
    with visit as (
      select visits.id, visits.survey_id from visits
      where visits.tenant_id = ${t} and visits.id = ${photo.visitId} and ${visitScope}
    ),
    existing as (
      select * from photos
      where photos.tenant_id = ${t} and photos.created_by = ${photo.createdBy}
        and photos.client_id = ${photo.clientId}::text
    ),
    question_ok as (
      select (${photo.questionId}::uuid is null or exists (
        select 1 from survey_questions q join visit on q.survey_id = visit.survey_id
        where q.tenant_id = ${t} and q.id = ${photo.questionId}::uuid)) as ok
    ),
    inserted as (
      insert into photos (tenant_id, id, client_id, visit_id, question_id, purpose, object_key, content_type,
                          declared_size, taken_at, created_by)
      select ${t}, ${photo.id}, ${photo.clientId}::text, visit.id, ${photo.questionId}::uuid, ${photo.purpose},
             ${photo.objectKey}, ${photo.contentType}, ${photo.declaredSize}, ${photo.takenAt}::timestamptz,
             ${photo.createdBy}
      from visit
      where not exists (select 1 from existing) and (select ok from question_ok)
      on conflict (tenant_id, created_by, client_id) do nothing
      returning *
    ),
    audited as (
      ${AUDIT_INSERT}
      select ${auditColumns(audit, { old: sql`null`, new: sql`${JSON.stringify(audit.newValues ?? null)}::jsonb` })}
      from inserted
      returning 1
    )
    select exists (select 1 from visit) as visit_found,
      (select ok from question_ok) as question_ok,
      (select ${photoJson("inserted")} from inserted) as created,
      (select ${photoJson("existing")} from existing) as existing`);
  const row = result.rows[0];
  return {
    visitFound: row?.visit_found === true,
    questionOk: row?.question_ok === true,
    created: row?.created ?? null,
    existing: row?.existing ?? null,
  };
}

/** The caller's photo with this client_id (after losing an insert race to a concurrent resend). */
export async function findPhotoByClientId(
  db: Db,
  tenantId: string,
  createdBy: string,
  clientId: string,
): Promise<PhotoRecord | null> {
  const result = await db.execute<{ photo: PhotoRecord }>(sql`
    select ${photoJson("photos")} as photo from photos
    where photos.tenant_id = ${tenantId} and photos.created_by = ${createdBy} and photos.client_id = ${clientId}`);
  return result.rows[0]?.photo ?? null;
}

/**
 * "This photo, if the caller may see it": in the tenant, and its visit's agent or its taker inside
 * the caller's scope (`photoScope` is a predicate over visits.agent_id and photos.created_by).
 */
function visiblePhoto(tenantId: string, id: string, photoScope: SQL): SQL {
  return sql`photos.tenant_id = ${tenantId} and photos.id = ${id} and exists (
    select 1 from visits
    where visits.tenant_id = photos.tenant_id and visits.id = photos.visit_id and ${photoScope})`;
}

function quadrantsJson(photoAlias: string): SQL {
  const p = sql.raw(photoAlias);
  return sql`coalesce((
    select json_agg(json_build_object('id', q.id, 'brand_id', q.brand_id, 'x', q.x, 'y', q.y,
      'width', q.width, 'height', q.height, 'area_percentage', q.area_percentage) order by q.id)
    from shelf_quadrants q where q.tenant_id = ${p}.tenant_id and q.photo_id = ${p}.id), '[]'::json)`;
}

/** A visible photo with its shelf quadrants: one round trip. */
export async function findPhoto(
  db: Db,
  tenantId: string,
  id: string,
  photoScope: SQL,
): Promise<{ photo: PhotoRecord; quadrants: QuadrantRecord[] } | undefined> {
  const result = await db.execute<{ photo: PhotoRecord; quadrants: QuadrantRecord[] }>(sql`
    select ${photoJson("photos")} as photo, ${quadrantsJson("photos")} as quadrants
    from photos where ${visiblePhoto(tenantId, id, photoScope)}`);
  return result.rows[0];
}

export interface NewQuadrant extends QuadrantRecord {
  /** Position in the request (0-based), for error details. */
  ord: number;
  /** The photo's marked (union) area, 0..1, stored on every rectangle (the shelf-share rollups weigh by it). */
  marked_area: number;
}

export interface ReplaceOutcome {
  /** The visit of the photo, when the photo is visible to the caller. */
  visitId: string | null;
  /** Request positions whose brand is not a live brand of the tenant. */
  missingBrands: number[];
}

/**
 * Replaces a photo's quadrants atomically in one round trip (a batch = one transaction):
 * 1. locks the photo row (if visible) and reports which brands are unknown or deleted, so two
 *    concurrent submissions for one photo apply one after the other;
 * 2. in one statement, only if the photo is visible and every brand is live: deletes the old
 *    quadrants, inserts the new ones and writes the audit row with the old and new marks.
 * A refused request writes nothing.
 */
export async function replaceQuadrants(
  db: Db,
  tenantId: string,
  photoId: string,
  photoScope: SQL,
  quadrants: NewQuadrant[],
  createdBy: string,
  audit: AuditInsert,
): Promise<ReplaceOutcome> {
  const rows = sql`${JSON.stringify(quadrants)}::jsonb`;
  const brandsLive = sql`not exists (
    select 1 from jsonb_to_recordset(${rows}) as r(brand_id uuid)
    where not exists (
      select 1 from brands b where b.tenant_id = ${tenantId} and b.id = r.brand_id and b.deleted_at is null))`;
  const check = db.execute<{ visit_id: string; missing: number[] }>(sql`
    select photos.visit_id, coalesce((
      select json_agg(r.ord order by r.ord) from jsonb_to_recordset(${rows}) as r(ord int, brand_id uuid)
      where not exists (
        select 1 from brands b where b.tenant_id = ${tenantId} and b.id = r.brand_id and b.deleted_at is null)
    ), '[]'::json) as missing
    from photos where ${visiblePhoto(tenantId, photoId, photoScope)}
    for update of photos`);
  const write = db.execute(sql`
    with target as (
      select photos.tenant_id, photos.id from photos
      where ${visiblePhoto(tenantId, photoId, photoScope)} and ${brandsLive}
    ),
    removed as (
      delete from shelf_quadrants q using target
      where q.tenant_id = target.tenant_id and q.photo_id = target.id
      returning q.id, q.brand_id, q.x, q.y, q.width, q.height, q.area_percentage
    ),
    added as (
      insert into shelf_quadrants (tenant_id, id, photo_id, brand_id, x, y, width, height, area_percentage,
        marked_area, created_by)
      select target.tenant_id, r.id, target.id, r.brand_id, r.x, r.y, r.width, r.height, r.area_percentage,
             r.marked_area, ${createdBy}
      from target cross join jsonb_to_recordset(${rows})
        as r(id uuid, brand_id uuid, x float8, y float8, width float8, height float8, area_percentage float8,
          marked_area float8)
      returning 1
    ),
    audited as (
      ${AUDIT_INSERT}
      select ${auditColumns(audit, {
        old: sql`jsonb_build_object('quadrants', coalesce((
          select jsonb_agg(jsonb_build_object('brand_id', brand_id, 'x', x, 'y', y, 'width', width,
            'height', height, 'area_percentage', area_percentage) order by id) from removed), '[]'::jsonb))`,
        new: sql`${JSON.stringify(audit.newValues ?? null)}::jsonb`,
      })}
      from target
      returning 1
    )
    select (select count(*) from added)::int as added`);
  const [checked] = await db.batch([check, write]);
  const row = checked.rows[0];
  return { visitId: row?.visit_id ?? null, missingBrands: row?.missing ?? [] };
}
