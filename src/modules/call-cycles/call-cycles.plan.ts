import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { TENANT_TZ } from "../../core/rollup-sql.mjs";
import { fillHoles, hole } from "../../core/rollups";
import { ownerVisible, visibleUserIds } from "../../core/scope";
import { dayColumns, NONE, plannedCallStatesText, plannedCallsText } from "./call-cycles.rollups.sql.mjs";

/**
 * The plan as SQL: locations × tenant-local days, expanded in the statement (no stored schedule),
 * and each planned call's state from shop_visit_daily_rollups. Status, today, offline sync,
 * coverage and the overview's adherence all use these pieces, so they can never disagree.
 *
 * Days are plain dates in the tenant's zone (`generate_series` over `timestamp`, not
 * `timestamptz`), so a DST change cannot skip or double a day.
 */

/** `clock(tz, today)`: the tenant's zone and today in it (a CTE body). */
export function clockCte(ctx: Pick<TenantContext, "tenantId">): SQL {
  return sql`clock as (
    select z.tz, (now() at time zone z.tz)::date as today
    from (select ${sql.raw(TENANT_TZ)} as tz from tenants t where t.id = ${ctx.tenantId}) z)`;
}

/**
 * `select day, dow, dom, last_dom, monday` for the `n` days from `from` (an SQL date
 * expression): the ISO weekday, the day of the month, the month's last day and the ISO week's
 * Monday, computed once per day rather than per location × day (`offset 0` keeps the planner
 * from pulling the subquery up into the join, which would recompute them per row). The length is a constant of the
 * statement, so the planner knows how many days there are (a date series would be estimated at
 * 1000 rows, inflating every cost above it).
 */
export function daysFrom(from: SQL, n: number): SQL {
  const count = Math.max(1, Math.trunc(n));
  return fillHoles(
    `select ${dayColumns("g.day")}
    from (select ((${hole("from")}) + i)::date as day from generate_series(0, ${String(count - 1)}) i) g
    offset 0`,
    { from },
  );
}

/** Inclusive length in days of [start, end] (ISO dates), or `fallback` when one is missing. */
export function spanOr(start: string | undefined, end: string | undefined, fallback: number): number {
  if (!start || !end) return fallback;
  return (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
}

/**
 * The planned calls of live locations of live, active cycles on the days `days` yields (a
 * `daysFrom` query, or a union of them), where `where` holds (over `l` the location, `c` the
 * cycle): `plannedCallsText` (call-cycles.rollups.sql.mjs) for the caller's tenant — narrow
 * rows, so a count over many calls stays cheap (`plannedCallDetails` adds the names).
 */
function plannedCalls(ctx: Pick<TenantContext, "tenantId">, days: SQL, where: SQL): SQL {
  return fillHoles(plannedCallsText(hole("tenant"), hole("days"), hole("where")), {
    tenant: sql`${ctx.tenantId}`,
    days,
    where,
  });
}

/**
 * The planned calls (as `plannedCalls`) with their outcome: `first_at` (local timestamp of the
 * day's first completed visit at the shop by an assignee), `visited_by` and `state` — done,
 * late (first completion after window_end), missed (before `today`, no visit) or upcoming.
 * Reads shop_visit_daily_rollups by (tenant, shop, day), never raw visits (`plannedCallStatesText`):
 * a probe per call by default; `lookup = "days"` for a tenant's whole plan over a day or two.
 */
export function plannedCallStates(
  ctx: Pick<TenantContext, "tenantId">,
  days: SQL,
  where: SQL,
  today: SQL,
  lookup: "probe" | "days" = "probe",
): SQL {
  return fillHoles(plannedCallStatesText(hole("tenant"), hole("plan"), hole("today"), lookup), {
    tenant: sql`${ctx.tenantId}`,
    plan: plannedCalls(ctx, days, where),
    today,
  });
}

/**
 * The planned calls of `states` (a `plannedCallStates` query) with the shop's name, position,
 * address and region and the cycle's name, for the routes that list calls: a primary-key probe
 * per call (the planner cannot estimate an expanded plan and would hash the tenant's every shop).
 */
export function plannedCallDetails(ctx: Pick<TenantContext, "tenantId">, states: SQL): SQL {
  return sql`
    select q.*, s.name as shop_name, s.lat as shop_lat, s.lng as shop_lng, s.address as shop_address,
      s.region as shop_region, cc.name as call_cycle_name
    from (${states}) q
    cross join lateral (select s.name, s.lat, s.lng, s.address, s.region from shops s
      where s.tenant_id = ${ctx.tenantId} and s.id = q.shop_id) s
    cross join lateral (select cc.name from call_cycles cc
      where cc.tenant_id = ${ctx.tenantId} and cc.id = q.call_cycle_id) cc`;
}

/**
 * Planned calls the caller's data scope covers (over `l`, `c`): the cycle's owner or creator, the
 * assigned agent, or a member of the assigned team is a user the caller sees (always true for the
 * tenant scope) — tested as "the location is one `locationIdsInScope` finds", so a plan reads the
 * caller's locations by primary key rather than testing every location of the tenant.
 */
export function plannedCallInScope(ctx: TenantContext): SQL {
  const visible = visibleUserIds(ctx);
  if (visible === null) return sql`true`;
  return sql`l.id = any(${locationIdsInScope(ctx, visible)})`;
}

/**
 * The call-outcome rollup rows (`alias`, call_outcome_daily_rollups) the caller's data scope
 * covers: the same rule as `plannedCallInScope` over the row's owner, creator, agent and team.
 */
export function rollupCallInScope(ctx: TenantContext, alias: string): SQL {
  if (visibleUserIds(ctx) === null) return sql`true`;
  const r = (column: string) => sql.raw(`${alias}.${column}`);
  const seen = (column: SQL) => ownerVisible(ctx, column);
  return sql`(${seen(r("owner_id"))} or ${seen(r("created_by"))} or ${seen(r("agent_id"))}
    or (${r("team_id")} <> ${sql.raw(NONE)} and exists (select 1 from team_members vt
      where vt.tenant_id = ${ctx.tenantId} and vt.team_id = ${r("team_id")} and ${seen(sql.raw("vt.user_id"))})))`;
}

/**
 * The locations assigned to the caller: as the agent, via a team, or as owner of an unassigned
 * location. As an array of location ids found down the agent, team and owner indexes (the owner's
 * cycles first, then their locations), to compute once in a CTE (`cte`) and test as `where` (over
 * `l`), so the plan reads the caller's few locations by primary key instead of testing every
 * location of the tenant against each day — and its two branches (weekly, monthly) share the list.
 */
export function assignedToCaller(ctx: Pick<TenantContext, "tenantId" | "userId">): { cte: SQL; where: SQL } {
  const { tenantId, userId } = ctx;
  const ids = sql`array(
    select a.id from call_cycle_locations a where a.tenant_id = ${tenantId} and a.agent_id = ${userId}::uuid
    union all
    select a.id from call_cycle_locations a
    where a.tenant_id = ${tenantId} and a.agent_id is null and a.team_id is null and a.call_cycle_id = any(array(
      select o.id from call_cycles o where o.tenant_id = ${tenantId} and o.owner_id = ${userId}::uuid))
    union all
    select a.id from call_cycle_locations a where a.tenant_id = ${tenantId} and a.team_id in (
      select mt.team_id from team_members mt where mt.tenant_id = ${tenantId} and mt.user_id = ${userId}::uuid))`;
  return {
    cte: sql`mine as materialized (select ${ids} as ids)`,
    where: sql`l.id = any((select mine.ids from mine)::uuid[])`,
  };
}

/** A planned call (output of `plannedCallStates` under `q`) as the API's JSON. */
export function plannedCallJson(q: string): SQL {
  const a = sql.raw(q);
  return sql`json_build_object('location_id', ${a}.location_id, 'call_cycle_id', ${a}.call_cycle_id,
    'call_cycle_name', ${a}.call_cycle_name, 'shop_id', ${a}.shop_id,
    'shop_name', ${a}.shop_name,
    'date', ${a}.day::text, 'window_start', to_char(${a}.window_start, 'HH24:MI'),
    'window_end', to_char(${a}.window_end, 'HH24:MI'), 'agent_id', ${a}.agent_id, 'team_id', ${a}.team_id,
    'state', ${a}.state, 'completed_local_time', to_char(${a}.first_at, 'HH24:MI:SS'), 'visited_by', ${a}.visited_by)`;
}

/**
 * The ids of the locations (deleted ones and those of deleted cycles too) that
 * `plannedCallInScope` admits for a caller whose visible users are the array `visible` (SQL): a
 * union of index probes — by assigned agent, by assigned team of a visible member
 * (team_members by user), and by cycle (owner or creator visible) then its locations — instead
 * of testing every location of the tenant against the rule. The rule of `plannedCallInScope` (which
 * tests membership in this list) and `rollupCallInScope` (the same four tests over a rollup row);
 * test/sync/sync-scope.test.ts and test/call-cycles/analytics.test.ts check it per scope.
 */
function locationIdsInScope(ctx: TenantContext, visible: SQL): SQL {
  const { tenantId } = ctx;
  return sql`array(
    select a.id from call_cycle_locations a where a.tenant_id = ${tenantId} and a.agent_id = any(${visible})
    union all
    select a.id from call_cycle_locations a where a.tenant_id = ${tenantId} and a.team_id = any(array(
      select vt.team_id from team_members vt where vt.tenant_id = ${tenantId} and vt.user_id = any(${visible})))
    union all
    select a.id from call_cycle_locations a where a.tenant_id = ${tenantId} and a.call_cycle_id = any(array(
      select o.id from call_cycles o where o.tenant_id = ${tenantId}
        and (o.owner_id = any(${visible}) or o.created_by = any(${visible})))))`;
}

/**
 * The shops on call cycles in the caller's scope, for offline sync: per shop (`id`), when its link
 * to the caller last changed (`touched`: a location or its cycle added, edited or deleted) and
 * whether a live location of a live cycle still holds it (`live`). A select over the plan tables;
 * for a scoped caller it reads only the locations `locationIdsInScope` finds (the visible users
 * computed once, in `cv`), by primary key.
 */
export function shopLinksOfCaller(ctx: TenantContext): SQL {
  const visible = visibleUserIds(ctx);
  const links = (where: SQL) => sql`
    select l.shop_id as id, max(greatest(l.updated_at, c.updated_at)) as touched,
      bool_or(l.deleted_at is null and c.deleted_at is null) as live
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
    where l.tenant_id = ${ctx.tenantId} and ${where}
    group by l.shop_id`;
  if (visible === null) return links(sql`true`);
  return sql`
    with cv as materialized (select ${visible} as ids)
    ${links(sql`l.id = any(${locationIdsInScope(ctx, sql`(select cv.ids from cv)::uuid[]`)})`)}`;
}
