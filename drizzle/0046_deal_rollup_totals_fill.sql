-- Day total cells (owner ffffffff-…) of the deal rollups for every existing cell: the tenant-scope
-- summary and funnel read them (src/modules/deals/deals.rollups.sql.mjs, the *_TOTALS_INSERT statements).

  insert into deal_daily_rollups (tenant_id, day, owner_id, status, stage, deals, amount)
  select k.tenant_id, k.day, k.owner_id, d.status, d.stage, count(*)::int, sum(d.amount)
  
  from (select distinct k0.tenant_id, k0.day, k0.tz, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid as owner_id from (
  select distinct x.tenant_id, (x.created_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, x.owner_id
  from deals x join tenants t on t.id = x.tenant_id) k0) k
  join (deals d join tenants dt on dt.id = d.tenant_id)
    on d.tenant_id = k.tenant_id and d.deleted_at is null
    and d.created_at >= ((k.day)::timestamp at time zone k.tz) and d.created_at < (((k.day) + 1)::timestamp at time zone k.tz)
    and (d.created_at at time zone coalesce(nullif(dt.settings->>'timezone', ''), 'UTC'))::date = k.day
  group by k.tenant_id, k.day, k.owner_id, d.status, d.stage
  on conflict (tenant_id, day, owner_id, status, stage) do update
    set deals = excluded.deals, amount = excluded.amount;--> statement-breakpoint

  insert into deal_stage_daily_rollups (tenant_id, day, owner_id, stage, reached, stays, stay_seconds)
  select k.tenant_id, k.day, k.owner_id, x.stage, sum(x.reached)::int, sum(x.stays)::int, round(sum(x.secs))
  
  from (select distinct k0.tenant_id, k0.day, k0.tz, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid as owner_id from (
  select distinct x.tenant_id, (x.created_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, x.owner_id
  from deals x join tenants t on t.id = x.tenant_id) k0) k
  join (deals d join tenants dt on dt.id = d.tenant_id)
    on d.tenant_id = k.tenant_id and d.deleted_at is null
    and d.created_at >= ((k.day)::timestamp at time zone k.tz) and d.created_at < (((k.day) + 1)::timestamp at time zone k.tz)
    and (d.created_at at time zone coalesce(nullif(dt.settings->>'timezone', ''), 'UTC'))::date = k.day
  cross join lateral (
    with moves as (
      select a.id, a.from_stage, a.to_stage, a.created_at from deal_activities a
      where a.tenant_id = d.tenant_id and a.deal_id = d.id and a.kind = 'change' and a.from_stage <> a.to_stage
    ),
    entered as (
      select coalesce((select m.from_stage from moves m order by m.created_at, m.id limit 1), d.stage) as stage,
        d.created_at as at, 0 as seq, null::uuid as id
      union all
      select m.to_stage, m.created_at, 1, m.id from moves m
    ),
    e as (select stage, at, lead(at) over (order by at, seq, id) as left_at from entered)
    select st.stage,
      case when st.ord <= (select max(array_position(array['qualification', 'proposal', 'negotiation', 'closed']::text[], e.stage)) from e) then 1 else 0 end as reached,
      (select count(e.left_at) from e where e.stage = st.stage) as stays,
      (select coalesce(sum(extract(epoch from e.left_at - e.at)), 0) from e where e.stage = st.stage) as secs
    from unnest(array['qualification', 'proposal', 'negotiation', 'closed']::text[]) with ordinality st(stage, ord)
  ) x
  group by k.tenant_id, k.day, k.owner_id, x.stage
  having sum(x.reached) > 0 or sum(x.stays) > 0
  on conflict (tenant_id, day, owner_id, stage) do update
    set reached = excluded.reached, stays = excluded.stays, stay_seconds = excluded.stay_seconds;--> statement-breakpoint

  insert into deal_won_daily_rollups (tenant_id, day, owner_id, deals, amount)
  select k.tenant_id, k.day, k.owner_id, count(*)::int, sum(d.amount)
  from (select distinct k0.tenant_id, k0.day, k0.tz, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid as owner_id from (
  select distinct x.tenant_id, (x.closed_at at time zone coalesce(nullif(t.settings->>'timezone', ''), 'UTC'))::date as day, coalesce(nullif(t.settings->>'timezone', ''), 'UTC') as tz, x.owner_id
  from deals x join tenants t on t.id = x.tenant_id
  where x.status = 'won' and x.closed_at is not null) k0) k
  join deals d on d.tenant_id = k.tenant_id and d.status = 'won'
    and d.deleted_at is null and d.closed_at >= ((k.day)::timestamp at time zone k.tz) and d.closed_at < (((k.day) + 1)::timestamp at time zone k.tz)
  group by k.tenant_id, k.day, k.owner_id
  on conflict (tenant_id, day, owner_id) do update set deals = excluded.deals, amount = excluded.amount;
