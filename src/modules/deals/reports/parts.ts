import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantContext } from "../../../core/context";
import { ownerVisible, visibleUserIds } from "../../../core/scope";
import { checkRange, rangeQuery } from "../../analytics";
import { EVERY_OWNER_ID } from "../deals.rollups.sql.mjs";

/** The deals reports' query: the creation-day range (tenant's time zone) and an owner. */
export const dealReportQuery = z
  .strictObject({
    ...rangeQuery,
    owner_id: z.uuid({ error: "Must be a UUID" }).optional().describe("Only this owner's deals"),
  })
  .superRefine(checkRange);
export type DealReportQuery = z.output<typeof dealReportQuery>;

/**
 * The deal rollup rows (`alias`) a report sums, in the tenant: the day's total cells for a caller
 * with the tenant scope and no owner filter (one row per day, not one per owner); otherwise the
 * owner cells of the caller's data scope (by owner) and the owner filter.
 */
export function dealCellsVisible(ctx: TenantContext, alias: string, q: DealReportQuery): SQL {
  const a = sql.raw(alias);
  const tenant = sql`${a}.tenant_id = ${ctx.tenantId}::uuid`;
  if (!q.owner_id && visibleUserIds(ctx) === null) {
    return sql`${tenant} and ${a}.owner_id = ${EVERY_OWNER_ID}::uuid`;
  }
  const owner = q.owner_id ? sql` and ${a}.owner_id = ${q.owner_id}::uuid` : sql``;
  return sql`${tenant} and ${a}.owner_id <> ${EVERY_OWNER_ID}::uuid and ${ownerVisible(ctx, sql`${a}.owner_id`)}${owner}`;
}

/** Two decimals (money, percentages, days), null stays null. */
export const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

export const SCOPE_NOTE =
  "Role-scoped by the deal's owner (members see their own deals' figures; owner, admin and manager the tenant's). Read from the deal rollups kept by the queue (`deal.changed` events, recomputed whole cells, so a redelivered event changes nothing; the nightly cron recomputes yesterday's writes), so the cost does not grow with the deals table. Amounts add up across currencies as they are (no conversion).";
