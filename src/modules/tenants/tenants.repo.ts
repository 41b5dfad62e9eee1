import { eq, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import { auditLogs, tenants } from "../../db/schema";

export type TenantRow = typeof tenants.$inferSelect;

export async function findTenantById(db: Db, id: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return row;
}

export interface TenantPatch {
  name?: string;
  settings?: Record<string, unknown>;
}

/**
 * Updates a tenant and writes its audit row in one atomic round trip. The audit row's old values
 * are read from the row itself inside the batch (INSERT … SELECT before the UPDATE), so a missing
 * tenant writes neither.
 */
export async function updateTenantAudited(
  db: Db,
  id: string,
  patch: TenantPatch,
  audit: typeof auditLogs.$inferInsert,
): Promise<TenantRow | undefined> {
  const auditInsert = db.execute(sql`
    insert into ${auditLogs} (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values, ip, user_agent, request_id)
    select ${tenants.id}, ${audit.id}, ${audit.actorId}, ${audit.action}, ${audit.entityType}, ${audit.entityId},
           jsonb_build_object('name', ${tenants.name}, 'settings', ${tenants.settings}),
           ${JSON.stringify(audit.newValues ?? null)}::jsonb, ${audit.ip ?? null}::inet, ${audit.userAgent ?? null}, ${audit.requestId ?? null}
    from ${tenants} where ${tenants.id} = ${id}`);
  const update = db
    .update(tenants)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.settings !== undefined
        ? { settings: sql`${tenants.settings} || ${JSON.stringify(patch.settings)}::jsonb` }
        : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(tenants.id, id))
    .returning();
  const [, rows] = await db.batch([auditInsert, update]);
  return rows[0];
}
