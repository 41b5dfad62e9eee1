// @ts-check
import { KEYS, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * Deal rollup SQL as plain statement text, the one copy: deals.rollups.ts runs it from the queue
 * and the nightly cron, scripts/bench/seed.mjs runs it to fill the benchmark dataset's rollups.
 *
 * A cell is (tenant, local day, owner): the day is the tenant-local day the deal was created
 * (deal_daily_rollups, deal_stage_daily_rollups) or closed as won (deal_won_daily_rollups). Every
 * write RECOMPUTES its cells from the source rows (deals, deal_activities) — the cells' old rows
 * are deleted and rewritten in one transaction (upserts, so concurrent recomputes of one cell
 * agree instead of colliding) — so an event applied twice, out of order or
 * after the nightly rebuild always leaves the same numbers. KEYS selects
 * `(tenant_id, day, tz, owner_id)`; duplicates are harmless.
 *
 * Each day also has a total cell under the owner `EVERY_OWNER_ID`, recomputed (the `*_TOTALS_*`
 * statements) from the source rows of every owner whenever one of the day's cells is — from the
 * deals, not from the owner cells, so two events of one day in concurrent transactions still
 * agree. A reader with the tenant scope reads one row per day and stage instead of one per owner.
 */

const STAGES = `array['qualification', 'proposal', 'negotiation', 'closed']::text[]`;

/** The owner of a day's total cell: every owner (no user has this id). */
export const EVERY_OWNER_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";
const EVERY_OWNER = `'${EVERY_OWNER_ID}'::uuid`;

/**
 * The cells `k` of KEYS: per owner, or (`total`) the days' total cells — then `k.owner_id` is
 * EVERY_OWNER and a deal of any owner belongs to it.
 * @param {boolean} total
 */
const cells = (total) =>
  total
    ? `(select distinct k0.tenant_id, k0.day, k0.tz, ${EVERY_OWNER} as owner_id from (${KEYS}) k0) k`
    : `(select distinct * from (${KEYS}) k0) k`;

/** @param {boolean} total */
const ownerMatch = (total) => (total ? "" : " and d.owner_id = k.owner_id");

/**
 * @param {string} table
 * @param {boolean} total
 * @returns {string}
 */
const deleteCells = (table, total) => `
  delete from ${table} r using ${cells(total)}
  where r.tenant_id = k.tenant_id and r.day = k.day and r.owner_id = k.owner_id`;

/**
 * The live deals created on the cell's day by its owner (FROM and JOINs over the cells `k`). The
 * day is matched twice on purpose: as a timestamptz range (an index range scan when a few cells
 * are recomputed) and as the deal's own local day (a hash join when every cell is). A total cell
 * (every owner) reads its day's deals in a subquery kept apart (`offset 0`), so the range is an
 * index condition on (tenant_id, created_at): joined flat, the planner scanned every deal of the
 * tenant for it (on the bench's 200k-deal tenant about 80-150 ms per event, against 2-13 ms).
 * @param {boolean} total
 */
const createdInCell = (total) => {
  const onDay = `${onLocalDay("d.created_at", "k.day", "k.tz")}
    and (d.created_at at time zone ${TENANT_TZ.replaceAll("t.", "dt.")})::date = k.day`;
  if (total) {
    return `
  from ${cells(true)}
  join tenants dt on dt.id = k.tenant_id
  cross join lateral (
    select d.* from deals d
    where d.tenant_id = k.tenant_id and d.deleted_at is null and ${onDay}
    offset 0) d`;
  }
  return `
  from ${cells(false)}
  join (deals d join tenants dt on dt.id = d.tenant_id)
    on d.tenant_id = k.tenant_id${ownerMatch(false)} and d.deleted_at is null
    and ${onDay}`;
};

/**
 * Deals and amount per status and current stage.
 * @param {boolean} total
 */
const dealCellsInsert = (total) => `
  insert into deal_daily_rollups (tenant_id, day, owner_id, status, stage, deals, amount)
  select k.tenant_id, k.day, k.owner_id, d.status, d.stage, count(*)::int, sum(d.amount)
  ${createdInCell(total)}
  group by k.tenant_id, k.day, k.owner_id, d.status, d.stage
  on conflict (tenant_id, day, owner_id, status, stage) do update
    set deals = excluded.deals, amount = excluded.amount`;

const DEAL_CELLS_DELETE = deleteCells("deal_daily_rollups", false);
export const DEAL_CELLS_INSERT = dealCellsInsert(false);
const DEAL_TOTALS_DELETE = deleteCells("deal_daily_rollups", true);
export const DEAL_TOTALS_INSERT = dealCellsInsert(true);

/**
 * Per stage: the deals that got at least that far (the furthest stage a deal ever entered — its
 * first stage, every stage a change moved it to — is at or after it), and the finished stays in
 * it: from entering (creation, or the change that moved it there) to the next change of stage.
 * @param {boolean} total
 */
const stageCellsInsert = (total) => `
  insert into deal_stage_daily_rollups (tenant_id, day, owner_id, stage, reached, stays, stay_seconds)
  select k.tenant_id, k.day, k.owner_id, x.stage, sum(x.reached)::int, sum(x.stays)::int, round(sum(x.secs))
  ${createdInCell(total)}
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
      case when st.ord <= (select max(array_position(${STAGES}, e.stage)) from e) then 1 else 0 end as reached,
      (select count(e.left_at) from e where e.stage = st.stage) as stays,
      (select coalesce(sum(extract(epoch from e.left_at - e.at)), 0) from e where e.stage = st.stage) as secs
    from unnest(${STAGES}) with ordinality st(stage, ord)
  ) x
  group by k.tenant_id, k.day, k.owner_id, x.stage
  having sum(x.reached) > 0 or sum(x.stays) > 0
  on conflict (tenant_id, day, owner_id, stage) do update
    set reached = excluded.reached, stays = excluded.stays, stay_seconds = excluded.stay_seconds`;

const STAGE_CELLS_DELETE = deleteCells("deal_stage_daily_rollups", false);
export const STAGE_CELLS_INSERT = stageCellsInsert(false);
const STAGE_TOTALS_DELETE = deleteCells("deal_stage_daily_rollups", true);
export const STAGE_TOTALS_INSERT = stageCellsInsert(true);

/**
 * Won deals and their amount per local day of closing and owner.
 * @param {boolean} total
 */
const wonCellsInsert = (total) => `
  insert into deal_won_daily_rollups (tenant_id, day, owner_id, deals, amount)
  select k.tenant_id, k.day, k.owner_id, count(*)::int, sum(d.amount)
  from ${cells(total)}
  join deals d on d.tenant_id = k.tenant_id${ownerMatch(total)} and d.status = 'won'
    and d.deleted_at is null and ${onLocalDay("d.closed_at", "k.day", "k.tz")}
  group by k.tenant_id, k.day, k.owner_id
  on conflict (tenant_id, day, owner_id) do update set deals = excluded.deals, amount = excluded.amount`;

const WON_CELLS_DELETE = deleteCells("deal_won_daily_rollups", false);
export const WON_CELLS_INSERT = wonCellsInsert(false);
const WON_TOTALS_DELETE = deleteCells("deal_won_daily_rollups", true);
export const WON_TOTALS_INSERT = wonCellsInsert(true);

/**
 * Recomputes the creation cells of KEYS (the deals created on those days), in order, one batch:
 * the status/stage cells and their day totals, then the stage-funnel cells and their totals.
 * @type {readonly [string, ...string[]]}
 */
export const CREATION_CELLS_RECOMPUTE = [
  DEAL_CELLS_DELETE,
  DEAL_CELLS_INSERT,
  DEAL_TOTALS_DELETE,
  DEAL_TOTALS_INSERT,
  STAGE_CELLS_DELETE,
  STAGE_CELLS_INSERT,
  STAGE_TOTALS_DELETE,
  STAGE_TOTALS_INSERT,
];

/**
 * Recomputes the won cells of KEYS (the deals won on those days) and their day totals, in order.
 * @type {readonly [string, ...string[]]}
 */
export const WON_CELLS_RECOMPUTE = [WON_CELLS_DELETE, WON_CELLS_INSERT, WON_TOTALS_DELETE, WON_TOTALS_INSERT];

/** KEYS of every creation cell of every tenant (a full rebuild, the bench seed). */
export const ALL_DEAL_CELLS = `
  select distinct x.tenant_id, (x.created_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz, x.owner_id
  from deals x join tenants t on t.id = x.tenant_id`;

/** KEYS of every won cell of every tenant. */
export const ALL_WON_CELLS = `
  select distinct x.tenant_id, (x.closed_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz, x.owner_id
  from deals x join tenants t on t.id = x.tenant_id
  where x.status = 'won' and x.closed_at is not null`;
