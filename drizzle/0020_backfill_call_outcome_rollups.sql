-- Freezes the call outcomes of every past day (up to each tenant's yesterday) from the plan as it
-- stands at deploy and shop_visit_daily_rollups; from here on the nightly cron and the queue keep them
-- (src/modules/call-cycles/call-cycles.rollups.ts; the statements are those of call-cycles.rollups.sql.mjs).
-- Fresh statistics first, so the plan expansion is planned as hash joins.
ANALYZE "call_cycles", "call_cycle_locations", "shops", "shop_visit_daily_rollups", "team_members";
--> statement-breakpoint
with k as (
  select c.tenant_id, g.day::date as day
  from (select tenant_id, min(start_date) as first from call_cycles where deleted_at is null group by tenant_id) c
  join tenants t on t.id = c.tenant_id
  cross join lateral generate_series(c.first::timestamp,
    ((now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date - 1)::timestamp,
    interval '1 day') g(day)),
  d as (select distinct k.tenant_id, k.day as day, ((((k.day) - date '1970-01-05') % 7 + 7) % 7 + 1) as dow, extract(day from k.day)::int as dom,
      extract(day from (date_trunc('month', k.day::timestamp) + interval '1 month - 1 day'))::int as last_dom,
      k.day - ((((k.day) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1 as monday from k),
  q as (
    with p as materialized (
    select l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by, l.tenant_id
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null
    cross join lateral unnest(l.weekdays) w(dow)
    join (select * from d) d on d.dow = w.dow and d.tenant_id = l.tenant_id
    where l.frequency in ('weekly', 'every_n_weeks') and l.tenant_id = d.tenant_id and l.deleted_at is null and (true)
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)
      and (l.frequency = 'weekly' or ((d.monday - (c.start_date - ((((c.start_date) - date '1970-01-05') % 7 + 7) % 7 + 1) + 1)) / 7) % l.interval_weeks = 0)
    union all
    select l.id as location_id, c.id as call_cycle_id, l.shop_id, d.day, l.window_start, l.window_end,
      case when l.agent_id is null and l.team_id is null then c.owner_id else l.agent_id end as agent_id,
      l.team_id, c.owner_id, c.created_by, l.tenant_id
    from call_cycle_locations l
    join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id
      and c.deleted_at is null and c.is_active
    join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id and s.deleted_at is null
    join (select * from d) d on d.dom = least(l.month_day::int, d.last_dom) and d.tenant_id = l.tenant_id
    where l.frequency = 'monthly' and l.tenant_id = d.tenant_id and l.deleted_at is null and (true)
    and d.day >= c.start_date and (c.end_date is null or d.day <= c.end_date)),
    hit as (
      select p.location_id, p.day, min(x.first_completed_at) as first_at,
        (array_agg(x.agent_id order by x.first_completed_at, x.agent_id))[1] as visited_by
      from p
      join shop_visit_daily_rollups x on x.tenant_id = p.tenant_id and x.shop_id = p.shop_id
        and x.day = p.day and x.completed > 0
      where case when p.team_id is null then x.agent_id = p.agent_id
        else exists (select 1 from team_members tm
          where tm.tenant_id = p.tenant_id and tm.team_id = p.team_id and tm.user_id = x.agent_id) end
      group by p.location_id, p.day
    )
    select p.*, hit.first_at, hit.visited_by,
      case
        when hit.first_at is not null then
          case when p.window_end is not null and hit.first_at::time > p.window_end then 'late' else 'done' end
        when p.day < (p.day + 1) then 'missed'
        else 'upcoming'
      end as state
    from p left join hit on hit.location_id = p.location_id and hit.day = p.day)
  insert into call_outcome_daily_rollups (tenant_id, day, owner_id, created_by, agent_id, team_id, due, done, late, missed)
  select q.tenant_id, q.day, q.owner_id, coalesce(q.created_by, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(q.agent_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(q.team_id, '00000000-0000-0000-0000-000000000000'::uuid), count(*), count(*) filter (where q.state = 'done'),
    count(*) filter (where q.state = 'late'), count(*) filter (where q.state = 'missed')
  from q
  group by q.tenant_id, q.day, q.owner_id, coalesce(q.created_by, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(q.agent_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(q.team_id, '00000000-0000-0000-0000-000000000000'::uuid)
  on conflict (tenant_id, day, owner_id, created_by, agent_id, team_id) do update
    set due = excluded.due, done = excluded.done, late = excluded.late, missed = excluded.missed,
        updated_at = now();
--> statement-breakpoint
with k as (
  select c.tenant_id, g.day::date as day
  from (select tenant_id, min(start_date) as first from call_cycles where deleted_at is null group by tenant_id) c
  join tenants t on t.id = c.tenant_id
  cross join lateral generate_series(c.first::timestamp,
    ((now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date - 1)::timestamp,
    interval '1 day') g(day))
  insert into call_outcome_tenant_daily_rollups (tenant_id, day, due, done, late, missed)
  select k.tenant_id, k.day, coalesce(sum(r.due), 0), coalesce(sum(r.done), 0), coalesce(sum(r.late), 0),
    coalesce(sum(r.missed), 0)
  from (select distinct tenant_id, day from k) k
  left join call_outcome_daily_rollups r on r.tenant_id = k.tenant_id and r.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update
    set due = excluded.due, done = excluded.done, late = excluded.late, missed = excluded.missed,
        updated_at = now();
