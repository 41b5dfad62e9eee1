import { listRoute } from "../../core/resource/item-routes";
import { apiRouter, jsonResponse } from "../../core/route";
import { auditListResponse, listAuditQuery } from "./audit.schemas";
import { listAudit } from "./audit.service";

export const auditRoutes = apiRouter().openapi(
  ...listRoute(
    {
      path: "/",
      summary: "Read the audit log",
      description:
        "The tenant's audit entries, newest first (created_at, then id). Filters: `entity_type`, `entity_id`, `actor_id`, `action`, `from`/`to` (RFC 3339, inclusive; `from` after `to` is a 400). Keyset paging: pass `pagination.next_cursor` as `cursor` (no duplicates or gaps while entries are being written); `page` numbers also work. Platform super admins may add `include_system=true` to merge the platform's system events (`source: system`: tenant creation, X-Tenant-ID overrides, …); anyone else asking for them gets 403.",
      tags: ["audit"],
      permission: "audit:read",
      query: listAuditQuery,
      responses: { 200: jsonResponse(auditListResponse, "One page of audit entries") },
    },
    listAudit,
  ),
);
