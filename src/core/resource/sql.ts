import { getTableName, Name, SQL, type SQLChunk, StringChunk, sql } from "drizzle-orm";
import { type AnyPgColumn, getTableConfig, PgDialect } from "drizzle-orm/pg-core";
import { isoSql } from "../audit";
import type { TenantContext } from "../context";
import { visibleUserIds } from "../scope";
import type { AnyResource, Reference } from "./declaration";

/**
 * The SQL fragments generated from a declaration: the JSON projection and the audit values of a
 * row, typed parameters, and — written once, here — the tenant predicate and the data-scope
 * predicate every kit statement applies. Aliases are constants of the kit, never input.
 */

/** `alias.column` */
export function col(alias: string, column: AnyPgColumn | string): SQL {
  return sql`${sql.raw(alias)}.${sql.identifier(typeof column === "string" ? column : column.name)}`;
}

/** The table of a resource as an identifier. */
export function tableSql(res: AnyResource): SQL {
  return sql`${sql.identifier(getTableName(res.table))}`;
}

/** A value as a parameter of the column's SQL type (jsonb as JSON text; null stays SQL null). */
export function param(column: AnyPgColumn, value: unknown): SQL {
  const type = column.getSQLType();
  if (type === "jsonb" || type === "json") {
    return value === null || value === undefined ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`;
  }
  return sql`${value ?? null}::${sql.raw(type)}`;
}

const dialect = new PgDialect();
const fragments = new WeakMap<AnyResource, Map<string, SQL>>();

/**
 * A fragment that depends only on the declaration (`res`) and constants, built once per isolate
 * under `key`: rendered to its text when it has no parameters, so later statements embed one raw
 * chunk instead of walking (and drizzle re-rendering) the same tree on every request — the CPU
 * profile of a simple list showed SQL building at about a tenth of the Worker's time.
 */
function frozen(res: AnyResource, key: string, build: () => SQL): SQL {
  let byKey = fragments.get(res);
  if (!byKey) {
    byKey = new Map();
    fragments.set(res, byKey);
  }
  let hit = byKey.get(key);
  if (!hit) {
    const built = build();
    const query = dialect.sqlToQuery(built);
    hit = query.params.length ? built : sql.raw(query.sql);
    byKey.set(key, hit);
  }
  return hit;
}

/** A fragment whose parameters drizzle writes into its text (`sql.inlineParams()`). */
const inlined = (fragment: SQL) =>
  (fragment as unknown as { shouldInlineParams: boolean }).shouldInlineParams;

/**
 * The same statement as one flat list of chunks: the text of every nested fragment (strings and
 * identifiers) joined, the parameters and anything else (columns, tables, inlined fragments) kept
 * in place, so it renders to exactly the same text and parameters. Drizzle renders a nested
 * fragment with a copy of its settings and of its parameters at every level; a big statement
 * (the Finder's, the cross-entity search's: hundreds of fragments) renders two to three times
 * faster flat, and that rendering was about a tenth of the Worker's time on those routes.
 */
export function flat(statement: SQL): SQL {
  if (inlined(statement)) return statement;
  const chunks: SQLChunk[] = [];
  let text = "";
  const walk = (parts: readonly SQLChunk[]) => {
    for (const part of parts) {
      if (part instanceof StringChunk) text += part.value.length === 1 ? part.value[0] : part.value.join("");
      else if (part instanceof Name) text += `"${part.value.replace(/"/g, '""')}"`;
      else if (part === undefined) continue;
      else if (part instanceof SQL && !inlined(part)) walk(part.queryChunks);
      else {
        if (text) chunks.push(new StringChunk(text));
        text = "";
        chunks.push(part);
      }
    }
  };
  walk(statement.queryChunks);
  if (text) chunks.push(new StringChunk(text));
  return new SQL(chunks);
}

/** A JSON key as a SQL text literal (keys come from declarations, never from input). */
const jsonKey = (key: string) => sql.raw(`'${key.replaceAll("'", "''")}'`);

/** A column as JSON-ready SQL: timestamps as RFC 3339 UTC text. */
function outValue(alias: string, column: AnyPgColumn): SQL {
  return column.getSQLType().startsWith("timestamp") ? isoSql(col(alias, column)) : col(alias, column);
}

/**
 * The row under `alias` as the API's JSON: id, the public fields, the computed values, version,
 * created_by and timestamps; `extra` adds key/value pairs (e.g. embedded children) or replaces a
 * computed value (e.g. one a statement knows better than a subquery on its snapshot).
 */
export function projection(res: AnyResource, alias: string, extra: Record<string, SQL> = {}): SQL {
  const extraKeys = Object.keys(extra);
  const base = frozen(res, `projection:${alias}:${extraKeys.join(",")}`, () => {
    const pairs: SQL[] = [sql`'id', ${col(alias, "id")}`];
    for (const [key, f] of Object.entries(res.fields))
      pairs.push(sql`${jsonKey(key)}, ${outValue(alias, f.column)}`);
    for (const [key, c] of Object.entries(res.computed ?? {})) {
      if (!(key in extra)) pairs.push(sql`${jsonKey(key)}, ${c.sql(alias)}`);
    }
    pairs.push(
      sql`'version', ${col(alias, "version")}, 'created_by', ${col(alias, "created_by")}`,
      sql`'created_at', ${isoSql(col(alias, "created_at"))}, 'updated_at', ${isoSql(col(alias, "updated_at"))}`,
    );
    return sql.join(pairs, sql`, `);
  });
  if (!extraKeys.length) return sql`json_build_object(${base})`;
  const extras = Object.entries(extra).map(([key, value]) => sql`${jsonKey(key)}, ${value}`);
  return sql`json_build_object(${base}, ${sql.join(extras, sql`, `)})`;
}

/** The audited values of the row under `alias`: every public field (`only`: just these). */
export function auditValues(res: AnyResource, alias: string, only?: readonly string[]): SQL {
  return frozen(res, `audit:${alias}:${only?.join(",") ?? "*"}`, () => {
    const keys = only ?? Object.keys(res.fields);
    const pairs = keys.flatMap((key) => {
      const f = res.fields[key];
      return f ? [sql`${jsonKey(key)}, ${col(alias, f.column)}`] : [];
    });
    return pairs.length ? sql`jsonb_build_object(${sql.join(pairs, sql`, `)})` : sql`'{}'::jsonb`;
  });
}

/** "Rows the caller may see" over `alias`: the tenant from the token, and the declared data scope. */
export function visible(ctx: TenantContext, res: AnyResource, alias: string): SQL {
  const tenant = sql`${col(alias, "tenant_id")} = ${ctx.tenantId}::uuid`;
  if (res.scope === "tenant") return tenant;
  const ids = visibleUserIds(ctx);
  if (ids === null) return tenant;
  const tests = res.scope.map((column) => sql`${col(alias, column)} = any(${ids})`);
  return sql`${tenant} and (${sql.join(tests, sql` or `)})`;
}

/** Not soft-deleted. */
export function live(alias: string): SQL {
  return sql`${col(alias, "deleted_at")} is null`;
}

function hasDeletedAt(ref: Reference): boolean {
  return getTableConfig(ref.table).columns.some((c) => c.name === "deleted_at");
}

/**
 * The first declared reference among `values` that is not a live row of the tenant, as a text
 * expression (its field name) or null: one `exists` per reference sent, inside the write itself.
 */
export function missingReference(ctx: TenantContext, res: AnyResource, values: Record<string, unknown>): SQL {
  const checks = (Object.entries(res.references ?? {}) as [string, Reference][])
    .filter(([key]) => values[key] !== undefined && values[key] !== null)
    .map(([key, ref]) => {
      const alive = hasDeletedAt(ref) ? sql` and r.deleted_at is null` : sql``;
      const column = sql.identifier(ref.key?.name ?? "id");
      const ids = ref.scope ? visibleUserIds(ctx) : null;
      const seen =
        ref.scope && ids
          ? sql` and (${sql.join(
              ref.scope.map((c) => sql`r.${sql.identifier(c.name)} = any(${ids})`),
              sql` or `,
            )})`
          : sql``;
      return sql`when not exists (select 1 from ${sql.identifier(getTableName(ref.table))} r
        where r.tenant_id = ${ctx.tenantId}::uuid and r.${column} = ${values[key]}::uuid${alive}${seen}) then ${key}::text`;
    });
  return checks.length ? sql`(case ${sql.join(checks, sql` `)} end)` : sql`null::text`;
}

/** The declared sort of a list: its key over `alias` and the key's SQL type (for the cursor). */
export interface Sort {
  key: (alias: string) => SQL;
  type: string;
  descending?: boolean;
}

export function declaredSort(res: AnyResource): Sort {
  const { column, caseInsensitive, descending } = res.order;
  return {
    key: (alias) => (caseInsensitive ? sql`lower(${col(alias, column)})` : col(alias, column)),
    type: caseInsensitive ? "text" : column.getSQLType(),
    ...(descending ? { descending } : {}),
  };
}
