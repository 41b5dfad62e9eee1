-- Backfill of the coarse CRM report cells from the day cells already there: for each day-cell table, spread(spec, "") of src/modules/reports/crm.rollups.sql.mjs over `select * from` it (what the nightly rebuild does after refilling the day cells).
delete from crm_lead_cells;
--> statement-breakpoint
delete from crm_client_cells;
--> statement-breakpoint
delete from crm_project_cells;
--> statement-breakpoint
delete from crm_interaction_cells;
--> statement-breakpoint
delete from crm_member_cells;
--> statement-breakpoint
delete from crm_client_revenue;
--> statement-breakpoint
with f as (select * from crm_lead_rollups), s0 as (
    insert into crm_lead_cells (tenant_id, member, grain, period, status, source, leads, timed_conversions, conversion_days)
    select f.tenant_id, mm.id, g.grain, g.period, f.status, f.source,
      sum(f.leads), sum(f.timed_conversions), sum(f.conversion_days::numeric)
    from f cross join lateral (
    select distinct m.id from unnest(array['00000000-0000-0000-0000-000000000000'::uuid, nullif(f.created_by, '00000000-0000-0000-0000-000000000000'::uuid), nullif(f.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid)]) m(id)
    where m.id is not null) mm cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    group by 1, 2, 3, 4, 5, 6
    on conflict (tenant_id, member, grain, period, status, source) do update set leads = crm_lead_cells.leads + excluded.leads, timed_conversions = crm_lead_cells.timed_conversions + excluded.timed_conversions, conversion_days = crm_lead_cells.conversion_days + excluded.conversion_days)

    insert into crm_member_cells (tenant_id, user_id, grain, period, assigned_leads, assigned_converted, assigned_clients, interactions_created, projects_created)
    select f.tenant_id, f.assigned_to, g.grain, g.period,
      sum(f.leads), sum(case when f.status = 'converted' then f.leads else 0 end), 0, 0, 0
    from f cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    where f.assigned_to <> '00000000-0000-0000-0000-000000000000'::uuid
    group by 1, 2, 3, 4
    on conflict (tenant_id, user_id, grain, period) do update set assigned_leads = crm_member_cells.assigned_leads + excluded.assigned_leads, assigned_converted = crm_member_cells.assigned_converted + excluded.assigned_converted, assigned_clients = crm_member_cells.assigned_clients + excluded.assigned_clients, interactions_created = crm_member_cells.interactions_created + excluded.interactions_created, projects_created = crm_member_cells.projects_created + excluded.projects_created;
--> statement-breakpoint
with f as (select * from crm_client_rollups), s0 as (
    insert into crm_client_cells (tenant_id, member, grain, period, status, clients)
    select f.tenant_id, mm.id, g.grain, g.period, f.status,
      sum(f.clients)
    from f cross join lateral (
    select distinct m.id from unnest(array['00000000-0000-0000-0000-000000000000'::uuid, nullif(f.created_by, '00000000-0000-0000-0000-000000000000'::uuid), nullif(f.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid)]) m(id)
    where m.id is not null) mm cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    group by 1, 2, 3, 4, 5
    on conflict (tenant_id, member, grain, period, status) do update set clients = crm_client_cells.clients + excluded.clients)

    insert into crm_member_cells (tenant_id, user_id, grain, period, assigned_leads, assigned_converted, assigned_clients, interactions_created, projects_created)
    select f.tenant_id, f.assigned_to, g.grain, g.period,
      0, 0, sum(f.clients), 0, 0
    from f cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    where f.assigned_to <> '00000000-0000-0000-0000-000000000000'::uuid
    group by 1, 2, 3, 4
    on conflict (tenant_id, user_id, grain, period) do update set assigned_leads = crm_member_cells.assigned_leads + excluded.assigned_leads, assigned_converted = crm_member_cells.assigned_converted + excluded.assigned_converted, assigned_clients = crm_member_cells.assigned_clients + excluded.assigned_clients, interactions_created = crm_member_cells.interactions_created + excluded.interactions_created, projects_created = crm_member_cells.projects_created + excluded.projects_created;
--> statement-breakpoint
with f as (select * from crm_project_rollups), s0 as (
    insert into crm_project_cells (tenant_id, member, grain, period, status, month, projects, valued, value_sum, timed, duration_days)
    select f.tenant_id, mm.id, g.grain, g.period, f.status, f.month,
      sum(f.projects), sum(f.valued), sum(f.value_sum), sum(f.timed), sum(f.duration_days)
    from f cross join lateral (
    select distinct m.id from unnest(array['00000000-0000-0000-0000-000000000000'::uuid, nullif(f.created_by, '00000000-0000-0000-0000-000000000000'::uuid), nullif(f.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid)]) m(id)
    where m.id is not null) mm cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    group by 1, 2, 3, 4, 5, 6
    on conflict (tenant_id, member, grain, period, status, month) do update set projects = crm_project_cells.projects + excluded.projects, valued = crm_project_cells.valued + excluded.valued, value_sum = crm_project_cells.value_sum + excluded.value_sum, timed = crm_project_cells.timed + excluded.timed, duration_days = crm_project_cells.duration_days + excluded.duration_days), s1 as (
    insert into crm_member_cells (tenant_id, user_id, grain, period, assigned_leads, assigned_converted, assigned_clients, interactions_created, projects_created)
    select f.tenant_id, f.created_by, g.grain, g.period,
      0, 0, 0, 0, sum(f.projects)
    from f cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    where f.created_by <> '00000000-0000-0000-0000-000000000000'::uuid
    group by 1, 2, 3, 4
    on conflict (tenant_id, user_id, grain, period) do update set assigned_leads = crm_member_cells.assigned_leads + excluded.assigned_leads, assigned_converted = crm_member_cells.assigned_converted + excluded.assigned_converted, assigned_clients = crm_member_cells.assigned_clients + excluded.assigned_clients, interactions_created = crm_member_cells.interactions_created + excluded.interactions_created, projects_created = crm_member_cells.projects_created + excluded.projects_created)

    insert into crm_client_revenue (tenant_id, client_id, total_projects, total_value, won_value, pending_value)
    select f.tenant_id, f.client_id, sum(f.projects),
      coalesce(sum(f.value_sum) filter (where f.status <> 'cancelled'), 0),
      coalesce(sum(f.value_sum) filter (where f.status = 'completed'), 0),
      coalesce(sum(f.value_sum) filter (where f.status in ('pending', 'active')), 0)
    from f where f.client_id <> '00000000-0000-0000-0000-000000000000'::uuid
    group by 1, 2
    on conflict (tenant_id, client_id) do update
      set total_projects = crm_client_revenue.total_projects + excluded.total_projects, total_value = crm_client_revenue.total_value + excluded.total_value, won_value = crm_client_revenue.won_value + excluded.won_value, pending_value = crm_client_revenue.pending_value + excluded.pending_value;
--> statement-breakpoint
with f as (select * from crm_interaction_rollups), s0 as (
    insert into crm_interaction_cells (tenant_id, member, grain, period, client_status, interactions)
    select f.tenant_id, mm.id, g.grain, g.period, f.client_status,
      sum(f.interactions)
    from f cross join lateral (
    select distinct m.id from unnest(array['00000000-0000-0000-0000-000000000000'::uuid, nullif(f.created_by, '00000000-0000-0000-0000-000000000000'::uuid), nullif(f.assigned_to, '00000000-0000-0000-0000-000000000000'::uuid)]) m(id)
    where m.id is not null) mm cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    group by 1, 2, 3, 4, 5
    on conflict (tenant_id, member, grain, period, client_status) do update set interactions = crm_interaction_cells.interactions + excluded.interactions)

    insert into crm_member_cells (tenant_id, user_id, grain, period, assigned_leads, assigned_converted, assigned_clients, interactions_created, projects_created)
    select f.tenant_id, f.created_by, g.grain, g.period,
      0, 0, 0, sum(f.interactions), 0
    from f cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)
    where f.created_by <> '00000000-0000-0000-0000-000000000000'::uuid
    group by 1, 2, 3, 4
    on conflict (tenant_id, user_id, grain, period) do update set assigned_leads = crm_member_cells.assigned_leads + excluded.assigned_leads, assigned_converted = crm_member_cells.assigned_converted + excluded.assigned_converted, assigned_clients = crm_member_cells.assigned_clients + excluded.assigned_clients, interactions_created = crm_member_cells.interactions_created + excluded.interactions_created, projects_created = crm_member_cells.projects_created + excluded.projects_created;
