// @ts-check
import { KEYS, NO_SHOP, TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * The plan's SQL as plain statement text, the one copy: call-cycles.plan.ts fills its holes with
 * bound parameters for the live routes (status, today, sync, coverage, the overview's today), and
 * the call-outcome rollup below, run by call-cycles.rollups.ts (queue, nightly cron) and by
 * scripts/bench/seed.mjs, expands the same plan for past days. Holes are `/*:name*\/` comments
 * (`fillHoles` in src/core/rollups.ts).
 *
 * Days are plain dates in the tenant's zone, so a DST change cannot skip or double a day.
 */

/** No user / no team in a call-outcome rollup key (key columns cannot hold NULL). */
export const NONE = NO_SHOP;

/**
 * The ISO weekday (1 = Monday … 7 = Sunday) of a date, in integer arithmetic (1970-01-05 was a Monday).
 * @param {string} day
 */
export const isoDow = (day) => `((((${day}) - date '1970-01-05') % 7 + 7) % 7 + 1)`;

/**
 * The day columns the plan joins on (`dow`, `dom`, `last_dom`, `monday`) for a date column `day`.
 * @param {string} day
 */
export const dayColumns = (
  day,
) => `${day} as day, ${isoDow(day)} as dow, extract(day from ${day})::int as dom,
      extract(day from (date_trunc('month', ${day}::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      ${day} - ${isoDow(day)} + 1 as monday`;

/**
 * The planned calls of live locations of live, active cycles of tenant `tenant` (SQL text) on
 * the days `days` yields (columns day, dow, dom, last_dom, monday, see `dayColumns`), where
 * `where` holds over `l` (location) and `c` (cycle); `extra` adds columns and `dayOn` conditions
 * of the day join (days of several tenants join on the tenant too). Columns: location_id,
 * call_cycle_id, shop_id, day, window_start, window_end, agent_id (the assigned agent, or the
 * owner when neither agent nor team is set), team_id, owner_id, created_by. A soft-deleted shop
 * plans nothing. Weekly kinds join each weekday to the days with that weekday (a hash join, no
 * location × day product); monthly ones the day of the month, clamped to the month's last day.
 * @param {string} tenant
 * @param {string} days
 * @param {string} where
 * @param {string} [extra]
 * @param {string} [dayOn]
 */
export function plannedCallsText(tenant, days, where, extra = "", dayOn = "") {
  const startMonday = `(c.start_date - ${isoDow("c.start_date")} + 1)`;
  const columns = `l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by${extra}`;
  const from = `call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null`;
  const live = `l.tenant_id = ${tenant} and l.deleted_at is null and (${where})
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)`;
  return `
    select ${columns}
    from ${from}
    cross join lateral unnest(l.weekdays) w(dow)
    join (${days}) d on d.dow = w.dow${dayOn}
    where l.frequency in ('weekly', 'every_n_weeks') and ${live}
      and (l.frequency = 'weekly' or ((d.monday - ${startMonday}) / 7) % l.interval_weeks = 0)
    union all
    select ${columns}
    from ${from}
    join (${days}) d on d.dom = least(l.month_day::int, d.last_dom)${dayOn}
    where l.frequency = 'monthly' and ${live}`;
}

/**
 * The planned calls `plan` (a `plannedCallsText` query) of tenant `tenant` with their outcome:
 * `first_at` (local timestamp of the day's first completed visit at the shop by an assignee),
 * `visited_by` and `state` — done, late (first completion after window_end), missed (before
 * `today`, no visit) or upcoming. Reads shop_visit_daily_rollups, never raw visits.
 *
 * `lookup` says how the live routes read the rollup (the planner cannot estimate an expanded
 * plan, and a bare join read and sorted the tenant's whole rollup): `probe` looks each call's
 * (shop, day) up in the (tenant_id, shop_id, day) index, for plans of a few calls to a few
 * hundred (one agent, one cycle, a page of shops); `days` joins the rollup rows of the plan's days
 * only (a range of its (tenant_id, day) key), for a tenant's whole plan over a day or two. Without
 * it (the rollup statements over many tenant-days) one plain join does it.
 * @param {string} tenant
 * @param {string} plan
 * @param {string} today
 * @param {"probe" | "days"} [lookup]
 */
export function plannedCallStatesText(tenant, plan, today, lookup) {
  const assignee = `case when p.team_id is null then x.agent_id = p.agent_id
        else exists (select 1 from team_members tm
          where tm.tenant_id = ${tenant} and tm.team_id = p.team_id and tm.user_id = x.agent_id) end`;
  const dayBounds =
    lookup === "days"
      ? `
        and x.day >= (select min(p.day) from p) and x.day <= (select max(p.day) from p)`
      : "";
  const hit =
    lookup === "probe"
      ? `
      select p.location_id, p.day, h.first_at, h.visited_by
      from p
      cross join lateral (
        select min(x.first_completed_at) as first_at,
          (array_agg(x.agent_id order by x.first_completed_at, x.agent_id))[1] as visited_by
        from shop_visit_daily_rollups x
        where x.tenant_id = ${tenant} and x.shop_id = p.shop_id and x.day = p.day and x.completed > 0
          and ${assignee}) h
      where h.first_at is not null`
      : `
      select p.location_id, p.day, min(x.first_completed_at) as first_at,
        (array_agg(x.agent_id order by x.first_completed_at, x.agent_id))[1] as visited_by
      from p
      join shop_visit_daily_rollups x on x.tenant_id = ${tenant} and x.shop_id = p.shop_id
        and x.day = p.day and x.completed > 0${dayBounds}
      where ${assignee}
      group by p.location_id, p.day`;
  return `
    with p as materialized (${plan}),
    hit as (${hit}
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
 * Deletes the call-outcome rollup rows of the past days `k(tenant_id, day)` (the KEYS query), so
 * that CALL_OUTCOME_CELLS_INSERT rewrites them whole (a group with no call left leaves nothing).
 */
export const CALL_OUTCOME_CELLS_DELETE = `
  with k as (${KEYS})
  delete from call_outcome_daily_rollups r using k where r.tenant_id = k.tenant_id and r.day = k.day`;

/**
 * Recomputes the call outcomes of the past days `k(tenant_id, day)` (the KEYS query; days before
 * the tenant's today only: an unvisited call counts as missed) from the plan as it stands and
 * shop_visit_daily_rollups: due, done, late and missed calls per group of the users the data
 * scope looks at (owner, creator, agent as in the plan, team; NONE for none). Run after
 * CALL_OUTCOME_CELLS_DELETE, in the same transaction.
 */
export const CALL_OUTCOME_CELLS_INSERT = `
  with k as (${KEYS}),
  d as (select distinct k.tenant_id, ${dayColumns("k.day")} from k),
  q as (${plannedCallStatesText("p.tenant_id", plannedCallsText("d.tenant_id", "select * from d", "true", ", l.tenant_id", " and d.tenant_id = l.tenant_id"), "p.day + 1")})
  insert into call_outcome_daily_rollups (tenant_id, day, owner_id, created_by, agent_id, team_id, due, done, late, missed)
  select q.tenant_id, q.day, q.owner_id, coalesce(q.created_by, ${NONE}), coalesce(q.agent_id, ${NONE}),
    coalesce(q.team_id, ${NONE}), count(*), count(*) filter (where q.state = 'done'),
    count(*) filter (where q.state = 'late'), count(*) filter (where q.state = 'missed')
  from q
  group by q.tenant_id, q.day, q.owner_id, coalesce(q.created_by, ${NONE}), coalesce(q.agent_id, ${NONE}),
    coalesce(q.team_id, ${NONE})
  on conflict (tenant_id, day, owner_id, created_by, agent_id, team_id) do update
    set due = excluded.due, done = excluded.done, late = excluded.late, missed = excluded.missed,
        updated_at = now()`;

/**
 * Recomputes the tenant-day sums of the days `k(tenant_id, day)` (the KEYS query) from
 * call_outcome_daily_rollups (run after CALL_OUTCOME_CELLS_INSERT): one row per frozen day, with
 * zeros when nothing was planned, for the readers who see the whole tenant.
 */
export const CALL_OUTCOME_TENANT_DAY_UPSERT = `
  with k as (${KEYS})
  insert into call_outcome_tenant_daily_rollups (tenant_id, day, due, done, late, missed)
  select k.tenant_id, k.day, coalesce(sum(r.due), 0), coalesce(sum(r.done), 0), coalesce(sum(r.late), 0),
    coalesce(sum(r.missed), 0)
  from (select distinct tenant_id, day from k) k
  left join call_outcome_daily_rollups r on r.tenant_id = k.tenant_id and r.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update
    set due = excluded.due, done = excluded.done, late = excluded.late, missed = excluded.missed,
        updated_at = now()`;

/**
 * KEYS for every past day of every tenant from its earliest call cycle's start to its yesterday
 * (a full rebuild: the bench seed; the backfill migration runs the same).
 */
export const ALL_CALL_OUTCOME_DAYS = `
  select c.tenant_id, g.day::date as day
  from (select tenant_id, min(start_date) as first from call_cycles where deleted_at is null group by tenant_id) c
  join tenants t on t.id = c.tenant_id
  cross join lateral generate_series(c.first::timestamp,
    ((now() at time zone ${TENANT_TZ})::date - 1)::timestamp,
    interval '1 day') g(day)`;
