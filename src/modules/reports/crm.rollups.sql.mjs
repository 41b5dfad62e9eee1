// @ts-check
import { KEYS, NO_SHOP, onLocalDay, TENANT_TZ } from "../../core/rollup-sql.mjs";

/**
 * CRM report rollup SQL as plain statement text, the one copy: crm.rollups.ts runs it from the
 * queue and the crons, scripts/bench/seed.mjs runs it to fill the benchmark dataset's rollups.
 *
 * A group is `(tenant_id, day, tz, created_by)`: the tenant-local day a row was created and its
 * creator, which never change for a row. Each write DELETES the group's day cells and INSERTS them
 * again from the live source rows (in one transaction), so applying an event twice, out of order,
 * or after a rebuild always leaves the same numbers — and a row whose status, assignee, value,
 * dates or client changed leaves nothing behind in its old cell. The coarse cells the reports read
 * follow the day cells in the same statements (see LOCK_TENANTS).
 */

/** No user / no client, in key columns that cannot hold NULL (the zero uuid). */
export const NONE = NO_SHOP;

/**
 * The live source rows `x` of table `source` in the groups `k`.
 * @param {string} source
 */
const groupRows = (source) => `
  from (select distinct k0.tenant_id, k0.day, k0.tz, k0.created_by from (${KEYS}) k0) k
  join ${source} x on x.tenant_id = k.tenant_id and coalesce(x.created_by, ${NONE}) = k.created_by
    and ${onLocalDay("x.created_at", "k.day", "k.tz")} and x.deleted_at is null`;

/*
 * The coarse cells (crm_*_cells, crm_member_cells, crm_client_revenue; src/db/schema/crm-rollups.ts)
 * are kept from the day cells: a statement that deletes day cells (returning them) takes their
 * figures away from the coarse cells, one that inserts day cells adds theirs, in the same
 * statement. So coarse = the sum of the day cells at every commit, whatever the order or the
 * number of deliveries, as long as one tenant's groups are recomputed one transaction at a time:
 * LOCK_TENANTS, the first statement of every such transaction, takes the tenant's advisory lock.
 */

/** The members a day cell `f` counts for: the whole tenant (NONE), its creator, its assignee (each once). */
const MEMBERS = `cross join lateral (
    select distinct m.id from unnest(array[${NONE}, nullif(f.created_by, ${NONE}), nullif(f.assigned_to, ${NONE})]) m(id)
    where m.id is not null) mm`;

/** The periods a day cell `f` counts in: all time, its month, its day. */
const GRAINS = `cross join lateral (values (0::smallint, '-infinity'::date),
    (1::smallint, date_trunc('month', f.day::timestamp)::date), (2::smallint, f.day)) g(grain, period)`;

/**
 * @typedef {{ fine: string, cells: string, dims: string[], measures: Record<string, string>,
 *   user: string, member: Record<string, string>, revenue: boolean }} Spec
 */

/**
 * The spec of a source `name`: its day cells are crm_<name>_rollups, its coarse cells
 * crm_<name>_cells; only a source that says so feeds crm_client_revenue.
 * @param {string} name
 * @param {Omit<Spec, "fine" | "cells" | "revenue"> & { revenue?: true }} spec
 * @returns {Spec}
 */
const sourceSpec = (name, spec) => ({
  fine: `crm_${name}_rollups`,
  cells: `crm_${name}_cells`,
  revenue: false,
  ...spec,
});

/** @type {Record<"lead" | "client" | "project" | "interaction", Spec>} */
const SPECS = {
  lead: sourceSpec("lead", {
    dims: ["status", "source"],
    measures: {
      leads: "f.leads",
      timed_conversions: "f.timed_conversions",
      conversion_days: "f.conversion_days::numeric",
    },
    user: "assigned_to",
    member: {
      assigned_leads: "f.leads",
      assigned_converted: "case when f.status = 'converted' then f.leads else 0 end",
    },
  }),
  client: sourceSpec("client", {
    dims: ["status"],
    measures: { clients: "f.clients" },
    user: "assigned_to",
    member: { assigned_clients: "f.clients" },
  }),
  project: sourceSpec("project", {
    dims: ["status", "month"],
    measures: {
      projects: "f.projects",
      valued: "f.valued",
      value_sum: "f.value_sum",
      timed: "f.timed",
      duration_days: "f.duration_days",
    },
    user: "created_by",
    member: { projects_created: "f.projects" },
    revenue: true,
  }),
  interaction: sourceSpec("interaction", {
    dims: ["client_status"],
    measures: { interactions: "f.interactions" },
    user: "created_by",
    member: { interactions_created: "f.interactions" },
  }),
};

const MEMBER_COLUMNS = [
  "assigned_leads",
  "assigned_converted",
  "assigned_clients",
  "interactions_created",
  "projects_created",
];

/**
 * `target.c = target.c + excluded.c` for each column.
 * @param {string} target
 * @param {string[]} columns
 */
const addUp = (target, columns) => columns.map((c) => `${c} = ${target}.${c} + excluded.${c}`).join(", ");

/**
 * The statements adding (sign '') or taking away (sign '-') the day cells `f` in the coarse cells of `spec`.
 * @param {Spec} spec
 * @param {"" | "-"} sign
 * @returns {string[]}
 */
function spread(spec, sign) {
  const dims = spec.dims.join(", ");
  const measures = Object.keys(spec.measures);
  const groupBy = [1, 2, 3, 4, ...spec.dims.map((_, i) => 5 + i)].join(", ");
  const cells = `
    insert into ${spec.cells} (tenant_id, member, grain, period, ${dims}, ${measures.join(", ")})
    select f.tenant_id, mm.id, g.grain, g.period, ${spec.dims.map((d) => `f.${d}`).join(", ")},
      ${Object.values(spec.measures)
        .map((e) => `${sign}sum(${e})`)
        .join(", ")}
    from f ${MEMBERS} ${GRAINS}
    group by ${groupBy}
    on conflict (tenant_id, member, grain, period, ${dims}) do update set ${addUp(spec.cells, measures)}`;
  const member = `
    insert into crm_member_cells (tenant_id, user_id, grain, period, ${MEMBER_COLUMNS.join(", ")})
    select f.tenant_id, f.${spec.user}, g.grain, g.period,
      ${MEMBER_COLUMNS.map((c) => (spec.member[c] ? `${sign}sum(${spec.member[c]})` : "0")).join(", ")}
    from f ${GRAINS}
    where f.${spec.user} <> ${NONE}
    group by 1, 2, 3, 4
    on conflict (tenant_id, user_id, grain, period) do update set ${addUp("crm_member_cells", MEMBER_COLUMNS)}`;
  const revenue = `
    insert into crm_client_revenue (tenant_id, client_id, total_projects, total_value, won_value, pending_value)
    select f.tenant_id, f.client_id, ${sign}sum(f.projects),
      ${sign}coalesce(sum(f.value_sum) filter (where f.status <> 'cancelled'), 0),
      ${sign}coalesce(sum(f.value_sum) filter (where f.status = 'completed'), 0),
      ${sign}coalesce(sum(f.value_sum) filter (where f.status in ('pending', 'active')), 0)
    from f where f.client_id <> ${NONE}
    group by 1, 2
    on conflict (tenant_id, client_id) do update
      set ${addUp("crm_client_revenue", ["total_projects", "total_value", "won_value", "pending_value"])}`;
  return spec.revenue ? [cells, member, revenue] : [cells, member];
}

/**
 * One statement: the CTE `f` (a data-modifying statement returning day cells), then `inserts` over it.
 * @param {string} f
 * @param {string[]} inserts
 */
function chain(f, inserts) {
  const last = inserts[inserts.length - 1] ?? "select 1";
  const before = inserts.slice(0, -1).map((text, i) => `, s${i} as (${text})`);
  return `with ${f}${before.join("")}\n${last}`;
}

/**
 * Deletes the day cells of the groups KEYS selects and takes them away from the coarse cells.
 * @param {Spec} spec
 */
const removeGroups = (spec) =>
  chain(
    `k as (select distinct k0.tenant_id, k0.day, k0.created_by from (${KEYS}) k0),
    f as (delete from ${spec.fine} r using k
      where r.tenant_id = k.tenant_id and r.day = k.day and r.created_by = k.created_by returning r.*)`,
    spread(spec, "-"),
  );

/**
 * Inserts the day cells of the groups KEYS selects (from the live rows: `select`, with no cell of
 * those groups left) and adds them to the coarse cells.
 * @param {Spec} spec
 * @param {string} select
 */
const insertGroups = (spec, select) => chain(`f as (${select}\n  returning *)`, spread(spec, ""));

export const LEAD_GROUPS_DELETE = removeGroups(SPECS.lead);
export const LEAD_GROUPS_INSERT = insertGroups(
  SPECS.lead,
  `
  insert into crm_lead_rollups (tenant_id, day, created_by, assigned_to, status, source, leads,
    timed_conversions, conversion_days)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), x.lead_status,
    coalesce(x.lead_source, ''), count(*),
    count(*) filter (where x.lead_status = 'converted' and x.converted_at is not null),
    coalesce(sum(extract(epoch from x.converted_at - x.created_at) / 86400.0)
      filter (where x.lead_status = 'converted' and x.converted_at is not null), 0)
  ${groupRows("leads")}
  group by 1, 2, 3, 4, 5, 6`,
);

export const CLIENT_GROUPS_DELETE = removeGroups(SPECS.client);
export const CLIENT_GROUPS_INSERT = insertGroups(
  SPECS.client,
  `
  insert into crm_client_rollups (tenant_id, day, created_by, assigned_to, status, clients)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), x.status, count(*)
  ${groupRows("clients")}
  group by 1, 2, 3, 4, 5`,
);

export const PROJECT_GROUPS_DELETE = removeGroups(SPECS.project);
export const PROJECT_GROUPS_INSERT = insertGroups(
  SPECS.project,
  `
  insert into crm_project_rollups (tenant_id, day, created_by, assigned_to, client_id, status, month,
    projects, valued, value_sum, timed, duration_days)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), coalesce(x.client_id, ${NONE}),
    x.status, coalesce(to_char(coalesce(x.end_date, x.start_date), 'YYYY-MM'), ''), count(*),
    count(x.value), coalesce(sum(x.value), 0),
    count(*) filter (where x.start_date is not null and x.end_date is not null),
    coalesce(sum(x.end_date - x.start_date), 0)
  ${groupRows("projects")}
  group by 1, 2, 3, 4, 5, 6, 7`,
);

export const INTERACTION_GROUPS_DELETE = removeGroups(SPECS.interaction);
export const INTERACTION_GROUPS_INSERT = insertGroups(
  SPECS.interaction,
  `
  insert into crm_interaction_rollups (tenant_id, day, created_by, assigned_to, client_status, interactions)
  select k.tenant_id, k.day, k.created_by, coalesce(x.assigned_to, ${NONE}), coalesce(c.status, ''), count(*)
  ${groupRows("interactions")}
  left join clients c on c.tenant_id = x.tenant_id and c.id = x.client_id and c.deleted_at is null
  group by 1, 2, 3, 4, 5`,
);

/**
 * Takes the CRM rollup lock of the tenants KEYS selects (`tenant_id`), in id order (so two
 * transactions never wait on each other in a cycle), until the transaction ends.
 */
export const LOCK_TENANTS = `
  select count(pg_advisory_xact_lock(hashtextextended('crm.rollups:' || l.tenant_id::text, 0)))::int as locked
  from (select distinct k0.tenant_id from (${KEYS}) k0 order by 1) l`;

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
    fill(LOCK_TENANTS, "select id as tenant_id from tenants"),
    ...Object.values(SPECS).flatMap((spec) => [`delete from ${spec.fine}`, `delete from ${spec.cells}`]),
    "delete from crm_member_cells",
    "delete from crm_client_revenue",
    fill(LEAD_GROUPS_INSERT, allGroups("leads")),
    fill(CLIENT_GROUPS_INSERT, allGroups("clients")),
    fill(PROJECT_GROUPS_INSERT, allGroups("projects")),
    fill(INTERACTION_GROUPS_INSERT, allGroups("interactions")),
    fill(CLIENT_LAST_INTERACTION, "select tenant_id, id from clients"),
    fill(LEAD_LAST_INTERACTION, "select tenant_id, id from leads"),
  ];
}
