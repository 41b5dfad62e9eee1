import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { TENANT_TZ } from "../../core/rollup-sql.mjs";
import { visibleUserIds } from "../../core/scope";

/**
 * The plan as SQL: locations × tenant-local days, expanded in the statement (no stored schedule),
 * and each planned call's state from shop_visit_daily_rollups. Status, today, offline sync,
 * coverage and the overview's adherence all use these pieces, so they can never disagree.
 *
 * Days are plain dates in the tenant's zone (`generate_series` over `timestamp`, not
 * `timestamptz`), so a DST change cannot skip or double a day.
 */

/** `clock(tz, today)`: the tenant's zone and today in it (a CTE body). */
export function clockCte(ctx: TenantContext): SQL {
  return sql`clock as (
    select z.tz, (now() at time zone z.tz)::date as today
    from (select ${sql.raw(TENANT_TZ)} as tz from tenants t where t.id = ${ctx.tenantId}) z)`;
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a date, in integer arithmetic (1970-01-05 was a Monday). */
const isoDow = (day: SQL) => sql`((((${day}) - date '1970-01-05') % 7 + 7) % 7 + 1)`;

/**
 * `select day, dow, dom, last_dom, monday` for the `n` days from `from` (an SQL date
 * expression): the ISO weekday, the day of the month, the month's last day and the ISO week's
 * Monday, computed once per day rather than per location × day. The length is a constant of the
 * statement, so the planner knows how many days there are (a date series would be estimated at
 * 1000 rows, inflating every cost above it).
 */
export function daysFrom(from: SQL, n: number): SQL {
  const count = Math.max(1, Math.trunc(n));
  return sql`select g.day, ${isoDow(sql`g.day`)} as dow, extract(day from g.day)::int as dom,
      extract(day from (date_trunc('month', g.day::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      g.day - ${isoDow(sql`g.day`)} + 1 as monday
    from (select ((${from}) + i)::date as day from generate_series(0, ${sql.raw(String(count - 1))}) i) g`;
}

/** Inclusive length in days of [start, end] (ISO dates), or `fallback` when one is missing. */
export function spanOr(start: string | undefined, end: string | undefined, fallback: number): number {
  if (!start || !end) return fallback;
  return (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
}

/**
 * The planned calls of live locations of live, active cycles on the days `days` yields (a
 * `daysFrom` query, or a union of them), where `where` holds (over `l` the location, `c` the cycle): columns
 * location_id, call_cycle_id, shop_id, day, window_start, window_end, agent_id (the assigned agent,
 * or the owner when neither agent nor team is set), team_id, owner_id, created_by — narrow rows, so
 * a count over many calls stays cheap (`plannedCallDetails` adds the names). A soft-deleted shop
 * plans nothing.
 */
function plannedCalls(ctx: TenantContext, days: SQL, where: SQL): SQL {
  const startMonday = sql`(c.start_date - ${isoDow(sql`c.start_date`)} + 1)`;
  const columns = sql`l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by`;
  const from = sql`call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null`;
  const live = sql`l.tenant_id = ${ctx.tenantId} and l.deleted_at is null and (${where})
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)`;
  // Weekly kinds join each weekday to the days with that weekday (a hash join, no location × day
  // product); monthly ones the day of the month, clamped to the month's last day.
  return sql`
    select ${columns}
    from ${from}
    cross join lateral unnest(l.weekdays) w(dow)
    join (${days}) d on d.dow = w.dow
    where l.frequency in ('weekly', 'every_n_weeks') and ${live}
      and (l.frequency = 'weekly' or ((d.monday - ${startMonday}) / 7) % l.interval_weeks = 0)
    union all
    select ${columns}
    from ${from}
    join (${days}) d on d.dom = least(l.month_day::int, d.last_dom)
    where l.frequency = 'monthly' and ${live}`;
}

/**
 * The planned calls (as `plannedCalls`) with their outcome: `first_at` (local timestamp of the
 * day's first completed visit at the shop by an assignee), `visited_by` and `state` — done,
 * late (first completion after window_end), missed (before `today`, no visit) or upcoming.
 * Reads shop_visit_daily_rollups by (tenant, shop, day), never raw visits.
 */
export function plannedCallStates(ctx: TenantContext, days: SQL, where: SQL, today: SQL): SQL {
  return sql`
    with p as materialized (${plannedCalls(ctx, days, where)}),
    hit as (
      select p.location_id, p.day, min(x.first_completed_at) as first_at,
        (array_agg(x.agent_id order by x.first_completed_at, x.agent_id))[1] as visited_by
      from p
      join shop_visit_daily_rollups x on x.tenant_id = ${ctx.tenantId} and x.shop_id = p.shop_id
        and x.day = p.day and x.completed > 0
      where case when p.team_id is null then x.agent_id = p.agent_id
        else exists (select 1 from team_members tm
          where tm.tenant_id = ${ctx.tenantId} and tm.team_id = p.team_id and tm.user_id = x.agent_id) end
      group by p.location_id, p.day
    )
    select p.*, hit.first_at, hit.visited_by,
      case
        when hit.first_at is not null then
          case when p.window_end is not null and hit.first_at::time > p.window_end then 'late' else 'done' end
        when p.day < (${today}) then 'missed'
        else 'upcoming'
      end as state
    from p left join hit on hit.location_id = p.location_id and hit.day = p.day`;
}

/**
 * The planned calls of `states` (a `plannedCallStates` query) with the shop's name, position,
 * address and region and the cycle's name, for the routes that list calls.
 */
export function plannedCallDetails(ctx: TenantContext, states: SQL): SQL {
  return sql`
    select q.*, s.name as shop_name, s.lat as shop_lat, s.lng as shop_lng, s.address as shop_address,
      s.region as shop_region, cc.name as call_cycle_name
    from (${states}) q
    join shops s on s.tenant_id = ${ctx.tenantId} and s.id = q.shop_id
    join call_cycles cc on cc.tenant_id = ${ctx.tenantId} and cc.id = q.call_cycle_id`;
}

/**
 * Planned calls the caller's data scope covers (over `l`, `c`): the cycle's owner or creator, the
 * assigned agent, or a member of the assigned team is a user the caller sees (always true for the
 * tenant scope).
 */
export function plannedCallInScope(ctx: TenantContext): SQL {
  const visible = visibleUserIds(ctx);
  if (visible === null) return sql`true`;
  return sql`(c.owner_id = any(${visible}) or c.created_by = any(${visible}) or l.agent_id = any(${visible})
    or (l.team_id is not null and exists (select 1 from team_members vt
      where vt.tenant_id = ${ctx.tenantId} and vt.team_id = l.team_id and vt.user_id = any(${visible}))))`;
}

/** Planned calls assigned to the caller (over `l`, `c`): as the agent, via a team, or as owner of an unassigned location. */
export function assignedToCaller(ctx: TenantContext): SQL {
  return sql`(l.agent_id = ${ctx.userId}::uuid
    or (l.agent_id is null and l.team_id is null and c.owner_id = ${ctx.userId}::uuid)
    or l.team_id in (select mt.team_id from team_members mt
      where mt.tenant_id = ${ctx.tenantId} and mt.user_id = ${ctx.userId}::uuid))`;
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
 * The shops on call cycles in the caller's scope, for offline sync: per shop (`id`), when its link
 * to the caller last changed (`touched`: a location or its cycle added, edited or deleted) and
 * whether a live location of a live cycle still holds it (`live`). A select over the plan tables.
 */
export function shopLinksOfCaller(ctx: TenantContext): SQL {
  return sql`
    select l.shop_id as id, max(greatest(l.updated_at, c.updated_at)) as touched,
      bool_or(l.deleted_at is null and c.deleted_at is null) as live
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
    where l.tenant_id = ${ctx.tenantId} and ${plannedCallInScope(ctx)}
    group by l.shop_id`;
}
