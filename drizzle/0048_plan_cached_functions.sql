CREATE OR REPLACE FUNCTION goal_progress_mine(p_tenant uuid, p_user uuid, p_day date)
RETURNS SETOF json LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN QUERY with day as (
      select coalesce(p_day::date, (now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date) as d
      from tenants t where t.id = p_tenant::uuid
    ),
    g as (
      select gl.*, day.d from goals gl cross join day
      where gl.tenant_id = p_tenant::uuid and gl.deleted_at is null and gl.start_date <= day.d and (gl.end_date is null or gl.end_date >= day.d)
      and exists (select 1 from goal_assignments ma
        where ma.tenant_id = gl.tenant_id and ma.goal_id = gl.id
          and (ma.user_id = p_user::uuid or ma.team_id in (
            select mt.team_id from team_members mt where mt.tenant_id = gl.tenant_id and mt.user_id = p_user::uuid)))
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
        where a.tenant_id = p_tenant::uuid and a.goal_id in (select id from g) and a.user_id is not null
        union all
        select a.goal_id, tm.user_id, a.team_id from goal_assignments a
        join team_members tm on tm.tenant_id = a.tenant_id and tm.team_id = a.team_id
        where a.tenant_id = p_tenant::uuid and a.goal_id in (select id from g) and a.team_id is not null
      ) x
      join memberships ms on ms.tenant_id = p_tenant::uuid and ms.user_id = x.user_id and ms.status = 'active'
      where x.user_id = p_user::uuid
      order by x.goal_id, x.user_id, x.via_team_id nulls first
    ),
    act as (
      select x.goal_id, x.user_id, coalesce(sum(x.count), 0)::float8 as count,
        coalesce(sum(x.shelf_area), 0)::float8 as shelf_area
      from (
        -- A goal without survey, brand, region or channel filters reads one row per agent-day …
        select asg.goal_id, asg.user_id, case g.metric when 'visits_completed' then a.completed when 'surveys_completed' then a.answered
    when 'photos_uploaded' then a.photos else 0 end as count, a.shelf_area
        from asg
        join g on g.id = asg.goal_id and not (g.survey_id is not null or g.region is not null or g.channel is not null
  or (g.brand_id is not null and g.metric <> 'shelf_share'))
        join per on per.goal_id = g.id
        join visit_agent_daily_rollups a on a.tenant_id = p_tenant::uuid and a.agent_id = asg.user_id
          and a.day between per.ps and per.pe
        union all
        -- … a filtered one the per-shop-and-survey cells.
        select asg.goal_id, asg.user_id, case g.metric when 'visits_completed' then a.completed when 'surveys_completed' then a.answered
    when 'photos_uploaded' then a.photos else 0 end, a.shelf_area
        from asg
        join g on g.id = asg.goal_id and (g.survey_id is not null or g.region is not null or g.channel is not null
  or (g.brand_id is not null and g.metric <> 'shelf_share'))
        join per on per.goal_id = g.id
        join visit_activity_daily_rollups a on a.tenant_id = p_tenant::uuid and a.agent_id = asg.user_id
          and a.day between per.ps and per.pe
        left join shops sh on sh.tenant_id = a.tenant_id and sh.id = a.shop_id
        where (g.survey_id is null or a.survey_id = g.survey_id)
          and (g.region is null or sh.region = g.region)
          and (g.channel is null or sh.channel = g.channel)
          and (g.brand_id is null or g.metric = 'shelf_share' or a.survey_id in (
            select sv.id from surveys sv where sv.tenant_id = p_tenant::uuid and sv.brand_id = g.brand_id))
      ) x
      group by x.goal_id, x.user_id
    ),
    brand as (
      select asg.goal_id, asg.user_id, coalesce(sum(b.brand_area), 0)::float8 as brand_area
      from asg
      join g on g.id = asg.goal_id and g.metric = 'shelf_share'
      join per on per.goal_id = g.id
      join brand_shelf_daily_rollups b on b.tenant_id = p_tenant::uuid and b.agent_id = asg.user_id
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
    order by lower(g.name), g.id;
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION goal_progress_one(p_tenant uuid, p_goal uuid, p_day date, p_visible uuid[])
RETURNS SETOF json LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN QUERY with day as (
      select coalesce(p_day::date, (now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date) as d
      from tenants t where t.id = p_tenant::uuid
    ),
    g as (
      select gl.*, day.d from goals gl cross join day
      where gl.tenant_id = p_tenant::uuid and gl.deleted_at is null and gl.id = p_goal::uuid
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
        where a.tenant_id = p_tenant::uuid and a.goal_id in (select id from g) and a.user_id is not null
        union all
        select a.goal_id, tm.user_id, a.team_id from goal_assignments a
        join team_members tm on tm.tenant_id = a.tenant_id and tm.team_id = a.team_id
        where a.tenant_id = p_tenant::uuid and a.goal_id in (select id from g) and a.team_id is not null
      ) x
      join memberships ms on ms.tenant_id = p_tenant::uuid and ms.user_id = x.user_id and ms.status = 'active'
      where (p_visible::uuid[] is null or x.user_id = any(p_visible::uuid[]))
      order by x.goal_id, x.user_id, x.via_team_id nulls first
    ),
    act as (
      select x.goal_id, x.user_id, coalesce(sum(x.count), 0)::float8 as count,
        coalesce(sum(x.shelf_area), 0)::float8 as shelf_area
      from (
        -- A goal without survey, brand, region or channel filters reads one row per agent-day …
        select asg.goal_id, asg.user_id, case g.metric when 'visits_completed' then a.completed when 'surveys_completed' then a.answered
    when 'photos_uploaded' then a.photos else 0 end as count, a.shelf_area
        from asg
        join g on g.id = asg.goal_id and not (g.survey_id is not null or g.region is not null or g.channel is not null
  or (g.brand_id is not null and g.metric <> 'shelf_share'))
        join per on per.goal_id = g.id
        join visit_agent_daily_rollups a on a.tenant_id = p_tenant::uuid and a.agent_id = asg.user_id
          and a.day between per.ps and per.pe
        union all
        -- … a filtered one the per-shop-and-survey cells.
        select asg.goal_id, asg.user_id, case g.metric when 'visits_completed' then a.completed when 'surveys_completed' then a.answered
    when 'photos_uploaded' then a.photos else 0 end, a.shelf_area
        from asg
        join g on g.id = asg.goal_id and (g.survey_id is not null or g.region is not null or g.channel is not null
  or (g.brand_id is not null and g.metric <> 'shelf_share'))
        join per on per.goal_id = g.id
        join visit_activity_daily_rollups a on a.tenant_id = p_tenant::uuid and a.agent_id = asg.user_id
          and a.day between per.ps and per.pe
        left join shops sh on sh.tenant_id = a.tenant_id and sh.id = a.shop_id
        where (g.survey_id is null or a.survey_id = g.survey_id)
          and (g.region is null or sh.region = g.region)
          and (g.channel is null or sh.channel = g.channel)
          and (g.brand_id is null or g.metric = 'shelf_share' or a.survey_id in (
            select sv.id from surveys sv where sv.tenant_id = p_tenant::uuid and sv.brand_id = g.brand_id))
      ) x
      group by x.goal_id, x.user_id
    ),
    brand as (
      select asg.goal_id, asg.user_id, coalesce(sum(b.brand_area), 0)::float8 as brand_area
      from asg
      join g on g.id = asg.goal_id and g.metric = 'shelf_share'
      join per on per.goal_id = g.id
      join brand_shelf_daily_rollups b on b.tenant_id = p_tenant::uuid and b.agent_id = asg.user_id
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
    order by lower(g.name), g.id;
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION planned_calls_of_caller_1d(p_tenant uuid, p_user uuid, p_from date)
RETURNS SETOF json LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN QUERY with clock as (
    select z.tz, (now() at time zone z.tz)::date as today
    from (select coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz from tenants t where t.id = p_tenant) z),
    rng as (select coalesce(p_from::date, clock.today) as s, clock.today from clock),
    mine as materialized (select array(
    select a.id from call_cycle_locations a where a.tenant_id = p_tenant and a.agent_id = p_user::uuid
    union all
    select a.id from call_cycle_locations a
    where a.tenant_id = p_tenant and a.agent_id is null and a.team_id is null and a.call_cycle_id = any(array(
      select o.id from call_cycles o where o.tenant_id = p_tenant and o.owner_id = p_user::uuid))
    union all
    select a.id from call_cycle_locations a where a.tenant_id = p_tenant and a.team_id in (
      select mt.team_id from team_members mt where mt.tenant_id = p_tenant and mt.user_id = p_user::uuid)) as ids),
    q as (
    select q.*, s.name as shop_name, s.lat as shop_lat, s.lng as shop_lng, s.address as shop_address,
      s.region as shop_region, cc.name as call_cycle_name
    from (
    with p as materialized (
    select l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null
    cross join lateral unnest(l.weekdays) w(dow)
    join (select g.day as day, ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) as dow, extract(day from g.day)::int as dom,
      extract(day from (date_trunc('month', g.day::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      g.day - ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1 as monday
    from (select (((select s from rng)) + i)::date as day from generate_series(0, 0) i) g
    offset 0) d on d.dow = w.dow
    where l.frequency in ('weekly', 'every_n_weeks') and l.tenant_id = p_tenant and l.deleted_at is null and (l.id = any((select mine.ids from mine)::uuid[]))
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)
      and (l.frequency = 'weekly' or ((d.monday - (c.start_date - ((((c.start_date) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1)) / 7) % l.interval_weeks = 0)
    union all
    select l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null
    join (select g.day as day, ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) as dow, extract(day from g.day)::int as dom,
      extract(day from (date_trunc('month', g.day::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      g.day - ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1 as monday
    from (select (((select s from rng)) + i)::date as day from generate_series(0, 0) i) g
    offset 0) d on d.dom = least(l.month_day::int, d.last_dom)
    where l.frequency = 'monthly' and l.tenant_id = p_tenant and l.deleted_at is null and (l.id = any((select mine.ids from mine)::uuid[]))
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)),
    hit as (
      select p.location_id, p.day, h.first_at, h.visited_by
      from p
      cross join lateral (
        select min(x.first_completed_at) as first_at,
          (array_agg(x.agent_id order by x.first_completed_at, x.agent_id))[1] as visited_by
        from shop_visit_daily_rollups x
        where x.tenant_id = p_tenant and x.shop_id = p.shop_id and x.day = p.day and x.completed > 0
          and case when p.team_id is null then x.agent_id = p.agent_id
        else exists (select 1 from team_members tm
          where tm.tenant_id = p_tenant and tm.team_id = p.team_id and tm.user_id = x.agent_id) end) h
      where h.first_at is not null
    )
    select p.*, hit.first_at, hit.visited_by,
      case
        when hit.first_at is not null then
          case when p.window_end is not null and hit.first_at::time > p.window_end then 'late' else 'done' end
        when p.day < ((select today from rng)) then 'missed'
        else 'upcoming'
      end as state
    from p left join hit on hit.location_id = p.location_id and hit.day = p.day) q
    cross join lateral (select s.name, s.lat, s.lng, s.address, s.region from shops s
      where s.tenant_id = p_tenant and s.id = q.shop_id) s
    cross join lateral (select cc.name from call_cycles cc
      where cc.tenant_id = p_tenant and cc.id = q.call_cycle_id) cc)
    select (json_build_object('location_id', q.location_id, 'call_cycle_id', q.call_cycle_id,
    'call_cycle_name', q.call_cycle_name, 'shop_id', q.shop_id,
    'shop_name', q.shop_name,
    'date', q.day::text, 'window_start', to_char(q.window_start, 'HH24:MI'),
    'window_end', to_char(q.window_end, 'HH24:MI'), 'agent_id', q.agent_id, 'team_id', q.team_id,
    'state', q.state, 'completed_local_time', to_char(q.first_at, 'HH24:MI:SS'), 'visited_by', q.visited_by)::jsonb || jsonb_build_object('shop_lat', q.shop_lat,
    'shop_lng', q.shop_lng, 'shop_address', q.shop_address))::json as row from q order by q.day, q.window_start nulls last, lower(q.shop_name), q.location_id;
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION planned_calls_of_caller_8d(p_tenant uuid, p_user uuid, p_from date)
RETURNS SETOF json LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN QUERY with clock as (
    select z.tz, (now() at time zone z.tz)::date as today
    from (select coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz from tenants t where t.id = p_tenant) z),
    rng as (select coalesce(p_from::date, clock.today) as s, clock.today from clock),
    mine as materialized (select array(
    select a.id from call_cycle_locations a where a.tenant_id = p_tenant and a.agent_id = p_user::uuid
    union all
    select a.id from call_cycle_locations a
    where a.tenant_id = p_tenant and a.agent_id is null and a.team_id is null and a.call_cycle_id = any(array(
      select o.id from call_cycles o where o.tenant_id = p_tenant and o.owner_id = p_user::uuid))
    union all
    select a.id from call_cycle_locations a where a.tenant_id = p_tenant and a.team_id in (
      select mt.team_id from team_members mt where mt.tenant_id = p_tenant and mt.user_id = p_user::uuid)) as ids),
    q as (
    select q.*, s.name as shop_name, s.lat as shop_lat, s.lng as shop_lng, s.address as shop_address,
      s.region as shop_region, cc.name as call_cycle_name
    from (
    with p as materialized (
    select l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null
    cross join lateral unnest(l.weekdays) w(dow)
    join (select g.day as day, ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) as dow, extract(day from g.day)::int as dom,
      extract(day from (date_trunc('month', g.day::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      g.day - ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1 as monday
    from (select (((select s from rng)) + i)::date as day from generate_series(0, 7) i) g
    offset 0) d on d.dow = w.dow
    where l.frequency in ('weekly', 'every_n_weeks') and l.tenant_id = p_tenant and l.deleted_at is null and (l.id = any((select mine.ids from mine)::uuid[]))
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)
      and (l.frequency = 'weekly' or ((d.monday - (c.start_date - ((((c.start_date) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1)) / 7) % l.interval_weeks = 0)
    union all
    select l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null
    join (select g.day as day, ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) as dow, extract(day from g.day)::int as dom,
      extract(day from (date_trunc('month', g.day::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      g.day - ((((g.day) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1 as monday
    from (select (((select s from rng)) + i)::date as day from generate_series(0, 7) i) g
    offset 0) d on d.dom = least(l.month_day::int, d.last_dom)
    where l.frequency = 'monthly' and l.tenant_id = p_tenant and l.deleted_at is null and (l.id = any((select mine.ids from mine)::uuid[]))
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)),
    hit as (
      select p.location_id, p.day, h.first_at, h.visited_by
      from p
      cross join lateral (
        select min(x.first_completed_at) as first_at,
          (array_agg(x.agent_id order by x.first_completed_at, x.agent_id))[1] as visited_by
        from shop_visit_daily_rollups x
        where x.tenant_id = p_tenant and x.shop_id = p.shop_id and x.day = p.day and x.completed > 0
          and case when p.team_id is null then x.agent_id = p.agent_id
        else exists (select 1 from team_members tm
          where tm.tenant_id = p_tenant and tm.team_id = p.team_id and tm.user_id = x.agent_id) end) h
      where h.first_at is not null
    )
    select p.*, hit.first_at, hit.visited_by,
      case
        when hit.first_at is not null then
          case when p.window_end is not null and hit.first_at::time > p.window_end then 'late' else 'done' end
        when p.day < ((select today from rng)) then 'missed'
        else 'upcoming'
      end as state
    from p left join hit on hit.location_id = p.location_id and hit.day = p.day) q
    cross join lateral (select s.name, s.lat, s.lng, s.address, s.region from shops s
      where s.tenant_id = p_tenant and s.id = q.shop_id) s
    cross join lateral (select cc.name from call_cycles cc
      where cc.tenant_id = p_tenant and cc.id = q.call_cycle_id) cc)
    select (json_build_object('location_id', q.location_id, 'call_cycle_id', q.call_cycle_id,
    'call_cycle_name', q.call_cycle_name, 'shop_id', q.shop_id,
    'shop_name', q.shop_name,
    'date', q.day::text, 'window_start', to_char(q.window_start, 'HH24:MI'),
    'window_end', to_char(q.window_end, 'HH24:MI'), 'agent_id', q.agent_id, 'team_id', q.team_id,
    'state', q.state, 'completed_local_time', to_char(q.first_at, 'HH24:MI:SS'), 'visited_by', q.visited_by)::jsonb || jsonb_build_object('shop_lat', q.shop_lat,
    'shop_lng', q.shop_lng, 'shop_address', q.shop_address))::json as row from q order by q.day, q.window_start nulls last, lower(q.shop_name), q.location_id;
END
$fn$;
