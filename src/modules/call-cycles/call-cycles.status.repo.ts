import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { planCachedFunction } from "../../core/plan-cache";
import { visible } from "../../core/resource/sql";
import {
  assignedToCaller,
  clockCte,
  daysFrom,
  plannedCallDetails,
  plannedCallJson,
  plannedCallStates,
  spanOr,
} from "./call-cycles.plan";
import { callCycleResource } from "./call-cycles.resource";
import { type PlannedCall, type TodayCall, UPCOMING_DAYS } from "./call-cycles.schemas";

/** The statements that read the plan: a cycle's status, and the caller's planned calls (today, sync). */

export type StatusRow = {
  found: boolean;
  start_date: string;
  end_date: string;
  timezone: string;
  today: string;
  calls: PlannedCall[];
  upcoming: PlannedCall[];
};

const callOrder = (q: string) => {
  const a = sql.raw(q);
  return sql`${a}.day, ${a}.window_start nulls last, lower(${a}.shop_name), ${a}.location_id`;
};

/**
 * One statement: the cycle (live, in scope), the range resolved in the tenant's zone (default the
 * current ISO week), every planned call of the range and of the next UPCOMING_DAYS days from
 * today, each with its state.
 */
export async function selectCycleStatus(
  ctx: TenantContext,
  cycleId: string,
  range: { start_date?: string | undefined; end_date?: string | undefined },
): Promise<StatusRow> {
  const s = range.start_date ?? null;
  const e = range.end_date ?? null;
  const from = sql`(select s from rng)`;
  const today = sql`(select today from rng)`;
  const span = spanOr(range.start_date, range.end_date, 7);
  const days = sql`(${daysFrom(from, span)}) union (${daysFrom(today, UPCOMING_DAYS)})`;
  const result = await ctx.db.execute<StatusRow>(sql`
    with ${clockCte(ctx)},
    rng as (
      select clock.tz, clock.today,
        coalesce(${s}::date, ${e}::date - 6, clock.today - extract(isodow from clock.today)::int + 1) as s,
        coalesce(${e}::date, ${s}::date + 6, clock.today - extract(isodow from clock.today)::int + 7) as e
      from clock
    ),
    cyc as (
      select c.id from call_cycles c
      where ${visible(ctx, callCycleResource, "c")} and c.id = ${cycleId}::uuid and c.deleted_at is null
    ),
    q as (${plannedCallDetails(ctx, plannedCallStates(ctx, days, sql`l.call_cycle_id = (select id from cyc)`, today))})
    select exists (select 1 from cyc) as found, rng.s::text as start_date, rng.e::text as end_date,
      rng.tz as timezone, rng.today::text as today,
      coalesce((select json_agg(${plannedCallJson("q")} order by ${callOrder("q")})
        from q where q.day between rng.s and rng.e), '[]'::json) as calls,
      coalesce((select json_agg(${plannedCallJson("q")} order by ${callOrder("q")})
        from q where q.day between rng.today and rng.today + ${UPCOMING_DAYS - 1}::int), '[]'::json) as upcoming
    from rng`);
  const row = result.rows[0];
  if (!row) throw new Error("the status statement returned no row");
  return row;
}

/** A planned call of the caller with the shop's position (one row of `plannedCallsQuery`). */
function todayCallJson(q: string): SQL {
  const a = sql.raw(q);
  return sql`(${plannedCallJson(q)}::jsonb || jsonb_build_object('shop_lat', ${a}.shop_lat,
    'shop_lng', ${a}.shop_lng, 'shop_address', ${a}.shop_address))`;
}

/**
 * The caller's planned calls (assigned to them as agent, through one of their teams, or as owner
 * of an unassigned location) for `days` tenant-local days from `from` (a date; null: today), by
 * day, window and shop, with their states: one `row` (json) per call.
 */
function callerPlanSql(ctx: Pick<TenantContext, "tenantId" | "userId">, from: SQL, days: number): SQL {
  const start = sql`(select s from rng)`;
  const today = sql`(select today from rng)`;
  const mine = assignedToCaller(ctx);
  return sql`
    with ${clockCte(ctx)},
    rng as (select coalesce(${from}, clock.today) as s, clock.today from clock),
    ${mine.cte},
    q as (${plannedCallDetails(ctx, plannedCallStates(ctx, daysFrom(start, days), mine.where, today))})
    select ${todayCallJson("q")}::json as row from q order by ${callOrder("q")}`;
}

/**
 * `callerPlanSql` as plan-cached functions (core/plan-cache.ts), one per length: a day (GET
 * /api/call_cycles/today) and today + the next 7 (offline sync). Migration 0048 creates them;
 * test/foundation/plan-cached-functions.test.ts checks the database's copy.
 */
const callerPlanFn = (days: number) =>
  planCachedFunction(
    `planned_calls_of_caller_${days}d`,
    { tenant: "uuid", user: "uuid", from: "date" },
    (a) => callerPlanSql({ tenantId: a.tenant, userId: a.user }, sql`${a.from}::date`, days),
  );
export const callerPlanFunctions = { 1: callerPlanFn(1), 8: callerPlanFn(8) } as const;

/**
 * The caller's planned calls (`callerPlanSql`) for `days` days from `fromDate` (default today): a
 * query object, not awaited, so it can run alone or inside `db.batch([...])` (offline sync). Map
 * its result with `plannedCallsFrom`.
 */
export function plannedCallsQuery(
  ctx: TenantContext,
  fromDate: string | undefined,
  days: keyof typeof callerPlanFunctions,
) {
  return ctx.db.execute<{ row: TodayCall }>(
    callerPlanFunctions[days].call({ tenant: ctx.tenantId, user: ctx.userId, from: fromDate ?? null }),
  );
}

/** The planned calls of a `plannedCallsQuery` result. */
export function plannedCallsFrom(result: { rows: { row: TodayCall }[] }): TodayCall[] {
  return result.rows.map((r) => r.row);
}
