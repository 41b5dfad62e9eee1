import { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { decodeCursor, encodeCursor } from "../../core/pagination";
import { type AuditRecord, listAudit as listAuditRows } from "./audit.repo";
import type { AuditEntryDto, ListAuditQuery } from "./audit.schemas";

/** Where the next page starts (the last row's position) and that page's number. */
interface Cursor {
  createdAt: string;
  id: string;
  page: number;
}

/** created_at with microseconds (the keyset position), the row id and the next page number. */
const cursorSchema = z
  .object({
    t: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
      .refine((t) => !Number.isNaN(Date.parse(t))),
    i: z.uuid(),
    p: z.number().int().min(2).max(1_000_000),
  })
  .transform(({ t, i, p }): Cursor => ({ createdAt: t, id: i, page: p }));

function toEntryDto(row: AuditRecord): AuditEntryDto {
  const { position: _position, ...entry } = row;
  return entry;
}

/**
 * The tenant's audit log, newest first, with filters and keyset paging (`cursor`) or page numbers.
 * `include_system` merges the platform's system events and is for platform super admins only:
 * anyone else asking for them is refused (403), not silently served less.
 */
export async function listAudit(ctx: TenantContext, query: ListAuditQuery) {
  if (query.include_system && !ctx.isSuperAdmin) {
    throw ApiError.forbidden("Only platform administrators may read system events");
  }
  const cursor = query.cursor !== undefined ? decodeCursor(query.cursor, cursorSchema) : undefined;
  const page = cursor?.page ?? query.page ?? 1;
  const result = await listAuditRows(ctx.db, ctx.tenantId, {
    ...(query.entity_type !== undefined ? { entityType: query.entity_type } : {}),
    ...(query.entity_id !== undefined ? { entityId: query.entity_id } : {}),
    ...(query.actor_id !== undefined ? { actorId: query.actor_id } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(cursor ? { after: { createdAt: cursor.createdAt, id: cursor.id } } : {}),
    // One row more than the page tells whether another page follows.
    limit: query.page_size + 1,
    offset: cursor ? 0 : (page - 1) * query.page_size,
    includeSystem: query.include_system,
    includeTotal: query.include_total,
  });
  const rows = result.items.slice(0, query.page_size);
  const last = rows.at(-1);
  const nextCursor =
    result.items.length > query.page_size && last
      ? encodeCursor({ t: last.position, i: last.id, p: page + 1 })
      : null;
  return {
    data: rows.map(toEntryDto),
    pagination: {
      page,
      page_size: query.page_size,
      total: result.total,
      pages: result.total === null ? null : Math.ceil(result.total / query.page_size),
      next_cursor: nextCursor,
    },
  };
}
