import { getTableName, type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn, getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { z } from "zod";
import { type ResourceSchemas, resourceSchemas } from "./schemas";

/**
 * A standard tenant resource is a declaration of the facts that vary (DESIGN §5); the kit
 * (schemas, statements, verbs, routes) writes everything else once. A declaration holds data
 * only: no callbacks into the module, no flags for one resource.
 */

/** A public field: its column, what a create accepts (`.optional()` when the column's default may apply) and what responses carry. */
export interface Field<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  column: AnyPgColumn;
  input: I;
  output: O;
}

/** A public field of the resource (see `Field`). */
export function field<I extends z.ZodType, O extends z.ZodType>(
  column: AnyPgColumn,
  input: I,
  output: O,
): Field<I, O> {
  return { column, input, output };
}

/** A read-only value computed by SQL over the row (under `alias`), e.g. a count of children. */
export interface Computed<O extends z.ZodType = z.ZodType> {
  sql(alias: string): SQL;
  output: O;
}

/** A list query parameter and the condition it adds (over the row under `alias`). */
export interface Filter<S extends z.ZodType = z.ZodType> {
  schema: S;
  where(value: z.output<S>, alias: string): SQL;
}

/** `%text%` for ILIKE with the wildcard characters of `text` escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** `column` contains the text, case-insensitively (the usual `q=`). */
export function contains(column: AnyPgColumn, description: string): Filter<z.ZodString> {
  return {
    schema: z.string().trim().min(1).max(200).describe(description),
    where: (value, alias) =>
      sql`${sql.raw(alias)}.${sql.identifier(column.name)} ilike ${containsPattern(value)}::text`,
  };
}

/** `column` equals the value (`schema` parses the query string). */
export function equals<S extends z.ZodType>(column: AnyPgColumn, schema: S): Filter<S> {
  return {
    schema,
    where: (value, alias) =>
      sql`${sql.raw(alias)}.${sql.identifier(column.name)} = ${value}::${sql.raw(column.getSQLType())}`,
  };
}

/**
 * Another tenant resource a field points at: it must exist (live) in the caller's tenant, else 404
 * naming the field. `key` is the target's column the value matches (default its `id`), e.g. a
 * membership's `user_id` for "a user of this tenant". `scope`: the target's owner columns (its own
 * declaration's `scope`), when the target must also be a row the caller may see in their data
 * scope — the same 404 otherwise, so a reference never reveals a row the caller cannot read.
 */
export interface Reference {
  table: PgTable;
  entity: string;
  key?: AnyPgColumn;
  scope?: readonly AnyPgColumn[];
}

export interface ResourceSpec<
  F extends Record<string, Field> = Record<string, Field>,
  C extends Record<string, Computed> = Record<string, Computed>,
  Q extends Record<string, Filter> = Record<string, Filter>,
> {
  /** Singular, snake_case: the audit entity type and action prefix (`brand.create`). */
  name: string;
  /** For messages: "Brand not found". */
  entity: string;
  /** Where the routes are mounted under /api, e.g. "/brands" (Location headers, the route line). */
  path: string;
  /** The OpenAPI tag. */
  tag: string;
  table: PgTable;
  fields: F;
  computed?: C;
  permissions: { read: string; write: string; delete: string };
  /** `"tenant"`: reference data every reader sees; otherwise the owner columns the data scope tests. */
  scope: "tenant" | readonly AnyPgColumn[];
  /** Unique indexes (by name) and the 409 each one answers. */
  unique?: Record<string, { field: keyof F & string; message: string }>;
  /** CHECK constraints (by name) a write can break only with a field combination, and the 400 each answers. */
  checks?: Record<string, { field: keyof F & string; message: string }>;
  /**
   * An owned resource whose normal list and get show a tenant-scope caller only their own rows
   * (seed 003: admins see their own on normal pages): `view=all` with this permission shows the
   * whole tenant (admin pages). Team and subtree scopes are unchanged; writes keep the role's scope.
   */
  readAll?: string;
  references?: Partial<Record<keyof F & string, Reference>>;
  filters?: Q;
  /** List order; ties break on id. The column must be NOT NULL. */
  order: { column: AnyPgColumn; caseInsensitive?: boolean; descending?: boolean };
  /**
   * Sent to phones by offline sync (`GET /api/sync`, to callers holding the read permission):
   * `{}` for the row as the API shows it, `{ with }` for extra values its synced rows carry (a
   * survey's questions). Absent: not synced.
   */
  offline?: { with?: Record<string, Computed> };
  /**
   * A domain event type the kit's writes (create, update, delete) emit after the write, with
   * `{ entity: name, id }` (e.g. `crm.changed`, which keeps the CRM report rollups current).
   */
  emits?: string;
}

/** The columns every kit table has (DESIGN §5: tenant key, version, creator, timestamps, soft delete). */
const REQUIRED_COLUMNS = [
  "tenant_id",
  "id",
  "version",
  "created_by",
  "created_at",
  "updated_at",
  "deleted_at",
];

function fail(name: string, message: string): never {
  throw new Error(`resource "${name}": ${message}`);
}

/**
 * Checks a declaration against its table when the module loads, so a typo is a start-up error
 * with a clear message, never a broken query: every field, owner, order and filter column belongs
 * to the table; the table has the kit's columns; every named unique index exists; references
 * point at tenant tables.
 */
export function defineResource<
  F extends Record<string, Field>,
  C extends Record<string, Computed> = Record<never, Computed>,
  Q extends Record<string, Filter> = Record<never, Filter>,
>(spec: ResourceSpec<F, C, Q>): Resource<F, C, Q> {
  const config = getTableConfig(spec.table);
  const own = new Set(config.columns);
  const names = new Set(config.columns.map((c) => c.name));
  for (const column of REQUIRED_COLUMNS) {
    if (!names.has(column)) fail(spec.name, `table ${config.name} has no ${column} column`);
  }
  const mustOwn = (column: AnyPgColumn, what: string) => {
    if (!own.has(column as (typeof config.columns)[number])) {
      fail(spec.name, `${what} (${column.name}) is not a column of ${config.name}`);
    }
  };
  for (const [key, f] of Object.entries(spec.fields)) {
    mustOwn(f.column, `field ${key}`);
    if (REQUIRED_COLUMNS.includes(f.column.name))
      fail(spec.name, `field ${key} is server-owned (${f.column.name})`);
  }
  for (const key of Object.keys(spec.computed ?? {})) {
    if (key in spec.fields) fail(spec.name, `computed ${key} is also a field`);
  }
  for (const key of Object.keys(spec.offline?.with ?? {})) {
    if (key in spec.fields) fail(spec.name, `offline value ${key} is also a field`);
  }
  if (spec.scope !== "tenant") {
    if (spec.scope.length === 0) fail(spec.name, "scope needs at least one owner column, or 'tenant'");
    for (const column of spec.scope) mustOwn(column, "scope owner");
  }
  mustOwn(spec.order.column, "order");
  if (!spec.order.column.notNull) fail(spec.name, `order column ${spec.order.column.name} must be NOT NULL`);
  const indexes = new Set(config.indexes.map((i) => i.config.name));
  for (const [index, u] of Object.entries(spec.unique ?? {})) {
    if (!indexes.has(index)) fail(spec.name, `unique index ${index} does not exist on ${config.name}`);
    if (!(u.field in spec.fields)) fail(spec.name, `unique index ${index} names unknown field ${u.field}`);
  }
  const checks = new Set(config.checks.map((c) => c.name));
  for (const [name, c] of Object.entries(spec.checks ?? {})) {
    if (!checks.has(name)) fail(spec.name, `check ${name} does not exist on ${config.name}`);
    if (!(c.field in spec.fields)) fail(spec.name, `check ${name} names unknown field ${c.field}`);
  }
  if (spec.readAll !== undefined && spec.scope === "tenant") fail(spec.name, "readAll needs an owned scope");
  for (const [key, ref] of Object.entries(spec.references ?? {}) as [string, Reference][]) {
    if (!(key in spec.fields)) fail(spec.name, `reference ${key} is not a field`);
    const target = new Set(getTableConfig(ref.table).columns.map((c) => c.name));
    if (!target.has("tenant_id") || !target.has(ref.key?.name ?? "id")) {
      fail(spec.name, `reference ${key} → ${getTableName(ref.table)} is not a tenant table`);
    }
  }
  for (const key of Object.keys(spec.filters ?? {})) {
    if (["page", "page_size", "include_total", "cursor", "view"].includes(key))
      fail(spec.name, `filter ${key} is a paging field`);
  }
  return { ...spec, schemas: resourceSchemas(spec) };
}

/** A checked declaration with the zod schemas derived from it. */
export type Resource<
  F extends Record<string, Field> = Record<string, Field>,
  C extends Record<string, Computed> = Record<string, Computed>,
  Q extends Record<string, Filter> = Record<string, Filter>,
> = ResourceSpec<F, C, Q> & { schemas: ResourceSchemas<F, C, Q> };

/** Any declaration, for code that iterates them (sync, trash, JSON Schema export). */
export type AnyResource = Resource<Record<string, Field>, Record<string, Computed>, Record<string, Filter>>;
