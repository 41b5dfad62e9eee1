import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./db";
import type { DomainEvent } from "./events";
import { KEYS, NO_SHOP, onLocalDay, TENANT_TZ } from "./rollup-sql.mjs";

/** The tenant's time zone (a `tenants` row aliased `t`; ./rollup-sql.mjs TENANT_TZ), as drizzle SQL. */
export const TENANT_TZ_SQL = sql.raw(TENANT_TZ);

/** The shop key of a visit without a shop (./rollup-sql.mjs NO_SHOP), as drizzle SQL. */
export const NO_SHOP_SQL = sql.raw(NO_SHOP);

/** What a module's rollup function needs (a queue consumer's or cron job's context has it). */
export interface RollupContext {
  db: Db;
}

/**
 * A rollup statement template (./rollup-sql.mjs) with its KEYS hole filled by a drizzle query, so
 * the keys can carry bound parameters (tenant id, event ids, the cron's time) while the statement
 * text stays the one the scripts run too.
 */
export function withKeys(template: string, keys: SQL): SQL {
  const parts = template.split(KEYS);
  const [before, after] = parts;
  if (parts.length !== 2 || before === undefined || after === undefined) {
    throw new Error("a rollup template has exactly one KEYS hole");
  }
  return sql`${sql.raw(before)}${keys}${sql.raw(after)}`;
}

/**
 * The statements of `templates` (./rollup-sql.mjs style), in order, each with its KEYS hole filled
 * by the same `keys`: the cells to recompute, for one `db.batch`.
 */
export function recomputeCells(db: Db, keys: SQL, templates: readonly [string, ...string[]]) {
  const [first, ...rest] = templates;
  const statement = (template: string) => db.execute(withKeys(template, keys));
  return [statement(first), ...rest.map(statement)] as const;
}

/**
 * A rebuild's first step: deletes every tenant's rows of its local `day` (a SQL expression over
 * the `tenants` row `t`) from each rollup of `tables`, in order, for one `db.batch`.
 */
export function clearTenantDay(db: Db, day: SQL, tables: readonly [string, ...string[]]) {
  const [first, ...rest] = tables;
  const statement = (table: string) =>
    db.execute(
      sql`delete from ${sql.identifier(table)} r using tenants t where r.tenant_id = t.id and r.day = ${day}`,
    );
  return [statement(first), ...rest.map(statement)] as const;
}

/**
 * A rebuild's keys: for every tenant and its local `day`, the tenant id, the day, the tenant's
 * time zone and the columns of `cells` (a select that may use the tenant `t` and `d.day`, e.g.
 * through `onRebuiltDay`).
 */
export function tenantDayKeys(day: SQL, cells: SQL): SQL {
  return sql`
    select t.id as tenant_id, d.day, ${TENANT_TZ_SQL} as tz, c.*
    from tenants t
    cross join lateral (select ${day} as day) d
    cross join lateral (${cells}) c`;
}

/** In `tenantDayKeys` cells: the timestamptz `column` falls on the tenant-local day being rebuilt. */
export function onRebuiltDay(column: string): SQL {
  return sql.raw(onLocalDay(column, "d.day", TENANT_TZ));
}

/** The tenant's yesterday relative to `now`, in its own time zone (a `tenants` row aliased `t`). */
export function tenantYesterday(now: Date): SQL {
  return sql`((${now.toISOString()}::timestamptz at time zone ${TENANT_TZ_SQL})::date - 1)`;
}

/**
 * The id `field` of an event's payload, checked: a malformed event must fail (and land in the
 * dead letters) rather than recompute nothing.
 */
export function payloadId(event: DomainEvent, field: string): string {
  const value = event.payload[field];
  if (typeof value !== "string" || !/^[0-9a-f-]{36}$/i.test(value)) {
    throw new Error(`${event.type} event without a valid ${field}`);
  }
  return value;
}

/** The tenant's today at `now`, in its own time zone (a `tenants` row aliased `t`). */
function tenantToday(now: Date): SQL {
  return sql`((${now.toISOString()}::timestamptz at time zone ${TENANT_TZ_SQL})::date)`;
}

/**
 * The two crons of a module's rebuild of every tenant's local `day` (a SQL expression over the
 * `tenants` row `t`): `yesterday`, nightly, so the day is right even if events were lost, and
 * `today`, every 15 minutes, so a lost event heals within the quarter.
 */
export function dailyRebuilds(rebuild: (rc: RollupContext, day: SQL) => Promise<void>) {
  const on =
    (day: (now: Date) => SQL) =>
    async (rc: RollupContext, now: Date): Promise<{ rebuilt: true }> => {
      await rebuild(rc, day(now));
      return { rebuilt: true };
    };
  return { yesterday: on(tenantYesterday), today: on(tenantToday) };
}

/**
 * SQL text with `/*:name*\/` holes (a `*.rollups.sql.mjs` builder called with `hole(name)`) filled
 * by drizzle queries, so the Worker binds parameters into the very text the scripts run.
 */
export function fillHoles(text: string, holes: Readonly<Record<string, SQL>>): SQL {
  const parts = text.split(/\/\*:(\w+)\*\//);
  const chunks = parts.map((part, i) => {
    if (i % 2 === 0) return sql.raw(part);
    const hole = holes[part];
    if (!hole) throw new Error(`no SQL for the hole ${part}`);
    return hole;
  });
  return sql.join(chunks);
}

/** The hole `name` in SQL text, for `fillHoles`. */
export const hole = (name: string): string => `/*:${name}*/`;
