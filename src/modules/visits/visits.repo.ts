import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, isoSql, jsonb } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import type { Db } from "../../core/db";
import type { ErrorDetail } from "../../core/errors";
import { scopePredicate } from "../../core/scope";
import type { auditLogs, QUESTION_TYPES } from "../../db/schema";
import { visits } from "../../db/schema";
import { checkedAnswers, requiredProblems } from "./answers";
import type { VisitDto, VisitPhotoDto } from "./visits.schemas";

/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;

/** A visit row of table `alias` as the API's JSON, built in SQL so reads need no second pass. */
function visitJson(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`json_build_object(
    'id', ${a}.id, 'client_id', ${a}.client_id, 'agent_id', ${a}.agent_id, 'survey_id', ${a}.survey_id,
    'shop_id', ${a}.shop_id, 'visit_type', ${a}.visit_type, 'status', ${a}.status, 'lat', ${a}.lat, 'lng', ${a}.lng,
    'accuracy_m', ${a}.accuracy_m, 'shop_distance_m', ${a}.shop_distance_m, 'outside_geofence', ${a}.outside_geofence,
    'notes', ${a}.notes, 'started_at', ${isoSql(sql`${a}.started_at`)},
    'completed_at', ${isoSql(sql`${a}.completed_at`)}, 'created_at', ${isoSql(sql`${a}.created_at`)},
    'updated_at', ${isoSql(sql`${a}.updated_at`)})`;
}

function photoJson(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`json_build_object('id', ${a}.id, 'purpose', ${a}.purpose, 'content_type', ${a}.content_type,
    'status', ${a}.status, 'size_bytes', ${a}.size_bytes, 'sha256', ${a}.sha256, 'question_id', ${a}.question_id,
    'taken_at', ${isoSql(sql`${a}.taken_at`)}, 'created_at', ${isoSql(sql`${a}.created_at`)},
    'object_key', ${a}.object_key)`;
}

export interface NewVisit {
  id: string;
  clientId: string | null;
  surveyId: string;
  shopId: string | null;
  visitType: string | null;
  lat: number;
  lng: number;
  accuracyM: number | null;
  startedAt: string;
  notes: string | null;
}

export interface StartResult {
  created: VisitDto | null;
  existing: VisitDto | null;
  surveyFound: boolean;
  shopFound: boolean;
}

/**
 * Starts a visit in one statement: the survey and shop are checked inside the tenant, the
 * distance to the shop is computed (haversine) and compared with the tenant's geofence radius,
 * and the audit row is written only if the visit was. A start resent with the same client id
 * conflicts on (tenant, agent, client_id) and returns the visit that already exists.
 */
export async function insertVisit(
  db: Db,
  ctx: TenantContext,
  v: NewVisit,
  audit: typeof auditLogs.$inferInsert,
): Promise<StartResult> {
  const lat = sql`${v.lat}::float8`;
  const lng = sql`${v.lng}::float8`;
  const shopId = sql`${v.shopId}::uuid`;
  const result = await db.execute<{
    created: VisitDto | null;
    existing: VisitDto | null;
    survey_found: boolean;
    shop_found: boolean;
  }>(sql`
    with s as (
      select id, visit_type from surveys
      where tenant_id = ${ctx.tenantId} and id = ${v.surveyId} and deleted_at is null and is_active
    ),
    sh as (
      select id, lat, lng from shops where tenant_id = ${ctx.tenantId} and id = ${shopId} and deleted_at is null
    ),
    cfg as (
      select coalesce((settings->>'geofence_radius_m')::float8, 200) as radius from tenants where id = ${ctx.tenantId}
    ),
    calc as (
      select s.id as survey_id, s.visit_type, sh.id as shop_id, cfg.radius,
        case when sh.id is null then null else 2 * ${EARTH_RADIUS_M}::float8 * asin(sqrt(
          power(sin(radians(sh.lat - ${lat}) / 2), 2)
          + cos(radians(${lat})) * cos(radians(sh.lat)) * power(sin(radians(sh.lng - ${lng}) / 2), 2))) end as dist
      from s cross join cfg left join sh on true
      where (${shopId} is null) = (sh.id is null)
    ),
    ins as (
      insert into visits (tenant_id, id, client_id, agent_id, survey_id, shop_id, visit_type, lat, lng, accuracy_m,
                          shop_distance_m, outside_geofence, notes, started_at)
      select ${ctx.tenantId}::uuid, ${v.id}::uuid, ${v.clientId}::text, ${ctx.userId}::uuid, survey_id, shop_id,
             coalesce(${v.visitType}::text, visit_type), ${lat}, ${lng}, ${v.accuracyM}::float8, dist,
             coalesce(dist > radius, false), ${v.notes}::text, ${v.startedAt}::timestamptz
      from calc
      on conflict (tenant_id, agent_id, client_id) do nothing
      returning *
    ),
    audit as (${auditInsertSelect(audit, { old: sql`null`, new: sql`to_jsonb(ins)` }, sql`from ins`)})
    select
      (select ${visitJson("ins")} from ins) as created,
      (select ${visitJson("e")} from visits e
        where e.tenant_id = ${ctx.tenantId} and e.agent_id = ${ctx.userId} and e.client_id = ${v.clientId}::text) as existing,
      exists (select 1 from s) as survey_found,
      (${shopId} is null or exists (select 1 from sh)) as shop_found`);
  const row = result.rows[0];
  return {
    created: row?.created ?? null,
    existing: row?.existing ?? null,
    surveyFound: row?.survey_found === true,
    shopFound: row?.shop_found === true,
  };
}

/** A visit found again by its client id (after losing an insert race to a concurrent resend). */
export async function findVisitByClientId(
  db: Db,
  ctx: TenantContext,
  clientId: string,
): Promise<VisitDto | null> {
  const result = await db.execute<{ v: VisitDto }>(sql`
    select ${visitJson("e")} as v from visits e
    where e.tenant_id = ${ctx.tenantId} and e.agent_id = ${ctx.userId} and e.client_id = ${clientId}`);
  return result.rows[0]?.v ?? null;
}

/** How a completion ended: written, or why not (nothing was written then). */
export type CompletionOutcome =
  | { kind: "completed"; visit: VisitDto }
  | { kind: "not_found" | "not_own" | "already_completed" | "before_start" }
  | { kind: "invalid"; problems: ErrorDetail[] };

/**
 * Completes a visit in ONE statement: finds the visit in the caller's scope, checks it is the
 * caller's own and still in progress, checks the answers against its survey and the photo ids
 * against its photos (`answers.ts`, in SQL), checks completed_at is not before started_at, and
 * only then completes it with its answers (the question's prompt and type snapshotted) and audit
 * row. The outcome says which check failed; a completion that fails writes nothing, and of two
 * concurrent completions only one updates the row (`status = 'in_progress'` in the UPDATE).
 */
export async function completeVisitChecked(
  db: Db,
  ctx: TenantContext,
  id: string,
  completion: { completedAt: string; notes: string | null; answers: unknown; photoIds: string[] },
  audit: typeof auditLogs.$inferInsert,
): Promise<CompletionOutcome> {
  const result = await db.execute<{
    verdict: "not_found" | "not_own" | "already_completed" | "invalid" | "before_start" | "ok";
    problems: ErrorDetail[];
    visit: VisitDto | null;
  }>(sql`
    with v as (
      select visits.*, ${scopePredicate(ctx, [visits.agentId])} as visible
      from visits where visits.tenant_id = ${ctx.tenantId} and visits.id = ${id}
    ),
    q as (select q.* from survey_questions q join v on q.tenant_id = v.tenant_id and q.survey_id = v.survey_id),
    vp as (select p.id from photos p join v on p.tenant_id = v.tenant_id and p.visit_id = v.id),
    a as (
      select (x.n - 1)::int as i, lower(x.e ->> 'question_id') as qid, x.e -> 'value' as val
      from jsonb_array_elements(${jsonb(completion.answers)}) with ordinality as x(e, n)
    ),
    checked as (${checkedAnswers()}),
    problems as (
      select 0 as part, c.i as pos, c.field, c.problem from checked c where c.problem is not null
      union all select 1, r.position, r.field, r.problem from (${requiredProblems()}) r
      union all select 2, (x.n - 1)::int, 'photo_ids.' || (x.n - 1), 'Not a photo of this visit'
        from jsonb_array_elements_text(${jsonb(completion.photoIds)}) with ordinality as x(p, n)
        where not exists (select 1 from vp where vp.id::text = lower(x.p))
    ),
    verdict as (
      select case
        when not exists (select 1 from v where v.visible) then 'not_found'
        when (select v.agent_id from v) <> ${ctx.userId}::uuid then 'not_own'
        when (select v.status from v) = 'completed' then 'already_completed'
        when exists (select 1 from problems) then 'invalid'
        when (select v.started_at from v) > ${completion.completedAt}::timestamptz then 'before_start'
        else 'ok' end as verdict
    ),
    done as (
      update visits set status = 'completed', completed_at = ${completion.completedAt}::timestamptz,
        notes = coalesce(${completion.notes}::text, notes), updated_at = now()
      where tenant_id = ${ctx.tenantId} and id = ${id} and agent_id = ${ctx.userId} and status = 'in_progress'
        and (select verdict from verdict) = 'ok'
      returning *
    ),
    ans as (
      insert into visit_answers (tenant_id, visit_id, question_id, value, question_prompt, question_type)
      select done.tenant_id, done.id, c.question_id, c.val, c.prompt, c.type
      from done cross join checked c where c.stored
      returning 1
    ),
    audit as (${auditInsertSelect(
      audit,
      {
        old: sql`jsonb_build_object('status', 'in_progress')`,
        new: sql`jsonb_build_object('status', 'completed', 'answers', (select count(*) from checked where stored),
          'photo_ids', ${jsonb(completion.photoIds)})`,
      },
      sql`from done`,
    )})
    select (select verdict from verdict) as verdict,
      coalesce((select json_agg(json_build_object('field', field, 'message', problem) order by part, pos)
        from problems), '[]'::json) as problems,
      (select ${visitJson("done")} from done) as visit`);
  const row = result.rows[0];
  if (!row) throw new Error("visit completion returned no row");
  if (row.verdict === "ok") {
    // Checked and valid, yet not updated: a concurrent completion got there first.
    return row.visit ? { kind: "completed", visit: row.visit } : { kind: "already_completed" };
  }
  if (row.verdict === "invalid") return { kind: "invalid", problems: row.problems };
  return { kind: row.verdict };
}

export interface VisitFilters {
  agentId?: string;
  shopId?: string;
  surveyId?: string;
  status?: string;
  from?: string;
  to?: string;
  after?: { startedAt: string; id: string };
  limit: number;
  includeTotal: boolean;
}

/**
 * A keyset page of visits in the caller's scope, newest first, in one round trip (the total, when
 * asked, rides along as a window count). Every filter is led by tenant_id and served by an index.
 */
export async function selectVisits(
  db: Db,
  ctx: TenantContext,
  f: VisitFilters,
): Promise<{ rows: VisitDto[]; total: number | null }> {
  const where: SQL[] = [sql`visits.tenant_id = ${ctx.tenantId}`, scopePredicate(ctx, [visits.agentId])];
  if (f.agentId) where.push(sql`visits.agent_id = ${f.agentId}`);
  if (f.shopId) where.push(sql`visits.shop_id = ${f.shopId}`);
  if (f.surveyId) where.push(sql`visits.survey_id = ${f.surveyId}`);
  if (f.status) where.push(sql`visits.status = ${f.status}`);
  if (f.from) where.push(sql`visits.started_at >= ${f.from}::timestamptz`);
  if (f.to) where.push(sql`visits.started_at < ${f.to}::timestamptz`);
  const page = f.after
    ? sql`and (visits.started_at, visits.id) < (${f.after.startedAt}::timestamptz, ${f.after.id}::uuid)`
    : sql``;
  // Late row lookup: the page's keys come from the index alone (filter, order, limit), and only
  // those rows are read from the heap and turned into JSON — not every row the filter matched.
  const result = await db.execute<{ v: VisitDto; total: number | null }>(sql`
    select ${visitJson("v")} as v, k.total
    from (
      select visits.tenant_id, visits.id, visits.started_at,
        ${f.includeTotal ? sql`count(*) over ()` : sql`null`}::int as total
      from visits where ${sql.join(where, sql` and `)} ${page}
      order by visits.started_at desc, visits.id desc
      limit ${f.limit}
    ) k
    join visits v on v.tenant_id = k.tenant_id and v.id = k.id
    order by k.started_at desc, k.id desc`);
  return {
    rows: result.rows.map((r) => r.v),
    total: f.includeTotal ? Number(result.rows[0]?.total ?? 0) : null,
  };
}

export interface VisitDetailRow {
  visit: VisitDto;
  answers: {
    question_id: string;
    question_prompt: string;
    /** Copied from the question when answered: always one of the question types. */
    question_type: (typeof QUESTION_TYPES)[number];
    value: unknown;
  }[];
  photos: (VisitPhotoDto & { object_key: string })[];
}

/** One visit in the caller's scope with its answers and photos: one round trip. */
export async function selectVisitDetail(
  db: Db,
  ctx: TenantContext,
  id: string,
): Promise<VisitDetailRow | undefined> {
  const result = await db.execute<{
    visit: VisitDto;
    answers: VisitDetailRow["answers"];
    photos: VisitDetailRow["photos"];
  }>(sql`
    select ${visitJson("visits")} as visit,
      coalesce((select json_agg(json_build_object('question_id', a.question_id, 'question_prompt', a.question_prompt,
                  'question_type', a.question_type, 'value', a.value) order by q.position, a.question_id)
         from visit_answers a left join survey_questions q on q.tenant_id = a.tenant_id and q.id = a.question_id
         where a.tenant_id = visits.tenant_id and a.visit_id = visits.id), '[]'::json) as answers,
      coalesce((select json_agg(${photoJson("p")} order by p.created_at, p.id)
         from photos p where p.tenant_id = visits.tenant_id and p.visit_id = visits.id), '[]'::json) as photos
    from visits
    where visits.tenant_id = ${ctx.tenantId} and visits.id = ${id} and ${scopePredicate(ctx, [visits.agentId])}`);
  return result.rows[0];
}

/** The photos of a visit in the caller's scope; `undefined` when the visit is not visible. One round trip. */
export async function selectVisitPhotos(
  db: Db,
  ctx: TenantContext,
  id: string,
): Promise<(VisitPhotoDto & { object_key: string })[] | undefined> {
  const result = await db.execute<{ photos: (VisitPhotoDto & { object_key: string })[] }>(sql`
    select coalesce((select json_agg(${photoJson("p")} order by p.created_at, p.id)
         from photos p where p.tenant_id = visits.tenant_id and p.visit_id = visits.id), '[]'::json) as photos
    from visits
    where visits.tenant_id = ${ctx.tenantId} and visits.id = ${id} and ${scopePredicate(ctx, [visits.agentId])}`);
  return result.rows[0]?.photos;
}
