import { ApiError } from "../../core/errors";
import { preconditionFailed } from "../../core/etag";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import type { VersionedWriteOutcome } from "./catalog-sql";

/**
 * Turns the outcome of a versioned write into its row or the API's error, in the order a client
 * can act on: 404 (no such live row in the tenant) → 412 (If-Match names another version) → the
 * write's own refusal (e.g. 404 for a missing brand, 409 for answered questions) → 412 again when
 * every check passed on the statement's snapshot but a concurrent writer changed the row first.
 */
export function settleWrite<T>(
  outcome: VersionedWriteOutcome<T>,
  expectedVersion: number | undefined,
  errors: { notFound: () => ApiError; refusal?: (reason: string) => ApiError },
): T {
  if (!outcome.found) throw errors.notFound();
  if (expectedVersion !== undefined && outcome.currentVersion !== expectedVersion) throw preconditionFailed();
  if (outcome.refusal !== null) {
    throw errors.refusal?.(outcome.refusal) ?? new Error(`unhandled refusal ${outcome.refusal}`);
  }
  if (outcome.row === null) throw preconditionFailed();
  return outcome.row;
}

/**
 * Maps a unique-index violation to a 409 naming the field, by index name; anything else is
 * rethrown untouched.
 */
export function conflictOnUnique(
  err: unknown,
  byConstraint: Record<string, { field: string; message: string }>,
): never {
  const pg = pgErrorOf(err);
  const hit = pg?.code === UNIQUE_VIOLATION && pg.constraint ? byConstraint[pg.constraint] : undefined;
  if (hit) throw ApiError.conflict(hit.message, [{ field: hit.field, message: "Already taken" }]);
  throw err;
}

/** A reference to another resource of the tenant that does not exist: 404 naming the field. */
export function referenceNotFound(entity: string, field: string): ApiError {
  return new ApiError("RESOURCE_NOT_FOUND", `${entity} not found`, {
    details: [{ field, message: `No such ${entity.toLowerCase()} in this tenant` }],
  });
}
