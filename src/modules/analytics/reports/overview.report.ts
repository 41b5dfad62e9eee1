import { sql } from "drizzle-orm";
import { z } from "zod";
import { sharedScope, visibleUserIds } from "../../../core/scope";
import {
  adherencePercent,
  daysFrom,
  plannedCallInScope,
  plannedCallStates,
  rollupCallInScope,
} from "../../call-cycles";
import { checkRange, rangeQuery, rangeSchema } from "../range";
import { defineReport } from "../report";
import { average, brandShelfSource, percent, rangeCte, visitActivitySource } from "../sql-parts";

const metric = (description: string) =>
  z
    .object({
      value: z.number().nullable().describe("In the range (null when it cannot be computed, e.g. no visits)"),
      previous: z.number().nullable().describe("In the previous period of equal length"),
    })
    .describe(description);

const overviewSchema = z
  .object({
    range: rangeSchema,
    previous_range: z.object({ start_date: z.iso.date(), end_date: z.iso.date() }),
    visits_started: metric("Visits started (on the tenant-local day they started)"),
    visits_completed: metric("Of those, visits completed"),
    completion_rate: metric("visits_completed / visits_started, in percent"),
    average_visit_duration_seconds: metric("Mean completion − start of the completed visits, in seconds"),
    geofence_exceptions: metric("Visits started further from their shop than the geofence radius"),
    photos: metric("Photos registered on those visits"),
    shelf_photos: metric("Of those, photos with shelf marks"),
    adherence: metric(
      "Call-cycle adherence in percent (2 decimals): (done + late) ÷ (done + late + missed) × 100 over the calls planned in the period by the active call cycles in your scope (states as in GET /api/call_cycles/{id}/status; upcoming calls are not due yet); null when nothing was due. History is as planned on the day: past days are read from call outcomes frozen nightly (a late completion recomputes its day), so a plan edit changes today and the days ahead, and yesterday until the nightly run has frozen it, never the days before; today and an unfrozen yesterday are computed live from the plan (today counts its done and late calls only: none is missed before the day ends)",
    ),
    shelf_share: z
      .array(
        z.object({
          brand_id: z.uuid(),
          name: z.string().nullable(),
          share: metric("The brand's share of all marked shelf area (percent), weighted by marked area"),
        }),
      )
      .describe("Every brand marked in either period, largest current share first"),
  })
  .openapi("AnalyticsOverview");

type OverviewRow = {
  start_date: string;
  end_date: string;
  previous_start_date: string;
  previous_end_date: string;
  timezone: string;
  cur: Totals;
  prev: Totals;
  brands: { brand_id: string; name: string | null; area: number; prev_area: number }[];
  adh: { cur_done: number; cur_missed: number; prev_done: number; prev_missed: number };
};

interface Totals {
  started: number;
  completed: number;
  outside: number;
  seconds: number;
  photos: number;
  shelf_photos: number;
  shelf_area: number;
}

const totals = (when: string) => {
  const f = sql.raw(`filter (where a.day ${when})`);
  return sql`json_build_object(
    'started', coalesce(sum(a.started) ${f}, 0)::float8,
    'completed', coalesce(sum(a.completed) ${f}, 0)::float8,
    'outside', coalesce(sum(a.outside_geofence) ${f}, 0)::float8,
    'seconds', coalesce(sum(a.duration_seconds) ${f}, 0)::float8,
    'photos', coalesce(sum(a.photos) ${f}, 0)::float8,
    'shelf_photos', coalesce(sum(a.shelf_photos) ${f}, 0)::float8,
    'shelf_area', coalesce(sum(a.shelf_area) ${f}, 0)::float8)`;
};

export const overviewReport = defineReport({
  path: "/overview",
  summary: "Analytics overview: KPIs with the previous period",
  description:
    "Role-scoped KPIs (an agent sees their own figures, a team leader their team's, managers their subtree's, admins the tenant's) for `start_date`..`end_date` (ISO dates, inclusive, in the tenant's time zone; default the last 30 days; `start_date` after `end_date` is a 400), each with the previous period of equal length: visits started and completed, completion rate, average visit duration, geofence exceptions, photos, and each brand's shelf share weighted by marked area. Read from the rollup tables (kept by the queue, rebuilt every 15 minutes for today and nightly for yesterday), so the cost does not grow with the raw tables. Call-cycle adherence counts the calls the active call cycles in your scope planned in each period: past days from the call-outcome rollup (frozen nightly, as planned on the day), today (and yesterday until the nightly run froze it) live from the plan tables and the per-shop daily visit rollup.",
  permission: "analytics:read",
  query: z.strictObject(rangeQuery).superRefine(checkRange),
  response: z.object({ data: overviewSchema }),
  async run(caller, query) {
    // The visible users once for the whole statement (a manager's scope is a team-tree query).
    const { ctx, cte } = sharedScope(caller);
    const activity = visitActivitySource(ctx, "a");
    const shelf = brandShelfSource(ctx, "b");
    // Past days from the frozen call outcomes (per tenant-day for the tenant scope); yesterday
    // live from the plan until the nightly run has frozen it (its tenant-day row exists); today
    // live, where only the calls done so far count, so only the shops visited today are expanded.
    const today = sql`(select (now() at time zone tz)::date from rng)`;
    const frozen = sql`exists (select 1 from call_outcome_tenant_daily_rollups f
      where f.tenant_id = ${ctx.tenantId} and f.day = ${today} - 1)`;
    const visitedToday = sql`l.shop_id in (select x.shop_id from shop_visit_daily_rollups x
      where x.tenant_id = ${ctx.tenantId} and x.day = ${today} and x.completed > 0)`;
    const liveDays = sql`select * from (${daysFrom(sql`${today} - 1`, 2)}) d where d.day = ${today} or not ${frozen}`;
    const adherence = visibleUserIds(ctx)
      ? { table: sql`call_outcome_daily_rollups`, where: rollupCallInScope(ctx, "r") }
      : { table: sql`call_outcome_tenant_daily_rollups`, where: sql`true` };
    const result = await ctx.db.execute<OverviewRow>(sql`
      with ${cte ? sql`${cte},` : sql``} ${rangeCte(ctx, query)},
      act as (
        select ${totals(">= rng.s")} as cur, ${totals("< rng.s")} as prev
        from rng join ${activity.table} a
          on a.tenant_id = ${ctx.tenantId} and a.day between rng.ps and rng.e
        where ${activity.where}
      ),
      brand as (
        select b.brand_id, coalesce(sum(b.brand_area) filter (where b.day >= rng.s), 0)::float8 as area,
          coalesce(sum(b.brand_area) filter (where b.day < rng.s), 0)::float8 as prev_area
        from rng join ${shelf.table} b
          on b.tenant_id = ${ctx.tenantId} and b.day between rng.ps and rng.e
        where ${shelf.where}
        group by b.brand_id
      ),
      adh as (
        select json_build_object(
          'cur_done', coalesce(sum(z.ok) filter (where z.day >= rng.s), 0),
          'cur_missed', coalesce(sum(z.missed) filter (where z.day >= rng.s), 0),
          'prev_done', coalesce(sum(z.ok) filter (where z.day < rng.s), 0),
          'prev_missed', coalesce(sum(z.missed) filter (where z.day < rng.s), 0)) as adh
        from rng cross join (
          select r.day, r.done + r.late as ok, r.missed
          from ${adherence.table} r
          where r.tenant_id = ${ctx.tenantId} and r.day >= (select ps from rng) and r.day <= (select e from rng)
            and r.day < ${today} and (r.day < ${today} - 1 or ${frozen}) and ${adherence.where}
          union all
          select q.day, (q.state in ('done', 'late'))::int, (q.state = 'missed')::int
          from (${plannedCallStates(ctx, liveDays, sql`${plannedCallInScope(ctx)} and (d.day < ${today} or ${visitedToday})`, today, "days")}) q
        ) z
        where z.day between rng.ps and rng.e
        group by rng.s
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.ps::text as previous_start_date,
        rng.pe::text as previous_end_date, rng.tz as timezone, act.cur, act.prev,
        coalesce(adh.adh, '{"cur_done":0,"cur_missed":0,"prev_done":0,"prev_missed":0}'::json) as adh,
        coalesce((
          select json_agg(json_build_object('brand_id', brand.brand_id, 'name', br.name, 'area', brand.area,
            'prev_area', brand.prev_area) order by brand.area desc, brand.brand_id)
          from brand left join brands br on br.tenant_id = ${ctx.tenantId} and br.id = brand.brand_id
        ), '[]'::json) as brands
      from rng cross join act left join adh on true`);
    const row = result.rows[0];
    if (!row) throw new Error("the overview statement returned no row");
    const { cur, prev } = row;
    const both = (f: (t: Totals) => number | null) => ({ value: f(cur), previous: f(prev) });
    return {
      data: {
        range: { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone },
        previous_range: { start_date: row.previous_start_date, end_date: row.previous_end_date },
        visits_started: both((t) => t.started),
        visits_completed: both((t) => t.completed),
        completion_rate: both((t) => percent(t.completed, t.started)),
        average_visit_duration_seconds: both((t) => average(t.seconds, t.completed)),
        geofence_exceptions: both((t) => t.outside),
        photos: both((t) => t.photos),
        shelf_photos: both((t) => t.shelf_photos),
        adherence: {
          value: adherencePercent(row.adh.cur_done, row.adh.cur_missed),
          previous: adherencePercent(row.adh.prev_done, row.adh.prev_missed),
        },
        shelf_share: row.brands.map((b) => ({
          brand_id: b.brand_id,
          name: b.name,
          share: { value: percent(b.area, cur.shelf_area), previous: percent(b.prev_area, prev.shelf_area) },
        })),
      },
    };
  },
});
