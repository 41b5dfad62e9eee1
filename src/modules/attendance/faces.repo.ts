import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, auditRow, isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import { type FaceEmbeddingDto, MAX_FACES_PER_EMPLOYEE } from "./faces.schemas";
import { cosineSql, settingsCte, vectorParam } from "./sql-parts";

function faceJson(alias: string): SQL {
  const f = sql.raw(alias);
  return sql`json_build_object('id', ${f}.id, 'employee_id', ${f}.employee_id, 'dimension', ${f}.dimension,
    'label', ${f}.label, 'consent_at', ${isoSql(sql`${f}.consent_at`)}, 'enrolled_by', ${f}.enrolled_by,
    'created_at', ${isoSql(sql`${f}.created_at`)})`;
}

const liveEmployee = (ctx: TenantContext, employeeId: string) => sql`emp as (
  select e.id from employees e
  where e.tenant_id = ${ctx.tenantId}::uuid and e.id = ${employeeId}::uuid and e.deleted_at is null)`;

export type EnrollRefusal = "employee" | "dimension" | "limit";

/**
 * Stores a unit-length descriptor for a live employee of the tenant with the consent time and
 * the enrolling user, in one statement: refused when the employee is unknown, the length is not
 * the tenant's dimension, or the employee already has the maximum (`employees.face_count`, which
 * this statement and the erasure keep). Audited (never the vector).
 */
export async function insertFace(
  ctx: TenantContext,
  employeeId: string,
  vector: number[],
  label: string | null,
): Promise<{ row: FaceEmbeddingDto | null; refusal: EnrollRefusal | null; dimension: number }> {
  const id = uuidv7();
  const audit = auditRow(ctx, {
    action: "face_embedding.create",
    entityType: "face_embedding",
    entityId: id,
  });
  const result = await ctx.db.execute<{
    row: FaceEmbeddingDto | null;
    refusal: EnrollRefusal | null;
    dimension: number;
  }>(sql`
    with ${settingsCte(ctx)}, ${liveEmployee(ctx, employeeId)},
    plan as (
      select case
        when not exists (select 1 from emp) then 'employee'
        when ${vector.length}::int <> (select dimension from cfg) then 'dimension'
      end as refusal
    ),
    -- The slot: the employee's count goes up only while below the limit. A concurrent enrolment
    -- waits for this row and re-reads the count, so two never pass the limit together.
    slot as (
      update employees e set face_count = e.face_count + 1
      from plan where plan.refusal is null
        and e.tenant_id = ${ctx.tenantId}::uuid and e.id = ${employeeId}::uuid
        and e.face_count < ${MAX_FACES_PER_EMPLOYEE}
      returning e.id
    ),
    ins as (
      insert into face_embeddings (tenant_id, id, employee_id, vector, dimension, label, consent_at, enrolled_by)
      select ${ctx.tenantId}::uuid, ${id}::uuid, slot.id, ${vectorParam(vector)}, ${vector.length}::int,
        ${label}::text, now(), ${ctx.userId}::uuid
      from slot
      returning *
    ),
    aud as (${auditInsertSelect(audit, { old: sql`null::jsonb`, new: sql`jsonb_build_object('employee_id', ins.employee_id, 'dimension', ins.dimension, 'label', ins.label, 'consent_at', ins.consent_at)` }, sql`from ins`)})
    select (select ${faceJson("ins")} from ins) as row,
      coalesce((select refusal from plan), case when not exists (select 1 from slot) then 'limit' end) as refusal,
      (select dimension from cfg) as dimension`);
  const row = result.rows[0];
  return { row: row?.row ?? null, refusal: row?.refusal ?? null, dimension: Number(row?.dimension ?? 0) };
}

/** The descriptors of a live employee (metadata only), or null when there is no such employee. */
export async function selectFaces(
  ctx: TenantContext,
  employeeId: string,
): Promise<FaceEmbeddingDto[] | null> {
  const result = await ctx.db.execute<{ found: boolean; rows: FaceEmbeddingDto[] }>(sql`
    with ${liveEmployee(ctx, employeeId)}
    select exists (select 1 from emp) as found,
      coalesce((select json_agg(${faceJson("f")} order by f.created_at, f.id) from face_embeddings f
        where f.tenant_id = ${ctx.tenantId}::uuid and f.employee_id = ${employeeId}::uuid), '[]'::json) as rows`);
  const row = result.rows[0];
  return row?.found ? row.rows : null;
}

/**
 * Erasure: deletes one descriptor (`embeddingId`) or all of an employee's, for good, with one
 * audit row naming what was erased (ids and count, never vectors). Null when the employee (or
 * the named descriptor) is not there.
 */
export async function deleteFaces(
  ctx: TenantContext,
  employeeId: string,
  embeddingId: string | null,
): Promise<number | null> {
  const audit = auditRow(ctx, {
    action: embeddingId ? "face_embedding.delete" : "face_embedding.erase_all",
    entityType: embeddingId ? "face_embedding" : "employee",
    entityId: embeddingId ?? employeeId,
  });
  const which = embeddingId ? sql`and f.id = ${embeddingId}::uuid` : sql``;
  const result = await ctx.db.execute<{ found: boolean; deleted: number }>(sql`
    with emp as (
      select e.id from employees e where e.tenant_id = ${ctx.tenantId}::uuid and e.id = ${employeeId}::uuid
    ),
    del as (
      delete from face_embeddings f using emp
      where f.tenant_id = ${ctx.tenantId}::uuid and f.employee_id = emp.id ${which}
      returning f.id, f.dimension, f.label, f.consent_at
    ),
    counted as (
      update employees e set face_count = greatest(0, e.face_count - (select count(*) from del))
      from emp where e.tenant_id = ${ctx.tenantId}::uuid and e.id = emp.id and exists (select 1 from del)
    ),
    aud as (${auditInsertSelect(audit, { old: sql`(select jsonb_build_object('employee_id', ${employeeId}::uuid, 'erased', jsonb_agg(jsonb_build_object('id', id, 'dimension', dimension, 'label', label, 'consent_at', consent_at))) from del)`, new: sql`jsonb_build_object('erased_count', (select count(*) from del))` }, sql`where exists (select 1 from del)`)})
    select exists (select 1 from emp) as found, (select count(*)::int from del) as deleted`);
  const row = result.rows[0];
  if (!row?.found) return null;
  if (embeddingId && row.deleted === 0) return null;
  return row.deleted;
}

export type IdentifyRow = {
  employee_id: string | null;
  employee_code: string | null;
  first_name: string | null;
  last_name: string | null;
  score: number | null;
  threshold: number;
  face_on: boolean;
  /** Whether the tenant has at least one descriptor of the probe's length. */
  enrolled: boolean;
};

/** cube's limit: at most 100 dimensions per point (`face_chunks()` splits at the same place). */
const CHUNK = 100;

/**
 * The squared Euclidean distance of the stored descriptor (`fe.chunks`) to `vector`, chunk by
 * chunk: each `<->` is one C call over up to 100 components. For unit vectors it orders exactly
 * as the cosine does (|a − b|² = 2 − 2 a·b).
 */
function squaredDistanceSql(vector: readonly number[]): SQL {
  const terms: SQL[] = [];
  for (let i = 0; i * CHUNK < vector.length; i++) {
    const chunk = vector.slice(i * CHUNK, (i + 1) * CHUNK);
    terms.push(sql`power(fe.chunks[${i + 1}] <-> cube(${vectorParam(chunk)}::float8[]), 2)`);
  }
  return sql.join(terms, sql` + `);
}

/**
 * The tenant's best face match for a unit-length descriptor: the live, not terminated employee
 * whose enrolled descriptor is the most similar (cosine = dot product of unit vectors), with the
 * tenant's threshold. One statement. Exact: every descriptor of the probe's length is compared,
 * by distance over its cube chunks (C code, a few calls per descriptor instead of an unnest of
 * every component); the nearest eight are scored by their dot product (the caller compares the
 * best with the threshold).
 */
export async function identifyFace(ctx: TenantContext, vector: number[]): Promise<IdentifyRow | undefined> {
  const result = await ctx.db.execute<IdentifyRow>(sql`
    with ${settingsCte(ctx)},
    near as (
      select fe.employee_id, fe.vector
      from face_embeddings fe
      where fe.tenant_id = ${ctx.tenantId}::uuid and fe.dimension = ${vector.length}::int
      order by ${squaredDistanceSql(vector)} limit 8
    ),
    best as (
      select fe.employee_id, ${cosineSql(vectorParam(vector))} as score from near fe
    ),
    pick as (
      select e.id, e.employee_code, e.first_name, e.last_name, b.score
      from best b join employees e on e.tenant_id = ${ctx.tenantId}::uuid and e.id = b.employee_id
      where e.deleted_at is null and e.status <> 'terminated'
      order by b.score desc limit 1
    )
    select (select id from pick) as employee_id, (select employee_code from pick) as employee_code,
      (select first_name from pick) as first_name, (select last_name from pick) as last_name,
      (select score from pick) as score, cfg.threshold, cfg.face_on,
      exists (select 1 from near) as enrolled from cfg`);
  return result.rows[0];
}
