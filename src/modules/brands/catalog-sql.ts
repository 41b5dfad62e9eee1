import { type SQL, sql } from "drizzle-orm";
import { auditInsertSelect, isoSql } from "../../core/audit";
import type { Db } from "../../core/db";
import type { auditLogs } from "../../db/schema";

/**
 * SQL fragments shared by the catalogue modules (brands, surveys and questions, shops). Every write
 * there is ONE statement: the change, its audit row and the checks that decide 404 / 409 / 412 are
 * data-modifying CTEs of the same statement, so a request costs one round trip and a refused
 * write leaves nothing behind (not even an audit row).
 */

export type AuditInsert = typeof auditLogs.$inferInsert;

/** A timestamptz as RFC 3339 UTC with milliseconds, whatever the session's TimeZone. */
export const iso = isoSql;

/** A JSON value as a jsonb parameter; `null` stays SQL null (core/audit's `jsonb` makes JSON null). */
export function jsonbParam(value: unknown): SQL {
  return value === null || value === undefined ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`;
}

/**
 * The audit row of a write as a CTE body reading `source` (core/audit's auditInsertSelect): it
 * exists exactly when `source` yields a row (the changed row), so a write that changed nothing
 * audits nothing, and old values can be read from the row as it was before the change.
 */
export function auditInsertFrom(audit: AuditInsert, source: SQL, values: { old: SQL; new: SQL }): SQL {
  return auditInsertSelect(audit, values, sql`from ${source}`);
}

/**
 * One page of a catalogue list and, when asked, the total — one round trip. `source` selects the
 * matching rows; `item` (the row's JSON) and `sortKey` read them as `f`; ties break on `f.id`.
 */
export async function selectPage<T>(
  db: Db,
  page: { source: SQL; item: SQL; sortKey: SQL; limit: number; offset: number; includeTotal: boolean },
): Promise<{ total: number | null; items: T[] }> {
  const result = await db.execute<{ total: number | null; items: T[] }>(sql`
    with filtered as (${page.source})
    select ${page.includeTotal ? sql`(select count(*)::int from filtered)` : sql`null::int`} as total,
      coalesce((
        select json_agg(p.j order by p.sort_key, p.id)
        from (
          select ${page.item} as j, ${page.sortKey} as sort_key, f.id
          from filtered f order by ${page.sortKey}, f.id
          limit ${page.limit} offset ${page.offset}
        ) p
      ), '[]'::json) as items`);
  const row = result.rows[0];
  return { total: row?.total ?? null, items: row?.items ?? [] };
}

/** `%text%` for ILIKE with the wildcard characters of `text` escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * `set` assignments plus the matching `jsonb_build_object` arguments for the old (`cur`) and new
 * (`upd`) values of an audited partial update: only the fields the request sends appear.
 */
export class PatchBuilder {
  readonly sets: SQL[] = [];
  private readonly oldPairs: SQL[] = [];
  private readonly newPairs: SQL[] = [];

  /** `column = value`; `value` may refer to the current row as `cur`. */
  set(column: string, value: SQL): this {
    this.sets.push(sql`${sql.raw(column)} = ${value}`);
    this.oldPairs.push(sql`${column}::text, cur.${sql.raw(column)}`);
    this.newPairs.push(sql`${column}::text, upd.${sql.raw(column)}`);
    return this;
  }

  get isEmpty(): boolean {
    return this.sets.length === 0;
  }

  assignments(): SQL {
    return sql.join(this.sets, sql`, `);
  }

  oldValues(): SQL {
    return this.oldPairs.length
      ? sql`jsonb_build_object(${sql.join(this.oldPairs, sql`, `)})`
      : sql`'{}'::jsonb`;
  }

  newValues(): SQL {
    return this.newPairs.length
      ? sql`jsonb_build_object(${sql.join(this.newPairs, sql`, `)})`
      : sql`'{}'::jsonb`;
  }
}

export interface VersionedWrite {
  /** The table, a constant of the calling repo (never user input). */
  table: "brands" | "surveys" | "shops";
  tenantId: string;
  id: string;
  /** What to set, with audit old/new values; `version` and `updated_at` are bumped on top. */
  patch: PatchBuilder;
  /** From If-Match: the write applies only while the stored version still equals it. */
  expectedVersion: number | undefined;
  audit: AuditInsert;
  /** Overrides the audit values the patch would record (e.g. the whole row for a delete). */
  auditValues?: { old: SQL; new: SQL };
  /** The row's representation under an alias (`upd`), returned after the write. */
  json: (alias: string) => SQL;
  /**
   * A text expression over the current row `cur` (and anything else in the tenant): non-null
   * refuses the write with that reason (e.g. a brand that does not exist), and nothing is written.
   */
  refusal?: SQL;
}

export interface VersionedWriteOutcome<T> {
  /** The row exists in the tenant and is not deleted. */
  found: boolean;
  /** Its version when the statement started (null when not found). */
  currentVersion: number | null;
  refusal: string | null;
  /** The row after the write; null when nothing was written. */
  row: T | null;
}

/**
 * An audited, optionally version-checked update of one live (not soft-deleted) row of the
 * tenant, in one statement. The If-Match check is part of the UPDATE's WHERE clause, and Postgres
 * re-evaluates that clause on the latest row version when a concurrent writer got there first: of
 * two writers holding the same version exactly one wins, the other finds no row (the caller turns
 * "found, version matched on the snapshot, but nothing written" into a 412).
 */
export async function updateVersioned<T>(db: Db, w: VersionedWrite): Promise<VersionedWriteOutcome<T>> {
  const table = sql.raw(w.table);
  const versionCheck =
    w.expectedVersion === undefined ? sql`` : sql`and t.version = ${w.expectedVersion}::int`;
  const assignments = w.patch.isEmpty ? sql`` : sql`${w.patch.assignments()}, `;
  const result = await db.execute<{
    found: boolean;
    current_version: number | null;
    refusal: string | null;
    row: T | null;
  }>(sql`
    with cur as (
      select * from ${table} where tenant_id = ${w.tenantId}::uuid and id = ${w.id}::uuid and deleted_at is null
    ),
    plan as (select cur.id, cur.version, ${w.refusal ?? sql`null::text`} as refusal from cur),
    upd as (
      update ${table} t
      set ${assignments}version = t.version + 1, updated_at = now()
      from plan
      where t.tenant_id = ${w.tenantId}::uuid and t.id = plan.id and t.deleted_at is null
        and plan.refusal is null ${versionCheck}
      returning t.*
    ),
    aud as (${auditInsertFrom(w.audit, sql`upd, cur`, w.auditValues ?? { old: w.patch.oldValues(), new: w.patch.newValues() })})
    select exists (select 1 from cur) as found, (select version from cur) as current_version,
      (select refusal from plan) as refusal, (select ${w.json("upd")} from upd) as row`);
  const row = result.rows[0];
  return {
    found: row?.found === true,
    currentVersion: row?.current_version ?? null,
    refusal: row?.refusal ?? null,
    row: row?.row ?? null,
  };
}

/** The patch of a soft delete: the row disappears from reads and lists, sync can send a tombstone. */
export function softDeletePatch(): PatchBuilder {
  return new PatchBuilder().set("deleted_at", sql`now()`);
}
