import { type SQL, sql } from "drizzle-orm";
import type { DomainEvent } from "../../core/events";
import { TENANT_TZ } from "../../core/rollup-sql.mjs";
import { payloadId, type RollupContext, withKeys } from "../../core/rollups";
import {
  CLIENT_GROUPS_DELETE,
  CLIENT_GROUPS_INSERT,
  CLIENT_LAST_INTERACTION,
  fullRebuildStatements,
  INTERACTION_GROUPS_DELETE,
  INTERACTION_GROUPS_INSERT,
  LEAD_GROUPS_DELETE,
  LEAD_GROUPS_INSERT,
  LEAD_LAST_INTERACTION,
  LOCK_TENANTS,
  NONE,
  PROJECT_GROUPS_DELETE,
  PROJECT_GROUPS_INSERT,
} from "./crm.rollups.sql.mjs";

/**
 * The CRM report rollups (crm_*_rollups, the day cells; crm_*_cells, crm_member_cells and
 * crm_client_revenue, the coarse cells the reports read, kept in the same statements) and summary columns (`last_interaction_at` on clients and
 * leads), kept by the `crm.changed` event every CRM write emits (the kit's `emits`, lead
 * conversion, trash restore), refreshed every 15 minutes from the rows changed in the last hour
 * (a lost event heals within the quarter) and rebuilt in full nightly. The statements are the ones
 * in crm.rollups.sql.mjs; this file only chooses which groups they recompute.
 */

const TZ = sql.raw(TENANT_TZ);
const NONE_KEY = sql.raw(NONE);

type Entity = "lead" | "client" | "project" | "interaction";
const TABLES: Record<Entity, string> = {
  lead: "leads",
  client: "clients",
  project: "projects",
  interaction: "interactions",
};
const GROUP_STATEMENTS: Record<Entity, readonly [string, string]> = {
  lead: [LEAD_GROUPS_DELETE, LEAD_GROUPS_INSERT],
  client: [CLIENT_GROUPS_DELETE, CLIENT_GROUPS_INSERT],
  project: [PROJECT_GROUPS_DELETE, PROJECT_GROUPS_INSERT],
  interaction: [INTERACTION_GROUPS_DELETE, INTERACTION_GROUPS_INSERT],
};

const isEntity = (value: unknown): value is Entity => typeof value === "string" && value in TABLES;

/** The group key `(tenant_id, day, tz, created_by)` of the rows `x` of `table` meeting `where`. */
function groupKeys(table: string, where: SQL): SQL {
  return sql`
    select distinct x.tenant_id, (x.created_at at time zone ${TZ})::date as day, ${TZ} as tz,
      coalesce(x.created_by, ${NONE_KEY}) as created_by
    from ${sql.identifier(table)} x join tenants t on t.id = x.tenant_id
    where ${where}`;
}

/** The statements recomputing the groups `keys` of `entity`'s rollup (delete, then insert). */
function regroup(rc: RollupContext, entity: Entity, keys: SQL) {
  const [remove, insert] = GROUP_STATEMENTS[entity];
  return [rc.db.execute(withKeys(remove, keys)), rc.db.execute(withKeys(insert, keys))] as const;
}

/** The tenants `keys` (a query with `tenant_id`) locked for this transaction (LOCK_TENANTS). */
const lock = (rc: RollupContext, keys: SQL) => rc.db.execute(withKeys(LOCK_TENANTS, keys));

/** The ids the optional payload field `field` holds (a uuid or absent/null; anything else fails the event). */
function optionalIds(event: DomainEvent, field: string): string[] {
  const value = event.payload[field];
  return value === undefined || value === null ? [] : [payloadId(event, field)];
}

/**
 * `crm.changed`: recomputes the group of the changed row; for a client also the interaction groups
 * of its interactions (they count under its status); for an interaction the last interaction of
 * its client and lead — and of the client and lead it was moved away from, which the update's
 * event names (`previous_client_id`, `previous_lead_id`). One atomic round trip, under the
 * tenant's rollup lock.
 */
export async function applyCrmChanged(event: DomainEvent, rc: RollupContext): Promise<void> {
  const entity = event.payload.entity;
  if (!isEntity(entity)) throw new Error(`${event.type} event without a valid entity`);
  const id = payloadId(event, "id");
  const tenant = event.tenant_id;
  const own = groupKeys(TABLES[entity], sql`x.tenant_id = ${tenant} and x.id = ${id}`);
  const statements = [lock(rc, sql`select ${tenant}::uuid as tenant_id`), ...regroup(rc, entity, own)];
  if (entity === "client") {
    statements.push(
      ...regroup(
        rc,
        "interaction",
        groupKeys("interactions", sql`x.tenant_id = ${tenant} and x.client_id = ${id}`),
      ),
    );
  }
  if (entity === "interaction") {
    const of = (link: string, previous: string[]) => sql`
      select x.tenant_id, x.${sql.identifier(link)} as id from interactions x
      where x.tenant_id = ${tenant} and x.id = ${id} and x.${sql.identifier(link)} is not null
      ${sql.join(
        previous.map((p) => sql` union select ${tenant}::uuid, ${p}::uuid`),
        sql``,
      )}`;
    statements.push(
      rc.db.execute(
        withKeys(CLIENT_LAST_INTERACTION, of("client_id", optionalIds(event, "previous_client_id"))),
      ),
      rc.db.execute(withKeys(LEAD_LAST_INTERACTION, of("lead_id", optionalIds(event, "previous_lead_id")))),
    );
  }
  const [first, ...rest] = statements;
  if (!first) return;
  await rc.db.batch([first, ...rest]);
}

/**
 * Every 15 minutes: recomputes, in every tenant, the groups of every CRM row changed in the hour
 * before `now` (and the summary columns their interactions touch), so a lost event heals within a
 * quarter. Reads the `(tenant_id, updated_at)` indexes; one atomic round trip; twice is the same.
 */
export async function refreshCrmRollups(rc: RollupContext, now: Date): Promise<{ refreshed: true }> {
  const since = sql`${new Date(now.getTime() - 3_600_000).toISOString()}::timestamptz`;
  // Per tenant, so each table's (tenant_id, updated_at) index serves the scan.
  const recent = (table: string, alias: string) => sql`
    tenants t cross join lateral (
      select * from ${sql.identifier(table)} y where y.tenant_id = t.id and y.updated_at >= ${since}
    ) ${sql.raw(alias)}`;
  const keysOf = (table: string) => sql`
    select distinct x.tenant_id, (x.created_at at time zone ${TZ})::date as day, ${TZ} as tz,
      coalesce(x.created_by, ${NONE_KEY}) as created_by
    from ${recent(table, "x")}`;
  const ofChangedClients = sql`
    select distinct x.tenant_id, (x.created_at at time zone ${TZ})::date as day, ${TZ} as tz,
      coalesce(x.created_by, ${NONE_KEY}) as created_by
    from ${recent("clients", "c")}
    join interactions x on x.tenant_id = c.tenant_id and x.client_id = c.id`;
  const touched = (link: string) => sql`
    select x.tenant_id, x.${sql.identifier(link)} as id from ${recent("interactions", "x")}
    where x.${sql.identifier(link)} is not null`;
  const [first, ...rest] = [
    lock(rc, sql`select t.id as tenant_id from tenants t`),
    ...(Object.keys(TABLES) as Entity[]).flatMap((entity) => regroup(rc, entity, keysOf(TABLES[entity]))),
    ...regroup(rc, "interaction", ofChangedClients),
    rc.db.execute(withKeys(CLIENT_LAST_INTERACTION, touched("client_id"))),
    rc.db.execute(withKeys(LEAD_LAST_INTERACTION, touched("lead_id"))),
  ];
  if (first) await rc.db.batch([first, ...rest]);
  return { refreshed: true };
}

/** Nightly: rebuilds every tenant's CRM report rollups and summary columns from the source rows. One atomic round trip. */
export async function rebuildCrmRollups(rc: RollupContext): Promise<{ rebuilt: true }> {
  const [first, ...rest] = fullRebuildStatements().map((text) => rc.db.execute(sql.raw(text)));
  if (first) await rc.db.batch([first, ...rest]);
  return { rebuilt: true };
}
