import type { TenantContext } from "../../core/context";
import type { Db } from "../../core/db";
import type { Emit } from "../../core/emit";
import { ApiError } from "../../core/errors";
import { domainEvent } from "../../core/events";
import { pagination } from "../../core/pagination";
import { pgErrorOf } from "../../core/pg-errors";
import type { AnyResource } from "../../core/resource/declaration";
import { restoreRow } from "../../core/resource/statements";
import { conflictOnUnique } from "../../core/resource/verbs";
import { resources } from "../resources";
import { expiredTrashIds, expiredTrashPurge, listTrash, purgeRow } from "./trash.repo";
import type { TrashListQuery } from "./trash.schemas";

/** The trash permission beyond each type's own: purging for good. */
export const TRASH_PURGE = "trash:purge";
const FOREIGN_KEY_VIOLATION = "23503";

/** The kit resource a trash type names (`client` or `clients`); 404 for anything else. */
function resourceOf(type: string): AnyResource {
  const res = resources.find((r) => r.name === type || r.path === `/${type}`);
  if (!res) {
    throw new ApiError("RESOURCE_NOT_FOUND", "No such trash type", {
      details: [{ field: "type", message: `One of: ${resources.map((r) => r.name).join(", ")}` }],
    });
  }
  return res;
}

function requireRight(ctx: TenantContext, permission: string) {
  if (!ctx.permissions.has(permission)) throw ApiError.forbidden(`Needs the ${permission} permission`);
}

/** Deleted rows of every type the caller may restore (or of `type`, with its read permission), newest deletion first, with the total. */
export async function listTrashPage(ctx: TenantContext, query: TrashListQuery) {
  let types: readonly AnyResource[];
  if (query.type) {
    const res = resourceOf(query.type);
    requireRight(ctx, res.permissions.read);
    types = [res];
  } else {
    // By default the types you may restore (read and write), not every reference list you can read.
    types = resources.filter(
      (r) => ctx.permissions.has(r.permissions.read) && ctx.permissions.has(r.permissions.write),
    );
  }
  if (types.length === 0) return { data: [], pagination: pagination(query, 0) };
  const { total, items } = await listTrash(ctx, types, query.page, query.page_size);
  return {
    data: items,
    pagination: pagination(query, total),
  };
}

/** Brings a trashed row back (the type's write permission; 404 when not in the trash; 409 when its unique value was taken meanwhile). */
export async function restoreFromTrash(ctx: TenantContext, type: string, id: string, emit: Emit) {
  const res = resourceOf(type);
  requireRight(ctx, res.permissions.write);
  const row = await restoreRow<Record<string, unknown>>(ctx, res, id).catch((err: unknown) =>
    conflictOnUnique(res, err),
  );
  if (!row) throw ApiError.notFound(`${res.entity} in the trash`);
  // A restored row counts again: the write event the type's own writes emit.
  if (res.emits) emit(domainEvent(res.emits, ctx.tenantId, { entity: res.name, id }));
  return row;
}

/** Purges a trashed row for good (trash:purge and the type's delete permission); 409 while other rows reference it. */
export async function purgeFromTrash(ctx: TenantContext, type: string, id: string): Promise<void> {
  const res = resourceOf(type);
  requireRight(ctx, res.permissions.delete);
  const purged = await purgeRow(ctx, res, id).catch((err: unknown) => {
    if (pgErrorOf(err)?.code === FOREIGN_KEY_VIOLATION) {
      throw ApiError.conflict(`${res.entity} is still referenced by other rows; purge or unlink them first`);
    }
    throw err;
  });
  if (!purged) throw ApiError.notFound(`${res.entity} in the trash`);
}

/**
 * The nightly purge: in every kit table, rows deleted longer ago than their tenant's
 * `trash_retention_days` go for good, audited (no actor). One statement per table; a table whose batch is
 * refused (a row still referenced, e.g. a trashed client a live project points at) is retried
 * row by row, keeping the referenced rows. Safe to run any number of times.
 */
export async function purgeExpiredTrash(jc: { db: Db }, now: Date): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  // Children first (notes, interactions, … before clients and accounts): the declaration list
  // names parents before the rows that point at them.
  for (const res of [...resources].reverse()) {
    try {
      counts[res.name] = (await jc.db.execute(expiredTrashPurge(res, now))).rows.length;
    } catch (err) {
      if (pgErrorOf(err)?.code !== FOREIGN_KEY_VIOLATION) throw err;
      const ids = (await jc.db.execute<{ id: string }>(expiredTrashIds(res, now))).rows;
      let purged = 0;
      for (const { id } of ids) {
        const one = await jc.db.execute(expiredTrashPurge(res, now, id)).catch((e: unknown) => {
          if (pgErrorOf(e)?.code === FOREIGN_KEY_VIOLATION) return { rows: [] };
          throw e;
        });
        purged += one.rows.length;
      }
      counts[res.name] = purged;
    }
  }
  return counts;
}
