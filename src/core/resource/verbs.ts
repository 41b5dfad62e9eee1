import type { z } from "zod";
import type { TenantContext } from "../context";
import { ApiError } from "../errors";
import { preconditionFailed } from "../etag";
import { keysetPage, pageRequest } from "../pagination";
import { CHECK_VIOLATION, pgErrorOf, UNIQUE_VIOLATION } from "../pg-errors";
import type { AnyResource, Filter } from "./declaration";
import {
  findRow,
  insertRow,
  keySchema,
  type ListOptions,
  listRows,
  type Projection,
  softDeleteRow,
  updateRow,
  type WriteOutcome,
} from "./statements";

/**
 * The standard verbs of a resource as plain functions over the statements: they turn outcomes
 * into the API's answers (404, 404 naming a reference, 409 naming the field, 412). A resource
 * with special behaviour writes its own function for that verb, calling these or the statements.
 */

/** A DTO with the version its ETag carries. */
export interface Versioned<T> {
  data: T;
  version: number;
}

const versioned = <T extends { version: number }>(data: T): Versioned<T> => ({ data, version: data.version });

/** A declared reference that is not in the tenant: 404 naming the field. */
export function referenceNotFound(entity: string, field: string): ApiError {
  return new ApiError("RESOURCE_NOT_FOUND", `${entity} not found`, {
    details: [{ field, message: `No such ${entity.toLowerCase()} in this tenant` }],
  });
}

function missingReference(res: AnyResource, field: string): ApiError {
  const ref = (res.references as Record<string, { entity: string }> | undefined)?.[field];
  return referenceNotFound(ref?.entity ?? field, field);
}

/** A declared unique index violated: 409 naming the field; a declared check: 400 naming it; anything else is rethrown. */
export function conflictOnUnique(res: AnyResource, err: unknown): never {
  const pg = pgErrorOf(err);
  const hit = pg?.code === UNIQUE_VIOLATION && pg.constraint ? res.unique?.[pg.constraint] : undefined;
  if (hit) throw ApiError.conflict(hit.message, [{ field: hit.field, message: "Already taken" }]);
  const check = pg?.code === CHECK_VIOLATION && pg.constraint ? res.checks?.[pg.constraint] : undefined;
  if (check)
    throw ApiError.validation("Invalid request body", [{ field: check.field, message: check.message }]);
  throw err;
}

/**
 * A versioned write's outcome as its row or the API's error, in the order a client can act on:
 * 404 (no such live row in tenant and scope) → 412 (If-Match names another version) → the
 * write's refusal (the kit's: 404 naming a missing reference) → 412 again when every check passed
 * on the statement's snapshot but a concurrent writer changed the row first.
 */
export function settle<T>(
  outcome: WriteOutcome<T>,
  expectedVersion: number | undefined,
  errors: { notFound: () => ApiError; refused: (reason: string) => ApiError },
): T {
  if (!outcome.found) throw errors.notFound();
  if (expectedVersion !== undefined && outcome.currentVersion !== expectedVersion) throw preconditionFailed();
  if (outcome.refusal !== null) throw errors.refused(outcome.refusal);
  if (outcome.row === null) throw preconditionFailed();
  return outcome.row;
}

const errorsOf = (res: AnyResource) => ({
  notFound: () => ApiError.notFound(res.entity),
  refused: (field: string) => missingReference(res, field),
});

/** Creates a row from a validated body (server-owned fields never reach here: the body is strict). */
export async function createOne<T extends { version: number }>(
  ctx: TenantContext,
  res: AnyResource,
  input: Record<string, unknown>,
  json?: Projection,
): Promise<Versioned<T>> {
  const result = await insertRow<T>(ctx, res, input, json).catch((err: unknown) =>
    conflictOnUnique(res, err),
  );
  if (result.missing !== null) throw missingReference(res, result.missing);
  if (result.row === null) throw new Error(`${res.name} insert returned nothing`);
  return versioned(result.row);
}

export async function getOne<T extends { version: number }>(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  json?: Projection,
): Promise<Versioned<T>> {
  const row = await findRow<T>(ctx, res, id, json);
  if (!row) throw ApiError.notFound(res.entity);
  return versioned(row);
}

/** Partial update (PUT and PATCH alike), If-Match checked inside the UPDATE. */
export async function updateOne<T extends { version: number }>(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  input: Record<string, unknown>,
  expectedVersion: number | undefined,
  json?: Projection,
): Promise<Versioned<T>> {
  const outcome = await updateRow<T>(ctx, res, id, input, expectedVersion, json).catch((err: unknown) =>
    conflictOnUnique(res, err),
  );
  return versioned(settle(outcome, expectedVersion, errorsOf(res)));
}

/** Soft delete, If-Match checked inside the UPDATE. */
export async function deleteOne(
  ctx: TenantContext,
  res: AnyResource,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  settle(await softDeleteRow(ctx, res, id, expectedVersion), expectedVersion, errorsOf(res));
}

/** SQLSTATEs of a value that does not cast to the sort key's type (a forged cursor). */
const BAD_VALUE = new Set(["22P02", "22007", "22008", "22003"]);

/** The list query's filters as conditions over `t`. */
export function filterConditions(res: AnyResource, query: Record<string, unknown>) {
  return Object.entries((res.filters ?? {}) as Record<string, Filter>).flatMap(([key, filter]) =>
    query[key] === undefined ? [] : [filter.where(query[key] as z.output<typeof filter.schema>, "t")],
  );
}

/**
 * One page of the list: declared filters, offset or keyset paging (`cursor`), the total when
 * asked. `options` adds conditions, computed columns or another sort for a custom list.
 */
export async function listPage<T>(
  ctx: TenantContext,
  res: AnyResource,
  query: {
    page?: number | undefined;
    page_size: number;
    include_total: boolean;
    cursor?: string | undefined;
  } & Record<string, unknown>,
  options: ListOptions = {},
) {
  const request = pageRequest(query, keySchema);
  const where = [...filterConditions(res, query), ...(options.where ?? [])];
  const { total, rows, also } = await listRows<T>(ctx, res, request, { ...options, where }).catch(
    (err: unknown) => {
      if (request.after && BAD_VALUE.has(pgErrorOf(err)?.code ?? "")) {
        throw ApiError.validation("Invalid request query", [
          { field: "cursor", message: "Not a cursor this API issued (use pagination.next_cursor)" },
        ]);
      }
      throw err;
    },
  );
  const page = keysetPage(rows, request, total, (row) => row.key);
  const data = page.items.map((row) => row.item);
  return options.also ? { data, pagination: page.pagination, also } : { data, pagination: page.pagination };
}
