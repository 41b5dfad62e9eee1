import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Filter } from "../../core/resource/declaration";
import { col } from "../../core/resource/sql";

/**
 * The pipeline's rights (seed 004): reading and writing deals and tasks (in the role's data
 * scope: own for members, the tenant for owner, admin and manager), and moving a deal to an
 * earlier stage — reopening included — which only owner and admin hold.
 */
export const DEAL_PERMISSIONS = { read: "deals:read", write: "deals:write", delete: "deals:write" } as const;
export const DEAL_ROLLBACK = "deals:rollback";
export const TASK_PERMISSIONS = { read: "tasks:read", write: "tasks:write", delete: "tasks:write" } as const;

/** A list filter comparing `column` with the value (`>=`, `<=`, `<`), e.g. an amount or date range. */
export function compare<S extends z.ZodType>(
  column: AnyPgColumn,
  op: ">=" | "<=" | "<",
  schema: S,
  cast = column.getSQLType(),
): Filter<S> {
  return {
    schema,
    where: (value, alias): SQL => sql`${col(alias, column)} ${sql.raw(op)} ${value}::${sql.raw(cast)}`,
  };
}
