import { sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { softDeleteRow } from "../../core/resource/statements";
import { settle } from "../../core/resource/verbs";
import { clientResource } from "./clients.resource";

/**
 * Deleting a client with open projects (live, `pending` or `active`) is refused with 409 naming
 * them — nothing cascades: close or move the projects first. Otherwise the kit's soft delete (the
 * client goes to the trash). One statement.
 */
export async function deleteClient(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const openProjects = sql`(select string_agg(p.id::text, ',' order by p.id) from projects p
    where p.tenant_id = cur.tenant_id and p.client_id = cur.id and p.deleted_at is null
      and p.status in ('pending', 'active'))`;
  const outcome = await softDeleteRow(ctx, clientResource, id, expectedVersion, openProjects);
  settle(outcome, expectedVersion, {
    notFound: () => ApiError.notFound("Client"),
    refused: (ids) =>
      ApiError.conflict(
        "Client has open projects; close, cancel or move them first",
        ids.split(",").map((projectId) => ({ field: "project_id", message: projectId })),
      ),
  });
}
