import { and, count, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import { auditLogs, roles, systemAudit, tenants } from "../../db/schema";
import type { ListTenantsQuery } from "./tenants.schemas";

export type TenantRow = typeof tenants.$inferSelect;

export async function findTenantById(db: Db, id: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return row;
}

/**
 * A page of tenants, newest first, and (when asked) the total — both in one round trip: the
 * count rides along as a window function instead of a second query.
 */
export async function listTenants(
  db: Db,
  query: ListTenantsQuery,
  onlyId: string | undefined,
): Promise<{ rows: TenantRow[]; total: number | null }> {
  const filters: SQL[] = [];
  if (onlyId) filters.push(eq(tenants.id, onlyId));
  if (query.status) filters.push(eq(tenants.status, query.status));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const match = or(ilike(tenants.name, pattern), ilike(tenants.slug, pattern));
    if (match) filters.push(match);
  }
  const rows = await db
    .select({ tenant: tenants, total: query.include_total ? sql<number>`count(*) over ()` : sql<null>`null` })
    .from(tenants)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(tenants.createdAt), desc(tenants.id))
    .limit(query.page_size)
    .offset((query.page - 1) * query.page_size);
  let total: number | null = null;
  if (query.include_total) {
    // A page past the end has no rows to carry the window count: count separately (rare).
    total = rows[0]
      ? Number(rows[0].total)
      : ((
          await db
            .select({ n: count() })
            .from(tenants)
            .where(filters.length > 0 ? and(...filters) : undefined)
        )[0]?.n ?? 0);
  }
  return { rows: rows.map((r) => r.tenant), total };
}

/** A new tenant, its default roles and the platform audit row: one atomic round trip. */
export async function insertTenant(
  db: Db,
  tenant: typeof tenants.$inferInsert,
  roleRows: (typeof roles.$inferInsert)[],
  audit: typeof systemAudit.$inferInsert,
): Promise<TenantRow> {
  const [inserted] = await db.batch([
    db.insert(tenants).values(tenant).returning(),
    db.insert(roles).values(roleRows),
    db.insert(systemAudit).values(audit),
  ]);
  const row = inserted[0];
  if (!row) throw new Error("tenant insert returned nothing");
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

export interface MySite {
  id: string;
  name: string;
  slug: string;
  roles: string[];
}

/** The active tenants the user is an active member of, with their role names: one round trip. */
export async function listSitesOfUser(db: Db, userId: string, onlyId?: string): Promise<MySite[]> {
  const result = await db.execute<{ id: string; name: string; slug: string; roles: string[] }>(sql`
    select t.id, t.name, t.slug,
      coalesce(array(
        select r.name from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
        where ur.tenant_id = m.tenant_id and ur.user_id = m.user_id order by r.name), '{}') as roles
    from memberships m join tenants t on t.id = m.tenant_id and t.status = 'active'
    where m.user_id = ${userId} and m.status = 'active' ${onlyId ? sql`and m.tenant_id = ${onlyId}` : sql``}
    order by m.created_at, m.tenant_id`);
  return result.rows.map((r) => ({ id: r.id, name: r.name, slug: r.slug, roles: r.roles }));
}
