import { z } from "zod";
import { checkInstantRange } from "../../core/fields";
import { listEnvelope } from "../../core/openapi";
import { checkPaging, listPagingQuery } from "../../core/pagination";

export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    source: z
      .enum(["tenant", "system"])
      .describe("`tenant`: the tenant's audit log; `system`: a platform event (super admins only)"),
    tenant_id: z.uuid().nullable(),
    actor_id: z.uuid().nullable(),
    action: z.string(),
    entity_type: z.string(),
    entity_id: z.string().nullable(),
    old_values: z.record(z.string(), z.unknown()).nullable(),
    new_values: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .openapi("AuditEntry");

export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

const instant = z.iso.datetime({
  offset: true,
  error: "Must be an RFC 3339 date-time, e.g. 2026-01-31T08:00:00Z",
});

export const listAuditQuery = z
  .strictObject({
    entity_type: z.string().trim().min(1).max(100).optional().describe("e.g. `team`, `user`, `tenant`"),
    entity_id: z.string().trim().min(1).max(200).optional(),
    actor_id: z.uuid({ error: "Must be a UUID" }).optional().describe("The user who acted"),
    action: z.string().trim().min(1).max(100).optional().describe("e.g. `team.update`"),
    from: instant.optional().describe("Entries at or after this instant"),
    to: instant.optional().describe("Entries at or before this instant"),
    ...listPagingQuery,
    include_system: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true")
      .describe("Platform super admins only: merge the platform's system events (`source: system`)"),
  })
  .superRefine((q, ctx) => {
    checkInstantRange(q, ctx);
    checkPaging(q, ctx);
  });

export type ListAuditQuery = z.infer<typeof listAuditQuery>;

export const auditListResponse = listEnvelope(auditEntrySchema);
