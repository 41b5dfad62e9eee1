import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { auditInsertSelect, auditRow } from "../audit";
import type { TenantContext } from "../context";
import { uuidv7 } from "../ids";
import type { PageRequest } from "../pagination";
import type { AnyResource } from "./declaration";
import {
  auditValues,
  declaredSort,
  flat,
  live,
  missingReference,
  param,
  projection,
  type Sort,
  tableSql,
  visible,
} from "./sql";

/**
 * The statements of a standard resource. Every write is ONE statement: the change, its audit row
 * (core/audit's auditInsertSelect, so a refused or stale write audits nothing) and the checks that
 * decide 404 / 409 / 412 are data-modifying CTEs of the same statement. Every read is one query.
 * The tenant and data-scope predicates come from sql.ts, never from the caller.
 */

/** The row's JSON under an alias (default: the declared projection). */
export type Projection = (alias: string) => SQL;

export interface WriteOutcome<T> {
  /** The row exists, live, in the tenant and the caller's scope. */
  found: boolean;
  /** Its version when the statement started (null when not found). */
  currentVersion: number | null;
  /** Why the write was refused, nothing written (the kit's: a declared reference not in the tenant, by field). */
  refusal: string | null;
  /** The row after the write; null when nothing was written. */
  row: T | null;
}

/** What a versioned write statement selects last (see versionedWrite), as a `WriteOutcome`. */
export type WriteResultRow<T> = {
  found: boolean;
  current_version: number | null;
  refusal: string | null;
  row: T | null;
};

/** Reads the last row of a versioned write statement; shared with hand-built writes (questions). */
export function writeOutcome<T>(row: WriteResultRow<T> | undefined): WriteOutcome<T> {
  return {
    found: row?.found === true,
    currentVersion: row?.current_version ?? null,
    refusal: row?.refusal ?? null,
    row: row?.row ?? null,
  };
}

function auditFor(ctx: TenantContext, res: AnyResource, verb: string, id: string) {
  return auditRow(ctx, { action: `${res.name}.${verb}`, entityType: res.name, entityId: id });
}

/**
 * Inserts a row (the fields `values` holds; the others take their column defaults) with
 * tenant_id, id and created_by from the server, and its audit row. A declared reference that is
 * not in the tenant → nothing written, `missing` names it. A unique index raises as usual.
 */
export async function insertRow<T>(
  ctx: TenantContext,
  res: AnyResource,
  values: Record<string, unknown>,
  json: Projection = (a) => projection(res, a),
): Promise<{ missing: string | null; row: T | null }> {
  const id = uuidv7();
  const keys = Object.keys(res.fields).filter((key) => values[key] !== undefined);
  const columns = keys.map((key) => sql.identifier(res.fields[key]?.column.name ?? key));
  const params = keys.map((key) => {
    const f = res.fields[key];
    if (!f) throw new Error(`unknown field ${key}`);
    return param(f.column, values[key]);
  });
  const result = await ctx.db.execute<{ missing: string | null; row: T | null }>(sql`
    with refs as (select ${missingReference(ctx, res, values)} as missing),
    ins as (
      insert into ${tableSql(res)} (tenant_id, id, created_by${sql.join(
        columns.map((c) => sql`, ${c}`),
        sql``,
      )})
      select ${ctx.tenantId}::uuid, ${id}::uuid, ${ctx.userId}::uuid${sql.join(
        params.map((p) => sql`, ${p}`),
        sql``,
      )}
      from refs where refs.missing is null
      returning *
    ),
    aud as (${auditInsertSelect(auditFor(ctx, res, "create", id), { old: sql`null::jsonb`, new: auditValues(res, "ins") }, sql`from ins`)})
    select (select missing from refs) as missing, (select ${json("ins")} from ins) as row`);
  const row = result.rows[0];
  return { missing: row?.missing ?? null, row: row?.row ?? null };
}

/** One live row of the tenant within the caller's scope. */
export async function findRow<T>(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  json: Projection = (a) => projection(res, a),
): Promise<T | undefined> {
  const result = await ctx.db.execute<{ row: T }>(sql`
    select ${json("t")} as row from ${tableSql(res)} t
    where ${visible(ctx, res, "t")} and t.id = ${id}::uuid and ${live("t")}`);
  return result.rows[0]?.row;
}

interface Change {
  sets: SQL[];
  old: SQL;
  new: SQL;
  verb: "update" | "delete";
  missing: SQL;
}

/**
 * The versioned write under every update and delete: `cur` (the live row in tenant and scope),
 * a refusal check, then the UPDATE whose WHERE carries the If-Match version — Postgres
 * re-evaluates it on the newest row version, so of two writers holding the same version exactly
 * one wins and the other finds no row (a 412 for the caller).
 */
async function versionedWrite<T>(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  change: Change,
  expectedVersion: number | undefined,
  json: Projection,
): Promise<WriteOutcome<T>> {
  const versionCheck = expectedVersion === undefined ? sql`` : sql`and t.version = ${expectedVersion}::int`;
  const sets = change.sets.length ? sql`${sql.join(change.sets, sql`, `)}, ` : sql``;
  const result = await ctx.db.execute<WriteResultRow<T>>(sql`
    with cur as (
      select * from ${tableSql(res)} c where ${visible(ctx, res, "c")} and c.id = ${id}::uuid and ${live("c")}
    ),
    plan as (select cur.id, ${change.missing} as missing from cur),
    upd as (
      update ${tableSql(res)} t set ${sets}version = t.version + 1, updated_at = now()
      from plan
      where t.tenant_id = ${ctx.tenantId}::uuid and t.id = plan.id and t.deleted_at is null
        and plan.missing is null ${versionCheck}
      returning t.*
    ),
    aud as (${auditInsertSelect(auditFor(ctx, res, change.verb, id), { old: change.old, new: change.new }, sql`from upd, cur`)})
    select exists (select 1 from cur) as found, (select version from cur) as current_version,
      (select missing from plan) as refusal, (select ${json("upd")} from upd) as row`);
  return writeOutcome(result.rows[0]);
}

/**
 * A partial update: only the fields `values` holds are set and audited (old and new). `check` is
 * a custom update's own refusal, a text expression over the stored row `cur` (null: none) — e.g. a
 * rule across fields that needs the stored values of the fields the body leaves out; it is
 * decided inside the same statement, after the declared references.
 */
export function updateRow<T>(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  values: Record<string, unknown>,
  expectedVersion: number | undefined,
  json: Projection = (a) => projection(res, a),
  check: SQL = sql`null::text`,
): Promise<WriteOutcome<T>> {
  const keys = Object.keys(res.fields).filter((key) => values[key] !== undefined);
  const sets = keys.map((key) => {
    const f = res.fields[key];
    if (!f) throw new Error(`unknown field ${key}`);
    return sql`${sql.identifier(f.column.name)} = ${param(f.column, values[key])}`;
  });
  const change: Change = {
    sets,
    old: auditValues(res, "cur", keys),
    new: auditValues(res, "upd", keys),
    verb: "update",
    missing: sql`coalesce(${missingReference(ctx, res, values)}, ${check})`,
  };
  return versionedWrite<T>(ctx, res, id, change, expectedVersion, json);
}

/**
 * Soft delete: 404 and gone from lists afterwards; the audit row keeps the values it had.
 * `refusal` (text over the live row `cur`, null to allow) lets a custom delete refuse, nothing written.
 */
export function softDeleteRow<T>(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  expectedVersion: number | undefined,
  refusal: SQL = sql`null::text`,
): Promise<WriteOutcome<T>> {
  const change: Change = {
    sets: [sql`deleted_at = now()`],
    old: auditValues(res, "cur"),
    new: sql`jsonb_build_object('deleted_at', upd.deleted_at)`,
    verb: "delete",
    missing: refusal,
  };
  return versionedWrite<T>(ctx, res, id, change, expectedVersion, (a) => projection(res, a));
}

/**
 * Brings a soft-deleted row of the tenant (in scope) back, audited, in one statement; null when
 * there is no such deleted row. A unique index that a newer row now holds raises as usual (409).
 */
export async function restoreRow<T>(ctx: TenantContext, res: AnyResource, id: string): Promise<T | null> {
  const result = await ctx.db.execute<{ row: T | null }>(sql`
    with upd as (
      update ${tableSql(res)} t set deleted_at = null, version = t.version + 1, updated_at = now()
      where ${visible(ctx, res, "t")} and t.id = ${id}::uuid and t.deleted_at is not null
      returning t.*
    ),
    aud as (${auditInsertSelect(auditFor(ctx, res, "restore", id), { old: sql`null::jsonb`, new: auditValues(res, "upd") }, sql`from upd`)})
    select (select ${projection(res, "upd")} from upd) as row`);
  return result.rows[0]?.row ?? null;
}

/**
 * A custom list's parts: more conditions (over `t`), computed columns (over `t`), a condition on
 * those (`having`, over `t`), another sort, extra item pairs (over `f`, the filtered row).
 */
export interface ListOptions {
  /** Common table expressions the other parts may read, evaluated once (e.g. the Finder's query). */
  with?: SQL;
  where?: SQL[];
  columns?: Record<string, SQL>;
  having?: SQL;
  sort?: Sort;
  extra?: Record<string, SQL>;
  /** Transaction-local settings (`set_config(name, value, true)`) the list runs with, in the same round trip (e.g. a pg_trgm threshold). */
  settings?: Record<string, string>;
  /** Scalar values read in the same round trip, just before the list (e.g. the data version a cache keys on). */
  also?: Record<string, SQL>;
  /** Another way to the same answer (e.g. a precomputed index), used when its condition holds. */
  source?: ListSource;
}

/**
 * When `when` (a boolean over the `with` parts) is true, `page(request)` supplies the page's rows
 * — `id`, the sort key `k` and the computed columns, in the list's order, from the keyset position
 * or offset — and `total` (an int) their count, instead of the matching rows being filtered, sorted
 * and counted. It must answer exactly what the generic path would: only for cases where that is provable.
 */
export interface ListSource {
  when: SQL;
  page: (request: { limit: number; offset: number; after: ListKey | undefined }) => SQL;
  total: SQL;
}

/** The cursor position of a list row: its sort key as text (it casts back exactly) and its id. */
export const keySchema = z.tuple([z.string().max(1000), z.uuid()]);
export type ListKey = z.infer<typeof keySchema>;

/**
 * One page of live rows of the tenant in the caller's scope — by offset or after a keyset
 * position, `request.limit` rows — and the count of all matching rows when asked: one query.
 * The matching rows are kept narrow (id, sort key, computed columns) for the count and the sort;
 * only the page's rows are read whole (by primary key), so a large match set is never copied.
 * `options.also` adds scalar values read in the same round trip just before the list, returned in `also`.
 */
export async function listRows<T>(
  ctx: TenantContext,
  res: AnyResource,
  request: PageRequest<ListKey>,
  options: ListOptions = {},
): Promise<{ total: number | null; rows: { item: T; key: ListKey }[]; also: Record<string, unknown> }> {
  const sort = options.sort ?? declaredSort(res);
  const json = (a: string) => projection(res, a, options.extra);
  const dir = sort.descending ? sql`desc` : sql`asc`;
  const computed = Object.keys(options.columns ?? {});
  const extra = Object.entries(options.columns ?? {}).map(
    ([name, value]) => sql`, ${value} as ${sql.identifier(name)}`,
  );
  const narrow = (alias: string) =>
    sql.join(
      computed.map((name) => sql`, ${sql.raw(alias)}.${sql.identifier(name)}`),
      sql``,
    );
  const conditions = [visible(ctx, res, "t"), live("t"), ...(options.where ?? [])];
  const after = request.after
    ? sql`where (f.k, f.id) ${sort.descending ? sql`<` : sql`>`} (${request.after[0]}::${sql.raw(sort.type)}, ${request.after[1]}::uuid)`
    : sql``;
  type Page = { total: number | null; rows: { item: T; key: ListKey }[] };
  const source = options.source;
  // With a source, exactly one of the two arms runs: each is gated by a one-time filter.
  const generic = sql`
      select f.* from filtered f ${after}
      order by f.k ${dir}, f.id ${dir}
      limit ${request.limit} offset ${request.offset}`;
  const pageRows = source
    ? sql`select g.* from (${generic}) g where not (${source.when})
      union all
      select s.id, s.k${narrow("s")} from (${source.page(request)}) s where ${source.when}`
    : generic;
  const count = sql`(select count(*)::int from filtered)`;
  const total = source ? sql`case when ${source.when} then (${source.total}) else ${count} end` : count;
  const statement = sql`
    with ${options.with ? sql`${options.with}, ` : sql``}filtered as (
      select t.id, ${sort.key("t")} as k${narrow("t")} from (
        select t.*${sql.join(extra, sql``)} from ${tableSql(res)} t where ${sql.join(conditions, sql` and `)}
      ) t ${options.having ? sql`where ${options.having}` : sql``}
    ),
    page as (${pageRows})
    select ${request.includeTotal ? total : sql`null::int`} as total,
      coalesce((
        select json_agg(json_build_object('item', p.j, 'key', json_build_array(p.k::text, p.id)) order by p.k ${dir}, p.id ${dir})
        from (
          select ${json("f")} as j, pg.k, pg.id
          from page pg
          join ${tableSql(res)} r on r.tenant_id = ${ctx.tenantId}::uuid and r.id = pg.id
          cross join lateral (select r.*${narrow("pg")}) f
        ) p
      ), '[]'::json) as rows`;
  const settings = Object.entries(options.settings ?? {}).map(
    ([name, value]) => sql`set_config(${name}::text, ${value}::text, true)`,
  );
  const also = Object.entries(options.also ?? {}).map(
    ([name, value]) => sql`${value} as ${sql.identifier(name)}`,
  );
  // One round trip: `also` first (before the settings, which are for the list; read before the
  // page, so what it describes is never older than the page), then the settings, then the list.
  const before = [
    ...(also.length ? [ctx.db.execute<Record<string, unknown>>(sql`select ${sql.join(also, sql`, `)}`)] : []),
    ...(settings.length ? [ctx.db.execute(sql`select ${sql.join(settings, sql`, `)}`)] : []),
  ];
  // Flat: the same text and parameters, rendered in a fraction of the time (see `flat`).
  const main = ctx.db.execute<Page>(flat(statement));
  const [first, ...rest] = before;
  const results = first ? await ctx.db.batch([first, ...rest, main]) : [await main];
  const page = results[results.length - 1] as Awaited<typeof main>;
  const row = page.rows[0];
  return {
    total: row?.total ?? null,
    rows: row?.rows ?? [],
    also: also.length ? ((results[0]?.rows[0] as Record<string, unknown> | undefined) ?? {}) : {},
  };
}
