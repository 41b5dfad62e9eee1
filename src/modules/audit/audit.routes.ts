import { Hono } from "hono";
import { type AppEnv, tenantContext } from "../../core/context";
import { authenticate, requirePermission } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import { auditListResponse, listAuditQuery } from "./audit.schemas";
import { listAudit } from "./audit.service";

export const auditRoutes = new Hono<AppEnv>().use("*", authenticate, idempotency).get(
  "/",
  describe({
    summary: "Read the audit log",
    description:
      "The tenant's audit entries, newest first (created_at, then id). Filters: `entity_type`, `entity_id`, `actor_id`, `action`, `from`/`to` (RFC 3339, inclusive; `from` after `to` is a 400). Keyset paging: pass `pagination.next_cursor` as `cursor` (no duplicates or gaps while entries are being written); `page` numbers also work. Platform super admins may add `include_system=true` to merge the platform's system events (`source: system`: tenant creation, X-Tenant-ID overrides, …); anyone else asking for them gets 403.",
    tags: ["audit"],
    auth: true,
    permission: "audit:read",
    responses: { 200: { description: "One page of audit entries", schema: auditListResponse } },
  }),
  requirePermission("audit:read"),
  validate("query", listAuditQuery),
  async (c) => c.json(await listAudit(tenantContext(c), c.req.valid("query"))),
);
