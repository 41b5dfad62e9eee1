import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import type { AnyResource } from "../../core/resource/declaration";
import { projection, tableSql, visible } from "../../core/resource/sql";
import type { SyncPosition } from "./sync.schemas";

/** One changed row of the feed: its representation, or its deletion time for a tombstone. */
export interface FeedRow {
  type: string;
  id: string;
  /** updated_at with microseconds (the cursor's precision). */
  at: string;
  data: Record<string, unknown> | null;
  deleted_at: string | null;
}

export type FeedPage = {
  rows: FeedRow[];
  /** now() − SETTLE, microseconds: every write stamped before it has committed. */
  settled: string;
  /** now(), microseconds: the start of a full snapshot. */
  now: string;
  server_time: string;
};

/**
 * How long a write may take between taking its timestamp (now(), at its start) and committing.
 * A walk that has caught up stops its cursor this far behind the present, so a write that was
 * still committing when the page was read is sent next time, never skipped.
 */
const SETTLE = sql.raw(`interval '1 second'`);

const micro = (ts: SQL) => sql`to_char((${ts}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const milli = (ts: SQL) => sql`to_char((${ts}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function offlineValues(res: AnyResource): Record<string, SQL> {
  return Object.fromEntries(Object.entries(res.offline?.with ?? {}).map(([key, c]) => [key, c.sql("r")]));
}

/**
 * A resource's branch of the feed restricted to the rows `links` hands the caller — a select of
 * `(id, touched, live)`: a row enters the feed when it or its link changed (the later of the two
 * times orders it) and leaves it as a tombstone when it is deleted or no live link holds it.
 */
function linkedBranch(ctx: TenantContext, res: AnyResource, links: SQL, limit: number): SQL {
  const ts = sql`greatest(r.updated_at, k.touched)`;
  const gone = sql`(r.deleted_at is not null or not k.live)`;
  const goneAt = sql`coalesce(r.deleted_at, k.touched)`;
  return sql`(
    select ${res.name}::text as type, r.id, ${ts} as ts, case when ${gone} then ${goneAt} end as deleted_at,
      case when not ${gone} then ${projection(res, "r", offlineValues(res))} end as data
    from (${links}) k
    join ${tableSql(res)} r on ${visible(ctx, res, "r")} and r.id = k.id
    cross join c
    where ${ts} >= c.t and (${ts}, ${res.name}::text, r.id) > (c.t, c.k, c.i)
      and (not ${gone} or c.f is null or ${goneAt} >= c.f)
    order by ${ts}, r.id
    limit ${limit})`;
}

/** One resource's branch of the feed: its visible rows after the position, at most `limit`, in feed order. */
function branch(ctx: TenantContext, res: AnyResource, limit: number): SQL {
  const extra = offlineValues(res);
  return sql`(
    select ${res.name}::text as type, r.id, r.updated_at as ts, r.deleted_at,
      case when r.deleted_at is null then ${projection(res, "r", extra)} end as data
    from ${tableSql(res)} r cross join c
    where ${visible(ctx, res, "r")} and r.updated_at >= c.t
      and (r.updated_at, ${res.name}::text, r.id) > (c.t, c.k, c.i)
      and (r.deleted_at is null or c.f is null or r.deleted_at >= c.f)
    order by r.updated_at, r.id
    limit ${limit})`;
}

/**
 * The next `limit` changes after `from` across the synced resources, in (updated_at, type, id)
 * order, as ONE statement (returned unawaited, to run inside `db.batch`; read it with
 * `feedPage`): each resource reads at most `limit` rows from its (tenant_id, updated_at) index, in
 * the caller's tenant and data scope; a resource in `links` is limited to the rows its links
 * select (`linkedBranch`). In a full snapshot (`full`), rows deleted before the snapshot began are
 * left out.
 */
export function changesQuery(
  ctx: TenantContext,
  types: readonly AnyResource[],
  from: SyncPosition,
  full: boolean,
  limit: number,
  links: ReadonlyMap<AnyResource, SQL> = new Map(),
) {
  const f = full ? sql`coalesce(${from.f ?? null}::timestamptz, now())` : sql`null::timestamptz`;
  const feed = types.length
    ? sql.join(
        types.map((res) => {
          const linked = links.get(res);
          return linked ? linkedBranch(ctx, res, linked, limit) : branch(ctx, res, limit);
        }),
        sql` union all `,
      )
    : sql`select null::text as type, null::uuid as id, null::timestamptz as ts, null::timestamptz as deleted_at,
        null::json as data where false`;
  return ctx.db.execute<FeedPage>(sql`
    with c as (select ${from.t}::timestamptz as t, ${from.k}::text as k, ${from.i}::uuid as i, ${f} as f),
    feed as (${feed}),
    page as (select * from feed order by ts, type, id limit ${limit})
    select coalesce((select json_agg(json_build_object('type', p.type, 'id', p.id, 'at', ${micro(sql`p.ts`)},
        'data', p.data, 'deleted_at', ${milli(sql`p.deleted_at`)}) order by p.ts, p.type, p.id) from page p), '[]'::json)
        as rows,
      ${micro(sql`now() - ${SETTLE}`)} as settled, ${micro(sql`now()`)} as now, ${milli(sql`now()`)} as server_time`);
}

/** The one row of `changesQuery`'s result. */
export function feedPage(result: { rows: FeedPage[] }): FeedPage {
  const row = result.rows[0];
  if (!row) throw new Error("the sync statement returned no row");
  return row;
}
