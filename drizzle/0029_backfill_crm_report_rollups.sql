-- Backfill of the CRM report rollups and last_interaction_at (the nightly full rebuild, src/modules/reports/crm.rollups.sql.mjs).
delete from crm_lead_rollups;
--> statement-breakpoint
delete from crm_client_rollups;
--> statement-breakpoint
delete from crm_project_rollups;
--> statement-breakpoint
delete from crm_interaction_rollups;
--> statement-breakpoint
insert into crm_lead_rollups (tenant_id, day, created_by, assigned_to, status, source, leads,
    timed_conversions, conversion_days)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid), x.lead_status,
    coalesce(x.lead_source, ''), count(*),
    count(*) filter (where x.lead_status = 'converted' and x.converted_at is not null),
    coalesce(sum(extract(epoch from x.converted_at - x.created_at) / 86400.0)
      filter (where x.lead_status = 'converted' and x.converted_at is not null), 0)
  
  from (select distinct k0.tenant_id, k0.day, k0.tz, k0.created_by from (
  select distinct x.tenant_id, (x.created_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz,
    coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) as created_by
  from leads x join tenants t on t.id = x.tenant_id) k0) k
  join leads x on x.tenant_id = k.tenant_id and coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) = k.created_by
    and x.created_at >= ((k.day)::timestamp at time zone k.tz) and x.created_at < (((k.day) + 1)::timestamp at time zone k.tz) and x.deleted_at is null
  group by 1, 2, 3, 4, 5, 6
  on conflict (tenant_id, day, created_by, assigned_to, status, source) do update
    set leads = excluded.leads, timed_conversions = excluded.timed_conversions,
        conversion_days = excluded.conversion_days, updated_at = now();
--> statement-breakpoint
insert into crm_client_rollups (tenant_id, day, created_by, assigned_to, status, clients)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid), x.status, count(*)
  
  from (select distinct k0.tenant_id, k0.day, k0.tz, k0.created_by from (
  select distinct x.tenant_id, (x.created_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz,
    coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) as created_by
  from clients x join tenants t on t.id = x.tenant_id) k0) k
  join clients x on x.tenant_id = k.tenant_id and coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) = k.created_by
    and x.created_at >= ((k.day)::timestamp at time zone k.tz) and x.created_at < (((k.day) + 1)::timestamp at time zone k.tz) and x.deleted_at is null
  group by 1, 2, 3, 4, 5
  on conflict (tenant_id, day, created_by, assigned_to, status) do update
    set clients = excluded.clients, updated_at = now();
--> statement-breakpoint
insert into crm_project_rollups (tenant_id, day, created_by, assigned_to, client_id, status, month,
    projects, valued, value_sum, timed, duration_days)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(x.client_id, '00000000-0000-0000-0000-000000000000'::uuid),
    x.status, coalesce(to_char(coalesce(x.end_date, x.start_date), 'YYYY-MM'), ''), count(*),
    count(x.value), coalesce(sum(x.value), 0),
    count(*) filter (where x.start_date is not null and x.end_date is not null),
    coalesce(sum(x.end_date - x.start_date), 0)
  
  from (select distinct k0.tenant_id, k0.day, k0.tz, k0.created_by from (
  select distinct x.tenant_id, (x.created_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz,
    coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) as created_by
  from projects x join tenants t on t.id = x.tenant_id) k0) k
  join projects x on x.tenant_id = k.tenant_id and coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) = k.created_by
    and x.created_at >= ((k.day)::timestamp at time zone k.tz) and x.created_at < (((k.day) + 1)::timestamp at time zone k.tz) and x.deleted_at is null
  group by 1, 2, 3, 4, 5, 6, 7
  on conflict (tenant_id, day, created_by, assigned_to, client_id, status, month) do update
    set projects = excluded.projects, valued = excluded.valued, value_sum = excluded.value_sum,
        timed = excluded.timed, duration_days = excluded.duration_days, updated_at = now();
--> statement-breakpoint
insert into crm_interaction_rollups (tenant_id, day, created_by, assigned_to, client_status, interactions)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(c.status, ''), count(*)
  
  from (select distinct k0.tenant_id, k0.day, k0.tz, k0.created_by from (
  select distinct x.tenant_id, (x.created_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz,
    coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) as created_by
  from interactions x join tenants t on t.id = x.tenant_id) k0) k
  join interactions x on x.tenant_id = k.tenant_id and coalesce(x.created_by, '00000000-0000-0000-0000-000000000000'::uuid) = k.created_by
    and x.created_at >= ((k.day)::timestamp at time zone k.tz) and x.created_at < (((k.day) + 1)::timestamp at time zone k.tz) and x.deleted_at is null
  left join clients c on c.tenant_id = x.tenant_id and c.id = x.client_id and c.deleted_at is null
  group by 1, 2, 3, 4, 5
  on conflict (tenant_id, day, created_by, assigned_to, client_status) do update
    set interactions = excluded.interactions, updated_at = now();
--> statement-breakpoint
with k as (select distinct k0.tenant_id, k0.id from (select tenant_id, id from clients) k0),
  m as (
    select k.tenant_id, k.id, (select max(x.start_date_time) from interactions x
      where x.tenant_id = k.tenant_id and x.client_id = k.id and x.deleted_at is null) as at
    from k)
  update clients e set last_interaction_at = m.at
  from m where e.tenant_id = m.tenant_id and e.id = m.id and e.last_interaction_at is distinct from m.at;
--> statement-breakpoint
with k as (select distinct k0.tenant_id, k0.id from (select tenant_id, id from leads) k0),
  m as (
    select k.tenant_id, k.id, (select max(x.start_date_time) from interactions x
      where x.tenant_id = k.tenant_id and x.lead_id = k.id and x.deleted_at is null) as at
    from k)
  update leads e set last_interaction_at = m.at
  from m where e.tenant_id = m.tenant_id and e.id = m.id and e.last_interaction_at is distinct from m.at;
