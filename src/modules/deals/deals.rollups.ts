import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";
import {
  payloadId,
  type RollupContext,
  recomputeCells,
  TENANT_TZ_SQL,
  tenantYesterday,
} from "../../core/rollups";
import { CREATION_CELLS_RECOMPUTE, WON_CELLS_RECOMPUTE } from "./deals.rollups.sql.mjs";

/**
 * The deal rollups (summary and funnel): the queue applies `deal.changed` by recomputing the
 * deal's cells before and after the write (its creation day under its old and new owner, its won
 * day before and after); the nightly cron recomputes the cells of every deal written on the
 * tenant's yesterday, so a lost event heals overnight. Each recompute also recomputes the total
 * cells of the same days (every owner). The statements are in deals.rollups.sql.mjs; this file
 * only chooses the cells.
 */

function recompute(rc: RollupContext, cells: SQL, wonCells: SQL) {
  const { db } = rc;
  return db.batch([
    ...recomputeCells(db, cells, CREATION_CELLS_RECOMPUTE),
    ...recomputeCells(db, wonCells, WON_CELLS_RECOMPUTE),
  ]);
}

const optionalText = (event: DomainEvent, field: string): string | null => {
  const value = event.payload[field];
  return typeof value === "string" ? value : null;
};

/**
 * `deal.changed` (`deal_id`, `previous_owner_id`, `previous_closed_at`; or the kit's `{ entity, id }`
 * from a trash restore): one atomic round trip.
 * A deleted deal recomputes its cells without it; an unknown deal recomputes nothing.
 */
export async function applyDealChanged(event: DomainEvent, rc: RollupContext): Promise<void> {
  const dealId = payloadId(event, "deal_id" in event.payload ? "deal_id" : "id");
  const previousOwner = optionalText(event, "previous_owner_id");
  const previousClosed = optionalText(event, "previous_closed_at");
  const cells = sql`
    select d.tenant_id, (d.created_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, o.owner_id
    from deals d join tenants t on t.id = d.tenant_id
    cross join lateral (values (d.owner_id), (${previousOwner}::uuid)) o(owner_id)
    where d.tenant_id = ${event.tenant_id}::uuid and d.id = ${dealId}::uuid and o.owner_id is not null`;
  const wonCells = sql`
    select d.tenant_id, (c.closed_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, c.owner_id
    from deals d join tenants t on t.id = d.tenant_id
    cross join lateral (values (d.closed_at, d.owner_id),
      (${previousClosed}::timestamptz, coalesce(${previousOwner}::uuid, d.owner_id))) c(closed_at, owner_id)
    where d.tenant_id = ${event.tenant_id}::uuid and d.id = ${dealId}::uuid and c.closed_at is not null`;
  await recompute(rc, cells, wonCells);
}

/** Nightly: recomputes the cells of every deal written on its tenant's yesterday (current owner). */
export async function rebuildYesterdayDealRollups(rc: RollupContext, now: Date): Promise<{ rebuilt: true }> {
  const written = sql.raw(onLocalDay("d.updated_at", "y.day", TENANT_TZ));
  const from = sql`from tenants t cross join lateral (select ${tenantYesterday(now)} as day) y
    join deals d on d.tenant_id = t.id and ${written}`;
  const cells = sql`select d.tenant_id, (d.created_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, d.owner_id ${from}`;
  const wonCells = sql`select d.tenant_id, (d.closed_at at time zone ${TENANT_TZ_SQL})::date as day, ${TENANT_TZ_SQL} as tz, d.owner_id
    ${from} where d.closed_at is not null`;
  await recompute(rc, cells, wonCells);
  return { rebuilt: true };
}
