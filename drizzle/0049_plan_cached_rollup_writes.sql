CREATE OR REPLACE FUNCTION visit_started_rollups(p_tenant uuid, p_visit uuid)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  with k as (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit),
  v as (
    select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id, x.id, x.status, x.outside_geofence,
      x.started_at, x.completed_at
    from k
    join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
      and coalesce(x.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) = k.shop_id and x.survey_id = k.survey_id
      and x.started_at >= ((k.day)::timestamp at time zone k.tz) and x.started_at < (((k.day) + 1)::timestamp at time zone k.tz)
  ),
  per_visit as (
    select v.*,
      (select count(*) from visit_answers a where a.tenant_id = v.tenant_id and a.visit_id = v.id) as answers,
      ph.photos, ph.shelf_photos, ph.shelf_area, ph.last_photo_at
    from v
    cross join lateral (
      select count(*) as photos, count(*) filter (where s.marks > 0) as shelf_photos,
        coalesce(sum(s.area) filter (where s.marks > 0), 0) as shelf_area, max(p.created_at) as last_photo_at
      from photos p
      cross join lateral (
        select count(*) as marks, coalesce(max(q.marked_area), 1) as area
        from shelf_quadrants q where q.tenant_id = p.tenant_id and q.photo_id = p.id
      ) s
      where p.tenant_id = v.tenant_id and p.visit_id = v.id
    ) ph
  )
  insert into visit_activity_daily_rollups (tenant_id, day, agent_id, shop_id, survey_id, started, completed,
    outside_geofence, duration_seconds, answers, answered, photos, shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id,
    count(pv.id), count(pv.id) filter (where pv.status = 'completed'),
    count(pv.id) filter (where pv.outside_geofence),
    coalesce(sum(extract(epoch from pv.completed_at - pv.started_at)) filter (where pv.status = 'completed'), 0)::bigint,
    coalesce(sum(pv.answers) filter (where pv.status = 'completed'), 0),
    count(pv.id) filter (where pv.status = 'completed' and pv.answers > 0),
    coalesce(sum(pv.photos), 0), coalesce(sum(pv.shelf_photos), 0), coalesce(sum(pv.shelf_area), 0),
    max(greatest(pv.started_at, pv.completed_at, pv.last_photo_at))
  from k
  left join per_visit pv on pv.tenant_id = k.tenant_id and pv.day = k.day and pv.agent_id = k.agent_id
    and pv.shop_id = k.shop_id and pv.survey_id = k.survey_id
  group by k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id
  on conflict (tenant_id, day, agent_id, shop_id, survey_id) do update
    set started = excluded.started, completed = excluded.completed, outside_geofence = excluded.outside_geofence,
        duration_seconds = excluded.duration_seconds, answers = excluded.answers, answered = excluded.answered,
        photos = excluded.photos,
        shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
        last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (select distinct k0.tenant_id, k0.day, k0.agent_id from (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit) k0)
  insert into visit_agent_daily_rollups (tenant_id, day, agent_id, started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)
  from k
  left join visit_activity_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day and a.agent_id = k.agent_id
  group by k.tenant_id, k.day, k.agent_id
  on conflict (tenant_id, day, agent_id) do update set started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (select distinct k0.tenant_id, k0.day from (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit) k0)
  insert into visit_tenant_daily_rollups (tenant_id, day, started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)
  from k
  left join visit_agent_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update set started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now();
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION visit_completed_rollups(p_tenant uuid, p_visit uuid)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  with k as (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit)
  insert into visit_daily_rollups (tenant_id, day, agent_id, shop_id, visits, outside_geofence, duration_seconds)
  select k.tenant_id, k.day, k.agent_id, k.shop_id,
    count(x.id), count(x.id) filter (where x.outside_geofence),
    coalesce(sum(extract(epoch from x.completed_at - x.started_at)), 0)::bigint
  from k
  left join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
    and coalesce(x.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) = k.shop_id and x.status = 'completed'
    and x.started_at >= ((k.day)::timestamp at time zone k.tz) and x.started_at < (((k.day) + 1)::timestamp at time zone k.tz)
  group by k.tenant_id, k.day, k.agent_id, k.shop_id
  on conflict (tenant_id, day, agent_id, shop_id) do update
    set visits = excluded.visits, outside_geofence = excluded.outside_geofence,
        duration_seconds = excluded.duration_seconds, updated_at = now();
  with k as (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit),
  v as (
    select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id, x.id, x.status, x.outside_geofence,
      x.started_at, x.completed_at
    from k
    join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
      and coalesce(x.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) = k.shop_id and x.survey_id = k.survey_id
      and x.started_at >= ((k.day)::timestamp at time zone k.tz) and x.started_at < (((k.day) + 1)::timestamp at time zone k.tz)
  ),
  per_visit as (
    select v.*,
      (select count(*) from visit_answers a where a.tenant_id = v.tenant_id and a.visit_id = v.id) as answers,
      ph.photos, ph.shelf_photos, ph.shelf_area, ph.last_photo_at
    from v
    cross join lateral (
      select count(*) as photos, count(*) filter (where s.marks > 0) as shelf_photos,
        coalesce(sum(s.area) filter (where s.marks > 0), 0) as shelf_area, max(p.created_at) as last_photo_at
      from photos p
      cross join lateral (
        select count(*) as marks, coalesce(max(q.marked_area), 1) as area
        from shelf_quadrants q where q.tenant_id = p.tenant_id and q.photo_id = p.id
      ) s
      where p.tenant_id = v.tenant_id and p.visit_id = v.id
    ) ph
  )
  insert into visit_activity_daily_rollups (tenant_id, day, agent_id, shop_id, survey_id, started, completed,
    outside_geofence, duration_seconds, answers, answered, photos, shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id,
    count(pv.id), count(pv.id) filter (where pv.status = 'completed'),
    count(pv.id) filter (where pv.outside_geofence),
    coalesce(sum(extract(epoch from pv.completed_at - pv.started_at)) filter (where pv.status = 'completed'), 0)::bigint,
    coalesce(sum(pv.answers) filter (where pv.status = 'completed'), 0),
    count(pv.id) filter (where pv.status = 'completed' and pv.answers > 0),
    coalesce(sum(pv.photos), 0), coalesce(sum(pv.shelf_photos), 0), coalesce(sum(pv.shelf_area), 0),
    max(greatest(pv.started_at, pv.completed_at, pv.last_photo_at))
  from k
  left join per_visit pv on pv.tenant_id = k.tenant_id and pv.day = k.day and pv.agent_id = k.agent_id
    and pv.shop_id = k.shop_id and pv.survey_id = k.survey_id
  group by k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id
  on conflict (tenant_id, day, agent_id, shop_id, survey_id) do update
    set started = excluded.started, completed = excluded.completed, outside_geofence = excluded.outside_geofence,
        duration_seconds = excluded.duration_seconds, answers = excluded.answers, answered = excluded.answered,
        photos = excluded.photos,
        shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
        last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (select distinct k0.tenant_id, k0.day, k0.agent_id from (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit) k0)
  insert into visit_agent_daily_rollups (tenant_id, day, agent_id, started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)
  from k
  left join visit_activity_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day and a.agent_id = k.agent_id
  group by k.tenant_id, k.day, k.agent_id
  on conflict (tenant_id, day, agent_id) do update set started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (select distinct k0.tenant_id, k0.day from (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit) k0)
  insert into visit_tenant_daily_rollups (tenant_id, day, started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)
  from k
  left join visit_agent_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update set started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (
    select v.tenant_id, (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id, v.shop_id
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit and v.shop_id is not null and v.completed_at is not null)
  insert into shop_visit_daily_rollups (tenant_id, day, agent_id, shop_id, completed, first_completed_at)
  select k.tenant_id, k.day, k.agent_id, k.shop_id, count(x.id), min(x.completed_at at time zone k.tz)
  from k
  left join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id and x.shop_id = k.shop_id
    and x.status = 'completed' and x.completed_at >= ((k.day)::timestamp at time zone k.tz) and x.completed_at < (((k.day) + 1)::timestamp at time zone k.tz)
  group by k.tenant_id, k.day, k.agent_id, k.shop_id
  on conflict (tenant_id, day, agent_id, shop_id) do update
    set completed = excluded.completed, first_completed_at = excluded.first_completed_at, updated_at = now();
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION photo_activity_rollups(p_tenant uuid, p_photo uuid)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  with k as (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = p_tenant and p.id = p_photo),
  v as (
    select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id, x.id, x.status, x.outside_geofence,
      x.started_at, x.completed_at
    from k
    join visits x on x.tenant_id = k.tenant_id and x.agent_id = k.agent_id
      and coalesce(x.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) = k.shop_id and x.survey_id = k.survey_id
      and x.started_at >= ((k.day)::timestamp at time zone k.tz) and x.started_at < (((k.day) + 1)::timestamp at time zone k.tz)
  ),
  per_visit as (
    select v.*,
      (select count(*) from visit_answers a where a.tenant_id = v.tenant_id and a.visit_id = v.id) as answers,
      ph.photos, ph.shelf_photos, ph.shelf_area, ph.last_photo_at
    from v
    cross join lateral (
      select count(*) as photos, count(*) filter (where s.marks > 0) as shelf_photos,
        coalesce(sum(s.area) filter (where s.marks > 0), 0) as shelf_area, max(p.created_at) as last_photo_at
      from photos p
      cross join lateral (
        select count(*) as marks, coalesce(max(q.marked_area), 1) as area
        from shelf_quadrants q where q.tenant_id = p.tenant_id and q.photo_id = p.id
      ) s
      where p.tenant_id = v.tenant_id and p.visit_id = v.id
    ) ph
  )
  insert into visit_activity_daily_rollups (tenant_id, day, agent_id, shop_id, survey_id, started, completed,
    outside_geofence, duration_seconds, answers, answered, photos, shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id,
    count(pv.id), count(pv.id) filter (where pv.status = 'completed'),
    count(pv.id) filter (where pv.outside_geofence),
    coalesce(sum(extract(epoch from pv.completed_at - pv.started_at)) filter (where pv.status = 'completed'), 0)::bigint,
    coalesce(sum(pv.answers) filter (where pv.status = 'completed'), 0),
    count(pv.id) filter (where pv.status = 'completed' and pv.answers > 0),
    coalesce(sum(pv.photos), 0), coalesce(sum(pv.shelf_photos), 0), coalesce(sum(pv.shelf_area), 0),
    max(greatest(pv.started_at, pv.completed_at, pv.last_photo_at))
  from k
  left join per_visit pv on pv.tenant_id = k.tenant_id and pv.day = k.day and pv.agent_id = k.agent_id
    and pv.shop_id = k.shop_id and pv.survey_id = k.survey_id
  group by k.tenant_id, k.day, k.agent_id, k.shop_id, k.survey_id
  on conflict (tenant_id, day, agent_id, shop_id, survey_id) do update
    set started = excluded.started, completed = excluded.completed, outside_geofence = excluded.outside_geofence,
        duration_seconds = excluded.duration_seconds, answers = excluded.answers, answered = excluded.answered,
        photos = excluded.photos,
        shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
        last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (select distinct k0.tenant_id, k0.day, k0.agent_id from (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = p_tenant and p.id = p_photo) k0)
  insert into visit_agent_daily_rollups (tenant_id, day, agent_id, started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, k.agent_id, coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)
  from k
  left join visit_activity_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day and a.agent_id = k.agent_id
  group by k.tenant_id, k.day, k.agent_id
  on conflict (tenant_id, day, agent_id) do update set started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now();
  with k as (select distinct k0.tenant_id, k0.day from (
    select v.tenant_id, (v.started_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, v.agent_id,
      coalesce(v.shop_id, '00000000-0000-0000-0000-000000000000'::uuid) as shop_id, v.survey_id
    from photos p join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id
    join tenants t on t.id = v.tenant_id
    where p.tenant_id = p_tenant and p.id = p_photo) k0)
  insert into visit_tenant_daily_rollups (tenant_id, day, started, completed, outside_geofence, duration_seconds, answers, answered, photos,
    shelf_photos, shelf_area, last_activity_at)
  select k.tenant_id, k.day, coalesce(sum(a.started), 0), coalesce(sum(a.completed), 0), coalesce(sum(a.outside_geofence), 0),
    coalesce(sum(a.duration_seconds), 0), coalesce(sum(a.answers), 0), coalesce(sum(a.answered), 0),
    coalesce(sum(a.photos), 0),
    coalesce(sum(a.shelf_photos), 0), coalesce(sum(a.shelf_area), 0), max(a.last_activity_at)
  from k
  left join visit_agent_daily_rollups a on a.tenant_id = k.tenant_id and a.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update set started = excluded.started, completed = excluded.completed,
    outside_geofence = excluded.outside_geofence, duration_seconds = excluded.duration_seconds,
    answers = excluded.answers, answered = excluded.answered, photos = excluded.photos,
    shelf_photos = excluded.shelf_photos, shelf_area = excluded.shelf_area,
    last_activity_at = excluded.last_activity_at, updated_at = now();
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION call_outcomes_on_completion(p_tenant uuid, p_visit uuid)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  with k as (
    select v.tenant_id, (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit
      and v.shop_id is not null and v.completed_at is not null
      and (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date < (now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date)
  delete from call_outcome_daily_rollups r using k where r.tenant_id = k.tenant_id and r.day = k.day;
  with k as (
    select v.tenant_id, (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit
      and v.shop_id is not null and v.completed_at is not null
      and (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date < (now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date),
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
  with k as (
    select v.tenant_id, (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day
    from visits v join tenants t on t.id = v.tenant_id
    where v.tenant_id = p_tenant and v.id = p_visit
      and v.shop_id is not null and v.completed_at is not null
      and (v.completed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date < (now() at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date)
  insert into call_outcome_tenant_daily_rollups (tenant_id, day, due, done, late, missed)
  select k.tenant_id, k.day, coalesce(sum(r.due), 0), coalesce(sum(r.done), 0), coalesce(sum(r.late), 0),
    coalesce(sum(r.missed), 0)
  from (select distinct tenant_id, day from k) k
  left join call_outcome_daily_rollups r on r.tenant_id = k.tenant_id and r.day = k.day
  group by k.tenant_id, k.day
  on conflict (tenant_id, day) do update
    set due = excluded.due, done = excluded.done, late = excluded.late, missed = excluded.missed,
        updated_at = now();
END
$fn$;
