import { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { keysetPage, pageRequest } from "../../core/pagination";
import { type AuditRecord, listAudit as listAuditRows } from "./audit.repo";
import type { AuditEntryDto, ListAuditQuery } from "./audit.schemas";

/** created_at with microseconds (the keyset position) and the id of the page's last row. */
const auditKey = z.tuple([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    .refine((t) => !Number.isNaN(Date.parse(t))),
  z.uuid(),
]);

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
  const request = pageRequest(query, auditKey);
  const result = await listAuditRows(ctx.db, ctx.tenantId, {
    ...(query.entity_type !== undefined ? { entityType: query.entity_type } : {}),
    ...(query.entity_id !== undefined ? { entityId: query.entity_id } : {}),
    ...(query.actor_id !== undefined ? { actorId: query.actor_id } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(request.after ? { after: { createdAt: request.after[0], id: request.after[1] } } : {}),
    limit: request.limit,
    offset: request.offset,
    includeSystem: query.include_system,
    includeTotal: query.include_total,
  });
  const page = keysetPage(
    result.items,
    request,
    result.total,
    (row) => [row.position, row.id] as [string, string],
  );
  return { data: page.items.map(toEntryDto), pagination: page.pagination };
}
