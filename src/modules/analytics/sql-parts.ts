import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { TENANT_TZ } from "../../core/rollup-sql.mjs";
import { ownerVisible, visibleUserIds } from "../../core/scope";

/**
 * SQL pieces the reports share. Every report is one statement over the rollup tables, so a report
 * costs one round trip whatever the size of the raw tables.
 */

/**
 * CTE `rng(tz, s, e, ps, pe)`: the tenant's time zone, the requested range [s, e] with the
 * defaults resolved in that zone (the last 30 days up to today), and the previous period of
 * equal length [ps, pe] right before it.
 */
export function rangeCte(
  ctx: TenantContext,
  q: { start_date?: string | undefined; end_date?: string | undefined },
): SQL {
  return sql`
    rng0 as (
      select ${sql.raw(TENANT_TZ)} as tz, ${q.start_date ?? null}::date as s0, ${q.end_date ?? null}::date as e0
      from tenants t where t.id = ${ctx.tenantId}),
    rng1 as (select tz, s0, coalesce(e0, s0 + 29, (now() at time zone tz)::date) as e from rng0),
    rng2 as (select tz, coalesce(s0, e - 29) as s, e from rng1),
    rng as (select tz, s, e, s - (e - s + 1) as ps, s - 1 as pe from rng2)`;
}

/** The caller's data scope on a rollup row's agent column (`alias.agent_id`). */
export function agentInScope(ctx: TenantContext, alias: string): SQL {
  return ownerVisible(ctx, sql.raw(`${alias}.agent_id`));
}

export interface RollupFilters {
  agent_id?: string | undefined;
  team_id?: string | undefined;
  shop_id?: string | undefined;
  survey_id?: string | undefined;
  region?: string | undefined;
}

/**
 * The optional filters on a rollup row `alias` (agent, team — its direct members —, shop,
 * region of the shop, survey where the table has one), ANDed; `true` without filters.
 */
export function rollupFilters(ctx: TenantContext, alias: string, f: RollupFilters, hasSurvey: boolean): SQL {
  const a = sql.raw(alias);
  const parts: SQL[] = [sql`true`];
  if (f.agent_id) parts.push(sql`${a}.agent_id = ${f.agent_id}`);
  if (f.team_id) {
    parts.push(sql`${a}.agent_id in (
      select tm.user_id from team_members tm where tm.tenant_id = ${ctx.tenantId} and tm.team_id = ${f.team_id})`);
  }
  if (f.shop_id) parts.push(sql`${a}.shop_id = ${f.shop_id}`);
  if (f.region) {
    parts.push(sql`${a}.shop_id in (
      select sh.id from shops sh where sh.tenant_id = ${ctx.tenantId} and sh.region = ${f.region})`);
  }
  if (hasSurvey && f.survey_id) parts.push(sql`${a}.survey_id = ${f.survey_id}`);
  return sql.join(parts, sql` and `);
}

/** A rollup table to read, with the condition its rows `alias` must meet (scope and filters). */
export interface RollupSource {
  table: SQL;
  where: SQL;
}

/**
 * The coarsest visit activity rollup that can answer: the tenant-day sums for a tenant-wide
 * reader without filters, the agent-day sums under a data scope or an agent/team filter, the
 * per-cell table (agent × shop × survey × day) only when a shop, region or survey is filtered. So
 * a tenant-wide figure reads one row per day, a scoped one one row per agent-day.
 */
export function visitActivitySource(ctx: TenantContext, alias: string, f: RollupFilters = {}): RollupSource {
  const byCell = Boolean(f.shop_id || f.region || f.survey_id);
  if (!byCell && !f.agent_id && !f.team_id && visibleUserIds(ctx) === null) {
    return { table: sql`visit_tenant_daily_rollups`, where: sql`true` };
  }
  return {
    table: byCell ? sql`visit_activity_daily_rollups` : sql`visit_agent_daily_rollups`,
    where: sql`${agentInScope(ctx, alias)} and ${rollupFilters(ctx, alias, f, true)}`,
  };
}

/** Brand shelf areas likewise: per brand and day for a tenant-wide reader, per agent-shop cell otherwise. */
export function brandShelfSource(ctx: TenantContext, alias: string): RollupSource {
  if (visibleUserIds(ctx) === null) return { table: sql`brand_shelf_tenant_daily_rollups`, where: sql`true` };
  return { table: sql`brand_shelf_daily_rollups`, where: agentInScope(ctx, alias) };
}

/** `numerator / denominator` as a percentage, or null without a denominator. */
export function percent(numerator: number, denominator: number): number | null {
  return denominator > 0 ? (100 * numerator) / denominator : null;
}

/** `total / count`, or null when nothing was counted. */
export function average(total: number, count: number): number | null {
  return count > 0 ? total / count : null;
}
