import { type SQL, sql } from "drizzle-orm";
import { TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * The progress statement: for the goals `goalWhere` selects, the period containing the day, the
 * assignees `assigneeWhere` keeps (direct ones and the members of assigned teams, active members
 * of the tenant) and each one's raw figures — from the rollup tables only
 * (visit_agent_daily_rollups for goals without filters, visit_activity_daily_rollups for filtered
 * ones, brand_shelf_daily_rollups), never from visits, answers or photos.
 * One statement, one row per goal; goals.progress.ts turns a row into the API's figures.
 *
 * The period of a goal for day `d` (tenant's time zone), with `d` first clamped into
 * [start_date, end_date] so a day before the goal gets its first period and a day after it its last:
 * - fixed: start_date..end_date;
 * - weekly: the 7-day period k = ⌊(d − start_date) / 7⌋ from start_date;
 * - monthly: start_date + k months .. start_date + (k+1) months − 1 day, k the whole months from
 *   start_date to d (a start on the 31st falls on the last day of shorter months);
 * a recurring period never runs past end_date.
 */

export interface RawAssignee {
  user_id: string;
  name: string;
  via_team_id: string | null;
  /** The count metrics' count over the period. */
  count: number;
  /** Σ brand_area of the goal's brand (shelf_share). */
  brand_area: number;
  /** Σ marked shelf area of the shelf photos (shelf_share's denominator). */
  shelf_area: number;
}

export interface RawProgress {
  goal_id: string;
  metric: "visits_completed" | "surveys_completed" | "photos_uploaded" | "shelf_share";
  target: number;
  start_date: string;
  end_date: string;
  elapsed_fraction: number;
  assignees: RawAssignee[];
}

export interface ProgressSelection {
  /** The tenant (a uuid expression). */
  tenant: SQL;
  /** The requested day (a date expression; null: today in the tenant's time zone). */
  day: SQL;
  /** A condition over the goal row `gl` (live and tenant are applied here); `day.d` is the day. */
  goalWhere: SQL;
  /** A condition over an assignee's user id (the caller's scope, or the caller alone). */
  assigneeWhere: (userId: SQL) => SQL;
}

/** Whether goal `g` narrows its visits by survey, region, channel or (for a count metric) brand. */
const FILTERED = sql.raw(`(g.survey_id is not null or g.region is not null or g.channel is not null
  or (g.brand_id is not null and g.metric <> 'shelf_share'))`);

/** The goal's count metric over a visit activity rollup row `alias` (0 for shelf_share). */
function metricCount(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`case g.metric when 'visits_completed' then ${a}.completed when 'surveys_completed' then ${a}.answered
    when 'photos_uploaded' then ${a}.photos else 0 end`;
}

/**
 * The goals' progress rows (see the file comment): one `row` (json) per goal, by name. Built with
 * bound values for a one-off statement, or with a function's arguments (goals.progress.fn.ts).
 */
export function progressSql(s: ProgressSelection): SQL {
  const T = s.tenant;
  const userId = sql.raw("x.user_id");
  return sql`
    with day as (
      select coalesce(${s.day}, (now() at time zone ${sql.raw(TENANT_TZ)})::date) as d
      from tenants t where t.id = ${T}
    ),
    g as (
      select gl.*, day.d from goals gl cross join day
      where gl.tenant_id = ${T} and gl.deleted_at is null and ${s.goalWhere}
    ),
    per as (
      select g.id as goal_id, p.ps, p.pe,
        greatest(0, least(1, (g.d - p.ps + 1)::float8 / (p.pe - p.ps + 1))) as elapsed
      from g
      cross join lateral (
        select least(greatest(g.d, g.start_date), coalesce(g.end_date, greatest(g.d, g.start_date))) as dd
      ) c
      cross join lateral (
        select case g.period_type
          when 'weekly' then (c.dd - g.start_date) / 7
          when 'monthly' then ((extract(year from c.dd) * 12 + extract(month from c.dd))
            - (extract(year from g.start_date) * 12 + extract(month from g.start_date)))::int
          else 0 end as k0
      ) k0
      cross join lateral (
        select case when g.period_type = 'monthly'
          and (g.start_date + make_interval(months => k0.k0))::date > c.dd then k0.k0 - 1 else k0.k0 end as k
      ) k
      cross join lateral (
        select
          case g.period_type
            when 'fixed' then g.start_date
            when 'weekly' then g.start_date + 7 * k.k
            else (g.start_date + make_interval(months => k.k))::date end as ps,
          least(
            case g.period_type
              when 'fixed' then g.end_date
              when 'weekly' then g.start_date + 7 * k.k + 6
              else (g.start_date + make_interval(months => k.k + 1))::date - 1 end,
            coalesce(g.end_date, 'infinity'::date)) as pe
      ) p
    ),
    asg as (
      select distinct on (x.goal_id, x.user_id) x.goal_id, x.user_id, x.via_team_id
      from (
        select a.goal_id, a.user_id, null::uuid as via_team_id from goal_assignments a
        where a.tenant_id = ${T} and a.goal_id in (select id from g) and a.user_id is not null
        union all
        select a.goal_id, tm.user_id, a.team_id from goal_assignments a
        join team_members tm on tm.tenant_id = a.tenant_id and tm.team_id = a.team_id
        where a.tenant_id = ${T} and a.goal_id in (select id from g) and a.team_id is not null
      ) x
      join memberships ms on ms.tenant_id = ${T} and ms.user_id = x.user_id and ms.status = 'active'
      where ${s.assigneeWhere(userId)}
      order by x.goal_id, x.user_id, x.via_team_id nulls first
    ),
    act as (
      select x.goal_id, x.user_id, coalesce(sum(x.count), 0)::float8 as count,
        coalesce(sum(x.shelf_area), 0)::float8 as shelf_area
      from (
        -- A goal without survey, brand, region or channel filters reads one row per agent-day …
        select asg.goal_id, asg.user_id, ${metricCount("a")} as count, a.shelf_area
        from asg
        join g on g.id = asg.goal_id and not ${FILTERED}
        join per on per.goal_id = g.id
        join visit_agent_daily_rollups a on a.tenant_id = ${T} and a.agent_id = asg.user_id
          and a.day between per.ps and per.pe
        union all
        -- … a filtered one the per-shop-and-survey cells.
        select asg.goal_id, asg.user_id, ${metricCount("a")}, a.shelf_area
        from asg
        join g on g.id = asg.goal_id and ${FILTERED}
        join per on per.goal_id = g.id
        join visit_activity_daily_rollups a on a.tenant_id = ${T} and a.agent_id = asg.user_id
          and a.day between per.ps and per.pe
        left join shops sh on sh.tenant_id = a.tenant_id and sh.id = a.shop_id
        where (g.survey_id is null or a.survey_id = g.survey_id)
          and (g.region is null or sh.region = g.region)
          and (g.channel is null or sh.channel = g.channel)
          and (g.brand_id is null or g.metric = 'shelf_share' or a.survey_id in (
            select sv.id from surveys sv where sv.tenant_id = ${T} and sv.brand_id = g.brand_id))
      ) x
      group by x.goal_id, x.user_id
    ),
    brand as (
      select asg.goal_id, asg.user_id, coalesce(sum(b.brand_area), 0)::float8 as brand_area
      from asg
      join g on g.id = asg.goal_id and g.metric = 'shelf_share'
      join per on per.goal_id = g.id
      join brand_shelf_daily_rollups b on b.tenant_id = ${T} and b.agent_id = asg.user_id
        and b.brand_id = g.brand_id and b.day between per.ps and per.pe
      left join shops sh on sh.tenant_id = b.tenant_id and sh.id = b.shop_id
      where (g.region is null or sh.region = g.region) and (g.channel is null or sh.channel = g.channel)
      group by asg.goal_id, asg.user_id
    )
    select json_build_object(
      'goal_id', g.id, 'metric', g.metric, 'target', g.target,
      'start_date', per.ps::text, 'end_date', per.pe::text, 'elapsed_fraction', per.elapsed,
      'assignees', coalesce((
        select json_agg(json_build_object(
            'user_id', asg.user_id, 'name', u.first_name || ' ' || u.last_name, 'via_team_id', asg.via_team_id,
            'count', coalesce(act.count, 0), 'brand_area', coalesce(brand.brand_area, 0),
            'shelf_area', coalesce(act.shelf_area, 0))
          order by lower(u.first_name || ' ' || u.last_name), asg.user_id)
        from asg
        join users u on u.id = asg.user_id
        left join act on act.goal_id = asg.goal_id and act.user_id = asg.user_id
        left join brand on brand.goal_id = asg.goal_id and brand.user_id = asg.user_id
        where asg.goal_id = g.id), '[]'::json)) as row
    from g join per on per.goal_id = g.id
    order by lower(g.name), g.id`;
}
