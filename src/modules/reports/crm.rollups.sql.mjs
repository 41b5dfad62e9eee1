// @ts-check
import { KEYS, NO_SHOP, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * CRM report rollup SQL as plain statement text, the one copy: crm.rollups.ts runs it from the
 * queue and the crons, scripts/bench/seed.mjs runs it to fill the benchmark dataset's rollups.
 *
 * A group is `(tenant_id, day, tz, created_by)`: the tenant-local day a row was created and its
 * creator, which never change for a row. Each write DELETES the group's cells and INSERTS them
 * again from the live source rows (in one transaction), so applying an event twice, out of order,
 * or after a rebuild always leaves the same numbers — and a row whose status, assignee, value,
 * dates or client changed leaves nothing behind in its old cell.
 */

/** No user / no client, in key columns that cannot hold NULL (the zero uuid). */
export const NONE = NO_SHOP;

/**
 * @param {string} table the rollup table
 * @returns {string} deletes the cells of the groups KEYS selects
 */
const deleteGroups = (table) => `
  with k as (${KEYS})
  delete from ${table} r using k
  where r.tenant_id = k.tenant_id and r.day = k.day and r.created_by = k.created_by`;

/**
 * The live source rows `x` of table `source` in the groups `k`.
 * @param {string} source
 */
const groupRows = (source) => `
  from (select distinct k0.tenant_id, k0.day, k0.tz, k0.created_by from (${KEYS}) k0) k
  join ${source} x on x.tenant_id = k.tenant_id and coalesce(x.created_by, ${NONE}) = k.created_by
    and ${onLocalDay("x.created_at", "k.day", "k.tz")} and x.deleted_at is null`;

export const LEAD_GROUPS_DELETE = deleteGroups("crm_lead_rollups");
export const LEAD_GROUPS_INSERT = `
  insert into crm_lead_rollups (tenant_id, day, created_by, assigned_to, status, source, leads,
    timed_conversions, conversion_days)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), x.lead_status,
    coalesce(x.lead_source, ''), count(*),
    count(*) filter (where x.lead_status = 'converted' and x.converted_at is not null),
    coalesce(sum(extract(epoch from x.converted_at - x.created_at) / 86400.0)
      filter (where x.lead_status = 'converted' and x.converted_at is not null), 0)
  ${groupRows("leads")}
  group by 1, 2, 3, 4, 5, 6
  on conflict (tenant_id, day, created_by, assigned_to, status, source) do update
    set leads = excluded.leads, timed_conversions = excluded.timed_conversions,
        conversion_days = excluded.conversion_days, updated_at = now()`;

export const CLIENT_GROUPS_DELETE = deleteGroups("crm_client_rollups");
export const CLIENT_GROUPS_INSERT = `
  insert into crm_client_rollups (tenant_id, day, created_by, assigned_to, status, clients)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), x.status, count(*)
  ${groupRows("clients")}
  group by 1, 2, 3, 4, 5
  on conflict (tenant_id, day, created_by, assigned_to, status) do update
    set clients = excluded.clients, updated_at = now()`;

export const PROJECT_GROUPS_DELETE = deleteGroups("crm_project_rollups");
export const PROJECT_GROUPS_INSERT = `
  insert into crm_project_rollups (tenant_id, day, created_by, assigned_to, client_id, status, month,
    projects, valued, value_sum, timed, duration_days)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), coalesce(x.client_id, ${NONE}),
    x.status, coalesce(to_char(coalesce(x.end_date, x.start_date), 'YYYY-MM'), ''), count(*),
    count(x.value), coalesce(sum(x.value), 0),
    count(*) filter (where x.start_date is not null and x.end_date is not null),
    coalesce(sum(x.end_date - x.start_date), 0)
  ${groupRows("projects")}
  group by 1, 2, 3, 4, 5, 6, 7
  on conflict (tenant_id, day, created_by, assigned_to, client_id, status, month) do update
    set projects = excluded.projects, valued = excluded.valued, value_sum = excluded.value_sum,
        timed = excluded.timed, duration_days = excluded.duration_days, updated_at = now()`;

export const INTERACTION_GROUPS_DELETE = deleteGroups("crm_interaction_rollups");
export const INTERACTION_GROUPS_INSERT = `
  insert into crm_interaction_rollups (tenant_id, day, created_by, assigned_to, client_status, interactions)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), coalesce(c.status, ''), count(*)
  ${groupRows("interactions")}
  left join clients c on c.tenant_id = x.tenant_id and c.id = x.client_id and c.deleted_at is null
  group by 1, 2, 3, 4, 5
  on conflict (tenant_id, day, created_by, assigned_to, client_status) do update
    set interactions = excluded.interactions, updated_at = now()`;

/**
 * Sets `last_interaction_at` of the rows `k(tenant_id, id)` (the KEYS query) of `table` (clients or
 * leads, linked from interactions by `link`) to the latest start of their live interactions;
 * rows already right are not touched.
 * @param {string} table
 * @param {string} link
 */
const lastInteraction = (table, link) => `
  with k as (select distinct k0.tenant_id, k0.id from (${KEYS}) k0),
  m as (
    select k.tenant_id, k.id, (select max(x.start_date_time) from interactions x
      where x.tenant_id = k.tenant_id and x.${link} = k.id and x.deleted_at is null) as at
    from k)
  update ${table} e set last_interaction_at = m.at
  from m where e.tenant_id = m.tenant_id and e.id = m.id and e.last_interaction_at is distinct from m.at`;

export const CLIENT_LAST_INTERACTION = lastInteraction("clients", "client_id");
export const LEAD_LAST_INTERACTION = lastInteraction("leads", "lead_id");

/**
 * KEYS selecting every group of `source` in every tenant (the nightly rebuild, the bench seed).
 * @param {string} source
 */
export const allGroups = (source) => `
  select distinct x.tenant_id, (x.created_at at time zone ${TENANT_TZ})::date as day, ${TENANT_TZ} as tz,
    coalesce(x.created_by, ${NONE}) as created_by
  from ${source} x join tenants t on t.id = x.tenant_id`;

/**
 * The statements of a full rebuild of every tenant's CRM report rollups and summary columns, in
 * order (run them in one transaction): what the nightly cron and the bench seed run.
 * @returns {string[]}
 */
export function fullRebuildStatements() {
  const fill = (/** @type {string} */ template, /** @type {string} */ keys) => template.replace(KEYS, keys);
  return [
    "delete from crm_lead_rollups",
    "delete from crm_client_rollups",
    "delete from crm_project_rollups",
    "delete from crm_interaction_rollups",
    fill(LEAD_GROUPS_INSERT, allGroups("leads")),
    fill(CLIENT_GROUPS_INSERT, allGroups("clients")),
    fill(PROJECT_GROUPS_INSERT, allGroups("projects")),
    fill(INTERACTION_GROUPS_INSERT, allGroups("interactions")),
    fill(CLIENT_LAST_INTERACTION, "select tenant_id, id from clients"),
    fill(LEAD_LAST_INTERACTION, "select tenant_id, id from leads"),
  ];
}
