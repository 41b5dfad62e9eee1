import { type SQL, sql } from "drizzle-orm";
import { type ZodType, z } from "zod";
import type { TenantContext } from "../../../core/context";
import { ownerVisible, visibleUserIds } from "../../../core/scope";
import { checkRange, defineReport, rangeCte, rangeQuery } from "../../analytics";
import { DEAL_PERMISSIONS } from "../deals.permissions";
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

/** What a report reads: the deals created in its range. */
export const CREATED_IN_RANGE =
  "the deals created in `start_date`..`end_date` (ISO dates, inclusive, tenant's time zone; default the last 30 days)";

/** Two decimals (money, percentages, days), null stays null. */
export const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

const SCOPE_NOTE =
  "Role-scoped by the deal's owner (members see their own deals' figures; owner, admin and manager the tenant's). Read from the deal rollups kept by the queue (`deal.changed` events, recomputed whole cells, so a redelivered event changes nothing; the nightly cron recomputes yesterday's writes), so the cost does not grow with the deals table. Amounts add up across currencies as they are (no conversion).";

/**
 * The rollup rows of `table` (aliased `x`) a report sums over its range: visible to the caller
 * (`dealCellsVisible`) and on a day of the range `rng`.
 */
export function cellsInRange(ctx: TenantContext, q: DealReportQuery, table: string): SQL {
  return sql`${sql.raw(table)} x, rng where ${dealCellsVisible(ctx, "x", q)} and x.day between rng.s and rng.e`;
}

/** The range a deals report answers (the first columns of its statement's one row). */
type RangeRow = { start_date: string; end_date: string; timezone: string };

interface DealReport<Row extends RangeRow, R extends ZodType> {
  path: string;
  summary: string;
  /** What it answers; the scope note is added. */
  description: string;
  response: R;
  /**
   * The one statement after its range `rng` (`with rng as (…),` is put before it): its CTEs and
   * a select of one row that starts with `rng.s::text as start_date, rng.e::text as end_date,
   * rng.tz as timezone`.
   */
  statement(ctx: TenantContext, query: DealReportQuery): SQL;
  /** The response from that row and the range it names. */
  answer(row: Row, range: RangeRow): z.input<R>;
}

/**
 * Declares a deals report (`/api/analytics/deals/…`): read with `deals:read`, asked with the
 * creation-day range and an owner (`dealReportQuery`), one statement over the deal rollups.
 */
export function defineDealReport<Row extends RangeRow, R extends ZodType>(report: DealReport<Row, R>) {
  return defineReport({
    path: report.path,
    summary: report.summary,
    description: `${report.description} ${SCOPE_NOTE}`,
    permission: DEAL_PERMISSIONS.read,
    query: dealReportQuery,
    response: report.response,
    async run(ctx, query) {
      const result = await ctx.db.execute<Row>(
        sql`with ${rangeCte(ctx, query)}, ${report.statement(ctx, query)}`,
      );
      const row = result.rows[0];
      if (!row) throw new Error(`the deals report ${report.path} returned nothing`);
      return report.answer(row, {
        start_date: row.start_date,
        end_date: row.end_date,
        timezone: row.timezone,
      });
    },
  });
}
