import { type SQL, sql } from "drizzle-orm";
import { type ZodObject, type ZodType, z } from "zod";
import type { Permission } from "../../core/auth/permissions";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { NO_SHOP_ID, TENANT_TZ } from "../../core/rollup-sql.mjs";
import { visibleUserIds } from "../../core/scope";
import { CRM_READ_ALL } from "../crm";

/**
 * What the CRM reports (seed 003 Part 2) share: the query (range, `user_id`, `format`), who is
 * counted (the CRM visibility rule), the rounding, and the CSV of a report's main table.
 */

/** No user / no client in the rollups' key columns (crm.rollups.sql.mjs `NONE`). */
export const NONE_ID = NO_SHOP_ID;

const isoDate = z.iso.date({ error: "Must be an ISO date, e.g. 2026-01-31" });

/** The query every CRM report takes. */
export const crmQueryShape = {
  start_date: isoDate
    .optional()
    .describe("First day (inclusive, tenant's time zone); default: no lower bound"),
  end_date: isoDate.optional().describe("Last day (inclusive, tenant's time zone); default: no upper bound"),
  user_id: z
    .uuid()
    .optional()
    .describe(
      "Only this member's records (created by or assigned to them). Needs `crm:read_all` (403 otherwise); 404 for a user who is not a member",
    ),
  format: z
    .enum(["csv"])
    .optional()
    .describe("`csv`: the report's main table as CSV (as does `Accept: text/csv`)"),
};

/** `start_date` not after `end_date`. */
export function checkCrmRange(
  q: { start_date?: string | undefined; end_date?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.start_date !== undefined && q.end_date !== undefined && q.start_date > q.end_date) {
    ctx.addIssue({
      code: "custom",
      path: ["start_date"],
      message: "`start_date` must not be after `end_date`",
    });
  }
}

export interface CrmQuery {
  start_date?: string | undefined;
  end_date?: string | undefined;
  user_id?: string | undefined;
}

type CsvCell = string | number | boolean | null;

/**
 * The main table of a report, for `format=csv`: the header `columns`, then a line for each object
 * of `rows(data)`, its values of those columns in that order
 * (`csv: { columns: ["status", "count"], rows: (d) => d.projects }`).
 */
export interface CsvSpec<T, K extends string> {
  columns: readonly K[];
  rows(data: T): readonly Record<K, CsvCell>[];
}

/** The rows of `select` as a JSON array of objects named by its columns (`[]` without rows). */
export function jsonRows(select: SQL): SQL {
  return sql`(select coalesce(json_agg(to_json(g)), '[]'::json) from (${select}) g)`;
}

/**
 * A CRM report: `run` answers the seed's shape (inside `data`) in one statement over the rollups
 * (or, for the point-in-time lists, indexed source rows with a LIMIT); `csv` picks its main table.
 */
export interface CrmReport<Q extends ZodObject | z.ZodPipe, D extends ZodType, K extends string> {
  path: string;
  summary: string;
  description: string;
  permission: Permission;
  query: Q;
  data: D;
  run(ctx: TenantContext, query: z.output<Q>): Promise<z.input<D>>;
  csv: CsvSpec<z.input<D>, K>;
}

/** Declares a report (only for the type inference). */
export function defineCrmReport<Q extends ZodObject | z.ZodPipe, D extends ZodType, K extends string>(
  report: CrmReport<Q, D, K>,
): CrmReport<Q, D, K> {
  return report;
}

/** A range of tenant-local days as SQL dates; null: unbounded on that side. */
export interface DayRange {
  start: SQL | null;
  end: SQL | null;
}

/** The day cells and the coarse cells of each entity, and the columns a report reads from either. */
const CELLS = {
  lead: {
    day: "crm_lead_rollups",
    coarse: "crm_lead_cells",
    columns: "status, source, leads, timed_conversions, conversion_days::float8 as conversion_days",
  },
  client: { day: "crm_client_rollups", coarse: "crm_client_cells", columns: "status, clients" },
  project: {
    day: "crm_project_rollups",
    coarse: "crm_project_cells",
    columns: "status, month, projects, valued, value_sum, timed, duration_days",
  },
  interaction: {
    day: "crm_interaction_rollups",
    coarse: "crm_interaction_cells",
    columns: "client_status, interactions",
  },
} as const;

/**
 * A coarse cell (alias `a`) counts for `range`: all time without bounds; else the whole months
 * inside it and the days of its partial edge months.
 */
function periods(a: SQL, range: DayRange): SQL {
  const { start, end } = range;
  if (start === null && end === null) return sql`${a}.grain = 0`;
  // First whole month on or after start; the month after the last whole month up to end.
  const fromMonth = start && sql`(date_trunc('month', (${start} - 1)::timestamp) + interval '1 month')::date`;
  const toMonth = end && sql`date_trunc('month', (${end} + 1)::timestamp)::date`;
  const bound = (x: SQL | null, op: string, value: SQL | null) =>
    x === null || value === null ? sql`true` : sql`${a}.period ${sql.raw(op)} ${value}`;
  const inRange = sql`${bound(start, ">=", start)} and ${bound(end, "<=", end)}`;
  const months = sql`${a}.grain = 1 and ${bound(start, ">=", fromMonth)} and ${bound(end, "<", toMonth)}`;
  const edges = [
    ...(fromMonth ? [sql`${a}.period < ${fromMonth}`] : []),
    ...(toMonth ? [sql`${a}.period >= ${toMonth}`] : []),
  ];
  return sql`((${months}) or (${a}.grain = 2 and ${inRange} and (${sql.join(edges, sql` or `)})))`;
}

/** Who the caller reports on, as SQL over a row (rollup cell or source row) with `created_by` and `assigned_to`. */
export interface Reader {
  /**
   * The report's rows of `entity`'s cells counted for the caller, over `range` (default: the
   * query's): the coarse cells of the tenant or of one member when the caller reports on either,
   * else (a team or subtree) the day cells of the members' records. Columns: CELLS[entity].columns.
   */
  rows(entity: keyof typeof CELLS, range?: DayRange): SQL;
  /** The member whose coarse cells answer (NONE_ID: the whole tenant), or null: the day cells. */
  member: string | null;
  /** The query's range. */
  range: DayRange;
  /** A coarse cell's period lies in `range` (default: the query's). */
  periods(alias: string, range?: DayRange): SQL;
  /** The row is counted: the whole tenant (crm:read_all), one member (`user_id`), or the caller's own and assigned records. */
  owned(alias: string): SQL;
  /** A rollup cell's `day` lies in the range. */
  days(alias: string): SQL;
  /** A source row's `created_at` lies in the range (tenant-local days). */
  created(alias: string): SQL;
}

/**
 * The CRM visibility rule for reports: a caller with `crm:read_all` (admins, owners, managers)
 * reports on the tenant (or on one member with `user_id`); everyone else on the records they
 * created or are assigned (team and subtree roles: their members' too), and `user_id` is a 403.
 * A `user_id` who is not a member of the tenant is a 404 (one extra round trip, only then).
 */
export async function crmReader(ctx: TenantContext, q: CrmQuery): Promise<Reader> {
  const whole = ctx.permissions.has(CRM_READ_ALL);
  if (q.user_id !== undefined) {
    if (!whole) throw ApiError.forbidden(`user_id needs the ${CRM_READ_ALL} permission`);
    const member = await ctx.db.execute<{ one: number }>(
      sql`select 1 as one from memberships m where m.tenant_id = ${ctx.tenantId} and m.user_id = ${q.user_id}`,
    );
    if (member.rows.length === 0) throw ApiError.notFound("User");
  }
  const userId = q.user_id;
  const visible = whole ? null : visibleUserIds(ctx.scope === "tenant" ? { ...ctx, scope: "own" } : ctx);
  const tz = sql`(select ${sql.raw(TENANT_TZ)} from tenants t where t.id = ${ctx.tenantId})`;
  const member =
    userId ?? (whole ? NONE_ID : ctx.scope === "own" || ctx.scope === "tenant" ? ctx.userId : null);
  const range: DayRange = {
    start: q.start_date === undefined ? null : sql`${q.start_date}::date`,
    end: q.end_date === undefined ? null : sql`${q.end_date}::date`,
  };
  const dayIn = (a: SQL, r: DayRange) =>
    sql`${r.start === null ? sql`true` : sql`${a}.day >= ${r.start}`} and ${r.end === null ? sql`true` : sql`${a}.day <= ${r.end}`}`;
  const reader: Reader = {
    member,
    range,
    periods: (alias, r = range) => periods(sql.raw(alias), r),
    rows(entity, r = range) {
      const cells = CELLS[entity];
      if (member === null) {
        return sql`(select ${sql.raw(cells.columns)} from ${sql.identifier(cells.day)} d
          where d.tenant_id = ${ctx.tenantId} and ${reader.owned("d")} and ${dayIn(sql.raw("d"), r)})`;
      }
      return sql`(select ${sql.raw(cells.columns)} from ${sql.identifier(cells.coarse)} c
        where c.tenant_id = ${ctx.tenantId} and c.member = ${member}::uuid and ${periods(sql.raw("c"), r)})`;
    },
    owned(alias) {
      const a = sql.raw(alias);
      if (userId !== undefined) return sql`(${a}.created_by = ${userId} or ${a}.assigned_to = ${userId})`;
      if (visible === null) return sql`true`;
      return sql`(${a}.created_by = any(${visible}) or ${a}.assigned_to = any(${visible}))`;
    },
    days(alias) {
      const a = sql.raw(alias);
      return sql`${q.start_date === undefined ? sql`true` : sql`${a}.day >= ${q.start_date}::date`} and ${
        q.end_date === undefined ? sql`true` : sql`${a}.day <= ${q.end_date}::date`
      }`;
    },
    created(alias) {
      const a = sql.raw(alias);
      return sql`${q.start_date === undefined ? sql`true` : sql`${a}.created_at >= (${q.start_date}::date::timestamp at time zone ${tz})`} and ${
        q.end_date === undefined
          ? sql`true`
          : sql`${a}.created_at < ((${q.end_date}::date + 1)::timestamp at time zone ${tz})`
      }`;
    },
  };
  return reader;
}

/** The tenant's time zone as a SQL expression. */
export function tenantTz(ctx: TenantContext): SQL {
  return sql`(select ${sql.raw(TENANT_TZ)} from tenants t where t.id = ${ctx.tenantId})`;
}

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round((value + Number.EPSILON) * f) / f;
};

/** Money, to 2 decimals. */
export const money = (value: number): number => round(value, 2);

/** `part ÷ whole × 100` to 2 decimals; 0 without a whole. */
export const percent = (part: number, whole: number): number =>
  whole > 0 ? round((100 * part) / whole, 2) : 0;

/** A mean in days to 1 decimal; null when nothing was measured. */
export const dayAverage = (total: number, count: number): number | null =>
  count > 0 ? round(total / count, 1) : null;

/** A mean amount to 2 decimals; null when nothing was measured. */
export const moneyAverage = (total: number, count: number): number | null =>
  count > 0 ? round(total / count, 2) : null;

/**
 * Text order by UTF-16 code units (as `<` compares), for the sorts a report does after its
 * statement: the statement answers its rows unordered (PostgreSQL's ordered aggregates cost more
 * than sorting a few hundred rows here), so the order does not depend on the database collation.
 */
export const textOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A value of a member tuple: an email (null: no such user) or a count. */
export type TupleValue = string | number | null;

/**
 * The member tuples of `text`, the body of a flat JSON array (one statement's `string_agg` of
 * `"email",n,…` per member, `width` values each; null: no member), without those whose user is
 * gone (a null email), as the inner join to users they replace would drop them.
 */
export function memberTuples(text: string | null, width: number): TupleValue[][] {
  if (text === null) return [];
  const flat = JSON.parse(`[${text}]`) as TupleValue[];
  if (flat.length % width !== 0)
    throw new Error(`member tuples of ${flat.length} values are not of ${width}`);
  const tuples: TupleValue[][] = [];
  for (let i = 0; i < flat.length; i += width) {
    if (flat[i] !== null) tuples.push(flat.slice(i, i + width));
  }
  return tuples;
}

/** The first row of a one-row statement. */
export function onlyRow<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (!row) throw new Error(`the ${what} report statement returned no row`);
  return row;
}

/** RFC 4180 CSV text of a report's main table (`csv`) in its `data`. */
export function toCsv<T, K extends string>(csv: CsvSpec<T, K>, data: T): string {
  const cell = (v: CsvCell) => {
    if (v === null) return "";
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = csv.rows(data).map((row) => csv.columns.map((column) => row[column]));
  const lines = [csv.columns, ...rows].map((r) => r.map(cell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
