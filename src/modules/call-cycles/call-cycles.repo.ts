import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, auditRow, isoSql } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { uuidv7 } from "../../core/ids";
import { projection, visible } from "../../core/resource/sql";
import { callCycleResource } from "./call-cycles.resource";
import type { LocationDto } from "./call-cycles.schemas";

/**
 * The SQL of call cycles beyond the kit's verbs: the cycle with its locations, adding and removing
 * locations (one statement each, with their audit rows, bumping the cycle's version).
 */

const res = callCycleResource;

/** A location row under `alias` as the API's JSON (the shop's name from a subquery). */
function locationJson(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`json_build_object('id', ${a}.id, 'call_cycle_id', ${a}.call_cycle_id, 'shop_id', ${a}.shop_id,
    'shop_name', (select ls.name from shops ls where ls.tenant_id = ${a}.tenant_id and ls.id = ${a}.shop_id),
    'frequency', ${a}.frequency, 'weekdays', ${a}.weekdays, 'interval_weeks', ${a}.interval_weeks,
    'month_day', ${a}.month_day, 'window_start', to_char(${a}.window_start, 'HH24:MI'),
    'window_end', to_char(${a}.window_end, 'HH24:MI'), 'agent_id', ${a}.agent_id, 'team_id', ${a}.team_id,
    'version', ${a}.version, 'created_by', ${a}.created_by, 'created_at', ${isoSql(sql`${a}.created_at`)},
    'updated_at', ${isoSql(sql`${a}.updated_at`)})`;
}

/** The cycle under `alias` with its live locations (ordered by shop name, then id). */
export function withLocations(alias: string): SQL {
  const a = sql.raw(alias);
  return projection(res, alias, {
    locations: sql`coalesce((
      select json_agg(${locationJson("cl")} order by (select lower(os.name) from shops os
        where os.tenant_id = cl.tenant_id and os.id = cl.shop_id), cl.id)
      from call_cycle_locations cl
      where cl.tenant_id = ${a}.tenant_id and cl.call_cycle_id = ${a}.id and cl.deleted_at is null), '[]'::json)`,
  });
}

/** A location to insert, validated, with its ids. */
export interface NewLocation {
  ord: number;
  id: string;
  audit_id: string;
  shop_id: string;
  frequency: string;
  weekdays: number[] | null;
  interval_weeks: number | null;
  month_day: number | null;
  window_start: string | null;
  window_end: string | null;
  agent_id: string | null;
  team_id: string | null;
}

export type InsertLocationsOutcome = {
  found: boolean;
  /** The first input (by `ord`) whose reference is not in the tenant, and which field. */
  refusal: { ord: number; field: "shop_id" | "agent_id" | "team_id" } | null;
  /** The first input (by `ord`) whose shop is already a live location of the cycle. */
  taken: number | null;
  rows: LocationDto[];
};

/**
 * Inserts the locations into cycle `cycleId` (live, in the caller's scope) in one statement:
 * every shop must be a live shop of the tenant, every agent a member, every team a team of the
 * tenant, no shop already in the cycle — otherwise nothing is written. Each location gets its
 * audit row; the cycle's version is bumped.
 */
export async function insertLocations(
  ctx: TenantContext,
  cycleId: string,
  items: NewLocation[],
): Promise<InsertLocationsOutcome> {
  const t = ctx.tenantId;
  const audit = auditRow(ctx, {
    action: "call_cycle_location.create",
    entityType: "call_cycle_location",
    entityId: null,
  });
  const result = await ctx.db.execute<InsertLocationsOutcome>(sql`
    with cyc as (
      select c.id from call_cycles c where ${visible(ctx, res, "c")} and c.id = ${cycleId}::uuid and c.deleted_at is null
    ),
    input as (
      select x.* from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as x(ord int, id uuid, audit_id uuid,
        shop_id uuid, frequency text, weekdays jsonb, interval_weeks smallint, month_day smallint,
        window_start time, window_end time, agent_id uuid, team_id uuid)
    ),
    refusal as (
      select i.ord, f.field from input i
      cross join lateral (values
        (1, 'shop_id', not exists (select 1 from shops s
          where s.tenant_id = ${t}::uuid and s.id = i.shop_id and s.deleted_at is null)),
        (2, 'agent_id', i.agent_id is not null and not exists (select 1 from memberships m
          where m.tenant_id = ${t}::uuid and m.user_id = i.agent_id)),
        (3, 'team_id', i.team_id is not null and not exists (select 1 from teams tm
          where tm.tenant_id = ${t}::uuid and tm.id = i.team_id))
      ) f(rank, field, bad)
      where f.bad and exists (select 1 from cyc)
      order by i.ord, f.rank limit 1
    ),
    taken as (
      select i.ord from input i join call_cycle_locations l on l.tenant_id = ${t}::uuid
        and l.call_cycle_id = ${cycleId}::uuid and l.shop_id = i.shop_id and l.deleted_at is null
      where exists (select 1 from cyc)
      order by i.ord limit 1
    ),
    ins as (
      insert into call_cycle_locations (tenant_id, id, call_cycle_id, shop_id, frequency, weekdays, interval_weeks,
        month_day, window_start, window_end, agent_id, team_id, created_by)
      select ${t}::uuid, i.id, cyc.id, i.shop_id, i.frequency,
        case when i.weekdays is null then null
          else array(select e::smallint from jsonb_array_elements_text(i.weekdays) e) end,
        i.interval_weeks, i.month_day, i.window_start, i.window_end, i.agent_id, i.team_id, ${ctx.userId}::uuid
      from input i cross join cyc
      where not exists (select 1 from refusal) and not exists (select 1 from taken)
      returning *
    ),
    bump as (
      update call_cycles c set version = c.version + 1, updated_at = now()
      where c.tenant_id = ${t}::uuid and c.id = ${cycleId}::uuid and exists (select 1 from ins)
      returning 1
    ),
    aud as (
      insert into audit_logs (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values,
        ip, user_agent, request_id)
      select ${t}::uuid, i.audit_id, ${ctx.userId}::uuid, ${audit.action}::text, ${audit.entityType}::text, ins.id::text,
        null, to_jsonb(ins) - 'tenant_id' - 'version' - 'created_at' - 'updated_at' - 'deleted_at',
        ${audit.ip ?? null}::inet, ${audit.userAgent ?? null}::text, ${audit.requestId ?? null}::text
      from ins join input i on i.id = ins.id
      returning 1
    )
    select exists (select 1 from cyc) as found,
      (select json_build_object('ord', ord, 'field', field) from refusal) as refusal,
      (select ord from taken) as taken,
      coalesce((select json_agg(${locationJson("ins")} order by ins.id) from ins), '[]'::json) as rows`);
  const row = result.rows[0];
  return {
    found: row?.found === true,
    refusal: row?.refusal ?? null,
    taken: row?.taken ?? null,
    rows: row?.rows ?? [],
  };
}

/** Soft-deletes a live location of a live cycle in the caller's scope, audited, bumping the cycle's version. */
export async function softDeleteLocation(
  ctx: TenantContext,
  cycleId: string,
  locationId: string,
): Promise<{ cycle: boolean; deleted: boolean }> {
  const t = ctx.tenantId;
  const audit = auditRow(ctx, {
    action: "call_cycle_location.delete",
    entityType: "call_cycle_location",
    entityId: locationId,
  });
  const result = await ctx.db.execute<{ cycle: boolean; deleted: boolean }>(sql`
    with cyc as (
      select c.id from call_cycles c where ${visible(ctx, res, "c")} and c.id = ${cycleId}::uuid and c.deleted_at is null
    ),
    cur as (
      select l.* from call_cycle_locations l join cyc on cyc.id = l.call_cycle_id
      where l.tenant_id = ${t}::uuid and l.id = ${locationId}::uuid and l.deleted_at is null
    ),
    upd as (
      update call_cycle_locations l set deleted_at = now(), version = l.version + 1, updated_at = now()
      from cur where l.tenant_id = ${t}::uuid and l.id = cur.id and l.deleted_at is null
      returning l.*
    ),
    bump as (
      update call_cycles c set version = c.version + 1, updated_at = now()
      where c.tenant_id = ${t}::uuid and c.id = ${cycleId}::uuid and exists (select 1 from upd)
      returning 1
    ),
    aud as (${auditInsertSelect(
      audit,
      {
        old: sql`to_jsonb(cur) - 'tenant_id' - 'deleted_at'`,
        new: sql`jsonb_build_object('deleted_at', upd.deleted_at)`,
      },
      sql`from upd, cur`,
    )})
    select exists (select 1 from cyc) as cycle, exists (select 1 from upd) as deleted`);
  const row = result.rows[0];
  return { cycle: row?.cycle === true, deleted: row?.deleted === true };
}

/** Ids for new locations, sorted so equal-millisecond ids keep the request's order. */
export function newIds(n: number): { ids: string[]; auditIds: string[] } {
  const ids = Array.from({ length: n }, () => uuidv7()).sort();
  const auditIds = Array.from({ length: n }, () => uuidv7()).sort();
  return { ids, auditIds };
}
