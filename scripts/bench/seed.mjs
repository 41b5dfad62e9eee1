// The benchmark dataset, built with set-based SQL (INSERT … SELECT over generate_series; visits,
// their answers, photos and shelf quadrants in one data-modifying statement per chunk), in
// parallel chunks over a few connections, with a progress bar on stderr.
//
//   node scripts/bench/seed.mjs --scale small|large|smoke <postgres url>   (migrations must be applied)
//
// Every tenant is created as the app creates one (its system roles from the same catalogue), users
// carry a real PBKDF2 hash in the app's format so they log in through the API, and the rollup
// tables are computed from the source rows by the modules' own rollup statements
// (src/modules/visits/visits.rollups.sql.mjs, src/modules/photos/shelf-share.rollups.sql.mjs).
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { fillKeys } from "../../src/core/rollup-sql.mjs";
import {
  ALL_ATTENDANCE_DAYS,
  ATTENDANCE_ROLLUP_INSERT,
} from "../../src/modules/attendance/attendance.rollups.sql.mjs";
import {
  ALL_CALL_OUTCOME_DAYS,
  CALL_OUTCOME_CELLS_INSERT,
  CALL_OUTCOME_TENANT_DAY_UPSERT,
} from "../../src/modules/call-cycles/call-cycles.rollups.sql.mjs";
import {
  ALL_DEAL_CELLS,
  ALL_WON_CELLS,
  DEAL_CELLS_INSERT,
  DEAL_TOTALS_INSERT,
  STAGE_CELLS_INSERT,
  STAGE_TOTALS_INSERT,
  WON_CELLS_INSERT,
  WON_TOTALS_INSERT,
} from "../../src/modules/deals/deals.rollups.sql.mjs";
import {
  ALL_BRAND_SHELF_CELLS,
  ALL_SHELF_SHOP_DAYS,
  BRAND_SHELF_CELLS_UPSERT,
  BRAND_SHELF_TENANT_DAY_REFRESH,
  SHELF_CELLS_UPSERT,
} from "../../src/modules/photos/shelf-share.rollups.sql.mjs";
import { fullRebuildStatements } from "../../src/modules/reports/crm.rollups.sql.mjs";
import {
  ALL_SHOP_VISIT_CELLS,
  ALL_VISIT_ACTIVITY_CELLS,
  ALL_VISIT_CELLS,
  SHOP_VISIT_CELLS_UPSERT,
  VISIT_ACTIVITY_UPSERT,
  VISIT_AGENT_DAY_UPSERT,
  VISIT_CELLS_UPSERT,
  VISIT_TENANT_DAY_UPSERT,
} from "../../src/modules/visits/visits.rollups.sql.mjs";
import { Progress } from "./progress.mjs";

/** Every benchmark user's password (the seed computes its hash once). */
export const BENCH_PASSWORD = "Bench-Passw0rd!";
const PBKDF2_ITERATIONS = 100_000;

/**
 * Tenant 0 is the "big" tenant every scenario runs against; the others make the tables (and their
 * indexes) as large as a shared multi-tenant database would be. The team tree of each tenant is
 * national → regions → areas → teams; agents are spread over the teams.
 */
export const SCALES = {
  smoke: {
    tenants: 2,
    visits: 600,
    interactions: 600,
    deals: 600,
    bigShare: 0.6,
    days: 60,
    big: { agents: 12, shops: 40, brands: 6, regions: 1, areasPerRegion: 2, teamsPerArea: 2 },
    other: { agents: 4, shops: 10, brands: 4, regions: 1, areasPerRegion: 1, teamsPerArea: 2 },
    attendance: { employees: 100, faces: 2, days: 14, departments: 4 },
  },
  small: {
    tenants: 5,
    visits: 10_000,
    interactions: 10_000,
    deals: 10_000,
    bigShare: 0.4,
    days: 180,
    big: { agents: 60, shops: 400, brands: 20, regions: 2, areasPerRegion: 3, teamsPerArea: 2 },
    other: { agents: 12, shops: 60, brands: 8, regions: 1, areasPerRegion: 2, teamsPerArea: 2 },
    // Identification over 10,000 enrolled descriptors (2,000 employees × 5).
    attendance: { employees: 2_000, faces: 5, days: 30, departments: 20 },
  },
  large: {
    tenants: 50,
    visits: 1_000_000,
    interactions: 1_000_000,
    deals: 1_000_000,
    bigShare: 0.2,
    days: 180,
    big: { agents: 400, shops: 5000, brands: 40, regions: 4, areasPerRegion: 3, teamsPerArea: 3 },
    other: { agents: 30, shops: 300, brands: 10, regions: 2, areasPerRegion: 2, teamsPerArea: 2 },
    attendance: { employees: 10_000, faces: 5, days: 60, departments: 50 },
  },
};

const TIMEZONES = ["Africa/Johannesburg", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC"];
const CHUNK_VISITS = 25_000;

/**
 * CRM rows of one chunk of a tenant's interactions ($1 tenant idx, $2..$3 the chunk, $4 the id
 * sequence base): titles, types, people, places and descriptions from small vocabularies, so the
 * Finder has a common word ("meeting": one row in eight), a rare one ("zeppelin": one in 5,000)
 * and typos to look for; owned by (created by and assigned to) the tenant's agents in turn.
 */
const INTERACTIONS_SQL = `
  with t as (select *, greatest(1, visits / 20) as n_clients from bench_seed.tenants where idx = $1),
  ag as (select array_agg(user_id order by n) as ids, count(*)::int as n from bench_seed.people where idx = $1 and kind = 'agent'),
  g as (
    select g, t.id as tenant_id, now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute' as ts,
      ag.ids[1 + (g % ag.n)] as owner
    from t, ag, generate_series($2::int, $3::int - 1) g
  ),
  ins as (
    insert into interactions (tenant_id, id, title, type, lead, start_date_time, end_date_time, timezone, location,
      description, notes, follow_up_at, done, assigned_to, created_by, created_at, updated_at, client_id)
    select tenant_id, bench_seed.uuid7(ts, $4::bigint + g),
      (array['Quarterly business review', 'Intro call', 'Planning session', 'Site visit', 'Contract negotiation',
        'Product demo', 'Follow-up call', 'Budget meeting'])[1 + g % 8] || ' ' || g,
      (array['Meeting', 'Call', 'Email', 'Visit'])[1 + g % 4],
      (array['Jane', 'John', 'Thabo', 'Priya', 'Maria', 'Ahmed', 'Li', 'Sipho', 'Anna', 'Carlos'])[1 + g % 10] || ' ' ||
        (array['Smith', 'Doe', 'Nkosi', 'Patel', 'Garcia', 'Khan', 'Wang', 'Dlamini', 'Muller', 'Silva', 'Brown',
          'Naidoo'])[1 + (g / 10) % 12],
      -- One in twenty is planned: up to ten days ahead (the upcoming-tasks report).
      case when g % 20 = 0 then now() + ((g / 20) % 14400) * interval '1 minute' else ts end,
      case when g % 20 = 0 then now() + ((g / 20) % 14400) * interval '1 minute' else ts end + interval '1 hour', 'UTC',
      (array['Conference Room A', 'Virtual', 'Client office', 'Cafe', 'Warehouse'])[1 + g % 5],
      (array['Discussion about the new marketing campaign', 'Pricing and delivery terms',
        'Renewal of the annual contract', 'Onboarding of the new branch', 'Complaint about late deliveries',
        'Shelf space for the winter range'])[1 + (g / 8) % 6] || case when g % 5000 = 17 then ' zeppelin' else '' end,
      case when g % 3 = 0 then 'Follow-up in one week' end,
      case when g % 4 = 0 then ts + interval '7 days' end,
      g % 2 = 0, owner, owner, ts, ts,
      case when g % 3 = 0 then ${clientId("$1::int", "(g / 3) % (select n_clients from t)")} end
    from g
    returning 1
  )
  select count(*)::int as n from ins`;

/**
 * The id of a tenant's k-th bench client (SQL over the tenant index and k), so interactions can
 * point at clients the seed inserts afterwards (foreign keys are checked once the load is done).
 */
function clientId(idx, k) {
  return `bench_seed.uuid7(timestamptz '2026-01-01 00:00:00+00' + (${k}) * interval '1 second', 8000000000 + (${idx})::bigint * 100000000 + (${k}))`;
}

/** Clients of every tenant (one per twenty visits), statuses from seed 003's list, owned by agents in turn. */
const CLIENTS_SQL = `
  with ins as (
    insert into clients (tenant_id, id, name, email, status, assigned_to, created_by, created_at, updated_at)
    select t.id, ${clientId("t.idx", "g")}, 'Client ' || t.idx || '-' || g, 'client' || g || '@t' || t.idx || '.bench.test',
      (array['new', 'prospect', 'active', 'active', 'inactive'])[1 + g % 5],
      ag.ids[1 + (g % ag.n)], ag.ids[1 + ((g + 1) % ag.n)],
      now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute', now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute'
    from bench_seed.tenants t
    cross join lateral (select array_agg(user_id order by n) as ids, count(*)::int as n
      from bench_seed.people p where p.idx = t.idx and p.kind = 'agent') ag
    cross join lateral generate_series(0, greatest(1, t.visits / 20) - 1) g
    returning 1
  )
  select count(*)::int as n from ins`;

/** Projects of every tenant (one per twenty visits), each of a client, with values, dates and statuses. */
const PROJECTS_SQL = `
  with ins as (
    insert into projects (tenant_id, id, name, client_id, status, value, start_date, end_date, assigned_to, created_by,
      created_at, updated_at)
    select t.id, bench_seed.uuid7(now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute', 7000000000 + t.idx::bigint * 100000000 + g),
      'Project ' || t.idx || '-' || g, ${clientId("t.idx", "(g * 7) % greatest(1, t.visits / 20)")},
      (array['pending', 'active', 'completed', 'cancelled'])[1 + g % 4], 1000 + (g % 50) * 250,
      current_date - (g % 200), case when g % 3 <> 0 then current_date - (g % 200) + (g % 90) end,
      ag.ids[1 + (g % ag.n)], ag.ids[1 + (g % ag.n)],
      now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute', now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute'
    from bench_seed.tenants t
    cross join lateral (select array_agg(user_id order by n) as ids, count(*)::int as n
      from bench_seed.people p where p.idx = t.idx and p.kind = 'agent') ag
    cross join lateral generate_series(0, greatest(1, t.visits / 20) - 1) g
    returning 1
  )
  select count(*)::int as n from ins`;

/** Leads of every tenant (one per ten visits), statuses and sources from seed 003's lists, owned by agents in turn. */
const LEADS_SQL = `
  with ins as (
    insert into leads (tenant_id, id, name, email, company, lead_status, lead_source, assigned_to, created_by,
      created_at, updated_at)
    select t.id, bench_seed.uuid7(now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute', 9000000000 + t.idx::bigint * 100000000 + g),
      'Lead ' || t.idx || '-' || g, 'lead' || g || '@t' || t.idx || '.bench.test', 'Company ' || (g % 97),
      (array['new', 'contacted', 'qualified', 'lost', 'converted'])[1 + g % 5],
      (array['Website', 'Referral', 'Cold Call', 'Email Campaign', 'Social Media', 'Trade Show', 'Advertisement',
        'Partner', 'Other'])[1 + g % 9],
      ag.ids[1 + (g % ag.n)], ag.ids[1 + (g % ag.n)],
      now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute', now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute'
    from bench_seed.tenants t
    cross join lateral (select array_agg(user_id order by n) as ids, count(*)::int as n
      from bench_seed.people p where p.idx = t.idx and p.kind = 'agent') ag
    cross join lateral generate_series(0, greatest(1, t.visits / 10) - 1) g
    returning 1
  )
  select count(*)::int as n from ins`;

/** Chunks of each tenant's interactions: the scale's count shared out like the visits. */
function interactionChunks(cfg, tenants, totalVisits) {
  const chunks = [];
  let seq = 0;
  for (const t of tenants) {
    const n = Math.round((cfg.interactions * t.visits) / totalVisits);
    for (let from = 0; from < n; from += CHUNK_VISITS) {
      chunks.push({ idx: t.idx, from, to: Math.min(n, from + CHUNK_VISITS), seq: 1_000_000_000_000 + seq });
    }
    seq += n;
  }
  return chunks;
}

/**
 * Deals of one chunk of a tenant (seed 004; $1 tenant idx, $2..$3 the chunk, $4 the id sequence
 * base), owned and created by the tenant's agents in turn, and in one data-modifying statement
 * their history: one `change` activity per stage step, spread evenly between creation and now.
 * Stages by g % 10: 4 qualification, 2 proposal, 2 negotiation, 1 won, 1 lost (all closed ones
 * went through every stage). Amounts 100.00 … 99,999.90.
 */
const DEALS_SQL = `
  with t as (select * from bench_seed.tenants where idx = $1),
  ag as (select array_agg(user_id order by n) as ids, count(*)::int as n from bench_seed.people where idx = $1 and kind = 'agent'),
  g as (
    select g, t.id as tenant_id, now() - ((g::bigint * 7919) % (t.days * 1440)) * interval '1 minute' as ts,
      ag.ids[1 + (g % ag.n)] as owner, (array[0, 0, 0, 0, 1, 1, 2, 2, 3, 3])[1 + g % 10] as rank,
      case g % 10 when 8 then 'won' when 9 then 'lost' else 'open' end as status
    from t, ag, generate_series($2::int, $3::int - 1) g
  ),
  ins as (
    insert into deals (tenant_id, id, title, amount, currency, stage, status, owner_id, expected_close_date,
      closed_at, created_by, created_at, updated_at)
    select tenant_id, bench_seed.uuid7(ts, $4::bigint + g), 'Deal ' || g, 100 + ((g::bigint * 37) % 999000) / 10.0, 'USD',
      (array['qualification', 'proposal', 'negotiation', 'closed'])[1 + rank], status, owner,
      (ts + interval '60 days')::date, case when rank = 3 then ts + (now() - ts) * 3 / 4 end, owner, ts, ts
    from g
    returning 1
  ),
  act as (
    insert into deal_activities (tenant_id, id, deal_id, kind, actor_id, from_stage, to_stage, from_status, to_status, created_at)
    select g.tenant_id, bench_seed.uuid7(g.ts, $4::bigint * 4 + g.g::bigint * 4 + s), bench_seed.uuid7(g.ts, $4::bigint + g), 'change', g.owner,
      (array['qualification', 'proposal', 'negotiation', 'closed'])[s], (array['qualification', 'proposal', 'negotiation', 'closed'])[1 + s],
      'open', case when s = 3 then g.status else 'open' end, g.ts + (now() - g.ts) * s / (g.rank + 1)
    from g cross join lateral generate_series(1, g.rank) s
    returning 1
  )
  select (select count(*)::int from ins) as deals, (select count(*)::int from act) as activities`;

/** Chunks of each tenant's deals: the scale's count shared out like the visits. */
function dealChunks(cfg, tenants, totalVisits) {
  return interactionChunks({ interactions: cfg.deals }, tenants, totalVisits).map((c) => ({
    ...c,
    seq: c.seq + 1_000_000_000_000,
  }));
}

/** The permission catalogue, read from the app's own source so the seed cannot drift from it. */
function permissionCatalogue() {
  const source = readFileSync(new URL("../../src/core/auth/permissions.ts", import.meta.url), "utf8");
  const block = /export const PERMISSIONS = \[([\s\S]*?)\] as const/.exec(source)?.[1];
  const list = block ? [...block.matchAll(/"([a-z_]+:[a-z_]+)"/g)].map((m) => m[1]) : [];
  if (list.length === 0) throw new Error("could not read PERMISSIONS from src/core/auth/permissions.ts");
  return list;
}

/** The system roles exactly as systemRoleRows() builds them (patterns expanded against the catalogue). */
export function systemRoles() {
  const catalogue = permissionCatalogue();
  const json = JSON.parse(
    readFileSync(new URL("../../src/core/auth/system-roles.json", import.meta.url), "utf8"),
  );
  return Object.entries(json).map(([name, def]) => ({
    name,
    description: def.description,
    scope: def.scope,
    permissions: catalogue.filter((p) =>
      def.permissions.some(
        (pattern) => pattern === "*" || pattern === p || (pattern === "*:read" && p.endsWith(":read")),
      ),
    ),
  }));
}

/** src/core/auth/password.ts's format, computed once: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>. */
function passwordHash(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 32, "sha256");
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Per-tenant plan: sizes, visit sequence ranges and chunks. */
function plan(scale) {
  const cfg = SCALES[scale];
  if (!cfg) throw new Error(`unknown scale ${scale}`);
  const tenants = [];
  const others = cfg.tenants - 1;
  const otherVisits = others > 0 ? Math.floor((cfg.visits * (1 - cfg.bigShare)) / others) : 0;
  const bigVisits = cfg.visits - otherVisits * others;
  let seqBase = 0;
  for (let idx = 0; idx < cfg.tenants; idx++) {
    const shape = idx === 0 ? cfg.big : cfg.other;
    const visits = idx === 0 ? bigVisits : otherVisits;
    tenants.push({
      idx,
      big: idx === 0,
      name: idx === 0 ? "Bench Big Co" : `Bench Tenant ${String(idx).padStart(2, "0")}`,
      slug: `bench-${String(idx).padStart(2, "0")}`,
      tz: TIMEZONES[idx % TIMEZONES.length],
      visits,
      seq_base: seqBase,
      days: cfg.days,
      n_agents: shape.agents,
      n_shops: shape.shops,
      n_brands: shape.brands,
      regions: shape.regions,
      areas_per_region: shape.areasPerRegion,
      teams_per_area: shape.teamsPerArea,
    });
    seqBase += visits;
  }
  const chunks = [];
  for (const t of tenants) {
    for (let from = 0; from < t.visits; from += CHUNK_VISITS) {
      chunks.push({ idx: t.idx, from, to: Math.min(t.visits, from + CHUNK_VISITS) });
    }
  }
  return { cfg, tenants, chunks, totalVisits: seqBase };
}

/** uuidv7-shaped ids (48-bit ms timestamp, version 7, RFC variant) from a time and a sequence number. */
const UUID7_FN = `
  create function bench_seed.uuid7(ts timestamptz, seq bigint) returns uuid
  language sql immutable parallel safe as $$
    select (lpad(to_hex(floor(extract(epoch from ts) * 1000)::bigint), 12, '0') || '7000' || '8'
            || lpad(to_hex(seq), 15, '0'))::uuid
  $$`;

/** Reference data: tenants, roles, teams, users, memberships, brands, surveys, questions, shops. */
function referenceStatements(tenants, roles, hash) {
  return [
    ["schema", "drop schema if exists bench_seed cascade; create schema bench_seed"],
    ["uuid7()", UUID7_FN],
    [
      "plan",
      `create table bench_seed.tenants as
       select p.*, bench_seed.uuid7(now() - interval '400 days', p.idx) as id
       from jsonb_to_recordset($1::jsonb) as p(idx int, big boolean, name text, slug text, tz text, visits int,
         seq_base bigint, days int, n_agents int, n_shops int, n_brands int, regions int,
         areas_per_region int, teams_per_area int)`,
      [JSON.stringify(tenants)],
    ],
    [
      "tenants",
      `insert into tenants (id, name, slug, settings, created_at, updated_at)
       select id, name, slug, jsonb_build_object('timezone', tz, 'locale', 'en', 'geofence_radius_m', 200),
              now() - interval '400 days', now() - interval '400 days'
       from bench_seed.tenants`,
    ],
    [
      "roles",
      `insert into roles (tenant_id, id, name, description, permissions, scope, is_system, created_at, updated_at)
       select t.id, bench_seed.uuid7(now() - interval '400 days', t.idx * 100 + r.ord), r.name, r.description,
              r.permissions, r.scope, true, now() - interval '400 days', now() - interval '400 days'
       from bench_seed.tenants t
       cross join jsonb_to_recordset($1::jsonb) as r(ord int, name text, description text, permissions text[],
         scope text)`,
      [JSON.stringify(roles.map((r, i) => ({ ord: i + 1, ...r })))],
    ],
    // The tree: level 0 national (root), 1 regions, 2 areas, 3 teams (leaves, numbered per tenant).
    [
      "teams",
      `create table bench_seed.teams as
       with nodes as (
         select t.idx, 0 as level, 0 as r, 0 as a, 0 as l from bench_seed.tenants t
         union all
         select t.idx, 1, r, 0, 0 from bench_seed.tenants t, generate_series(1, t.regions) r
         union all
         select t.idx, 2, r, a, 0 from bench_seed.tenants t, generate_series(1, t.regions) r,
           generate_series(1, t.areas_per_region) a
         union all
         select t.idx, 3, r, a, l from bench_seed.tenants t, generate_series(1, t.regions) r,
           generate_series(1, t.areas_per_region) a, generate_series(1, t.teams_per_area) l
       )
       select n.*, t.id as tenant_id,
         bench_seed.uuid7(now() - interval '390 days', n.idx * 100000 + n.level * 10000 + n.r * 1000 + n.a * 100 + n.l) as id,
         case when n.level = 3 then row_number() over (partition by n.idx, n.level order by n.r, n.a, n.l) - 1 end as leaf_n,
         case n.level when 0 then 'National' when 1 then 'Region ' || n.r when 2 then 'Area ' || n.r || '.' || n.a
           else 'Team ' || n.r || '.' || n.a || '.' || n.l end as name
       from nodes n join bench_seed.tenants t on t.idx = n.idx`,
    ],
    [
      "teams",
      `insert into teams (tenant_id, id, name, parent_id, path, created_at, updated_at)
       select c.tenant_id, c.id, c.name, p1.id,
         case c.level
           when 0 then '/' || c.id || '/'
           when 1 then '/' || root.id || '/' || c.id || '/'
           when 2 then '/' || root.id || '/' || p1.id || '/' || c.id || '/'
           else '/' || root.id || '/' || p2.id || '/' || p1.id || '/' || c.id || '/'
         end,
         now() - interval '390 days', now() - interval '390 days'
       from bench_seed.teams c
       join bench_seed.teams root on root.idx = c.idx and root.level = 0
       left join bench_seed.teams p1 on p1.idx = c.idx and c.level > 0 and p1.level = c.level - 1
         and (c.level = 1 or p1.r = c.r) and (c.level < 3 or p1.a = c.a)
       left join bench_seed.teams p2 on p2.idx = c.idx and c.level = 3 and p2.level = 1 and p2.r = c.r
       order by c.idx, c.level`,
    ],
    // People: an admin, a manager per tree node (national/regional/area manager, team leader) and agents.
    [
      "users",
      `create table bench_seed.people as
       with p as (
         select t.idx, t.id as tenant_id, 'admin' as kind, 0 as n, null::uuid as team_id, 'admin' as role, false as leader
         from bench_seed.tenants t
         union all
         select tm.idx, tm.tenant_id,
           case tm.level when 0 then 'national' when 1 then 'regional' when 2 then 'area' else 'leader' end,
           row_number() over (partition by tm.idx, tm.level order by tm.r, tm.a, tm.l)::int - 1, tm.id,
           case tm.level when 0 then 'national_manager' when 1 then 'regional_manager' when 2 then 'area_manager'
             else 'team_leader' end,
           tm.level = 3
         from bench_seed.teams tm
         union all
         select t.idx, t.id, 'agent', g, leaf.id, 'agent', false
         from bench_seed.tenants t cross join generate_series(0, t.n_agents - 1) g
         join bench_seed.teams leaf on leaf.idx = t.idx and leaf.level = 3
           and leaf.leaf_n = g % (t.regions * t.areas_per_region * t.teams_per_area)
       )
       select p.*, bench_seed.uuid7(now() - interval '380 days', row_number() over (order by p.idx, p.kind, p.n)) as user_id,
         p.kind || p.n || '@t' || lpad(p.idx::text, 2, '0') || '.bench.test' as email
       from p`,
    ],
    [
      "users",
      `insert into users (id, email, password_hash, first_name, last_name, created_at, updated_at)
       select user_id, email, $1, initcap(kind), 'T' || idx || '-' || n, now() - interval '380 days', now() - interval '380 days'
       from bench_seed.people`,
      [hash],
    ],
    [
      "memberships",
      `insert into memberships (tenant_id, user_id, created_at, updated_at)
       select tenant_id, user_id, now() - interval '380 days', now() - interval '380 days' from bench_seed.people`,
    ],
    [
      "user_roles",
      `insert into user_roles (tenant_id, user_id, role_id)
       select p.tenant_id, p.user_id, r.id from bench_seed.people p
       join roles r on r.tenant_id = p.tenant_id and r.name = p.role`,
    ],
    [
      "team_members",
      `insert into team_members (tenant_id, team_id, user_id, is_leader)
       select tenant_id, team_id, user_id, leader from bench_seed.people where team_id is not null`,
    ],
    [
      "brands",
      `insert into brands (tenant_id, id, name, slug, description, created_by, created_at, updated_at)
       select t.id, bench_seed.uuid7(now() - interval '370 days', t.idx * 10000 + g), 'Brand ' || g, 'brand-' || g,
         'Seeded brand ' || g, a.user_id, now() - interval '370 days', now() - interval '370 days'
       from bench_seed.tenants t cross join generate_series(1, t.n_brands) g
       join bench_seed.people a on a.idx = t.idx and a.kind = 'admin'`,
    ],
    // Three surveys per tenant: two at shops, one with individuals; five questions each, four answered.
    [
      "surveys",
      `create table bench_seed.surveys as
       select t.idx, t.id as tenant_id, s.n, bench_seed.uuid7(now() - interval '365 days', t.idx * 10 + s.n) as id,
         s.title, s.visit_type
       from bench_seed.tenants t cross join (values (1, 'Shelf audit', 'shop'), (2, 'Promo check', 'shop'),
         (3, 'Consumer intercept', 'individual')) as s(n, title, visit_type)`,
    ],
    [
      "surveys",
      `insert into surveys (tenant_id, id, title, description, visit_type, brand_id, created_by, created_at, updated_at)
       select s.tenant_id, s.id, s.title, 'Seeded survey', s.visit_type, b.id, a.user_id,
         now() - interval '365 days', now() - interval '365 days'
       from bench_seed.surveys s
       join brands b on b.tenant_id = s.tenant_id and b.slug = 'brand-1'
       join bench_seed.people a on a.idx = s.idx and a.kind = 'admin'`,
    ],
    [
      "questions",
      `create table bench_seed.questions as
       select s.idx, s.tenant_id, s.id as survey_id, q.position, q.prompt, q.type, q.required, q.options, q.min_value,
         q.max_value, q.position <= 4 as answered,
         bench_seed.uuid7(now() - interval '365 days', (s.idx * 10 + s.n) * 10 + q.position) as id
       from bench_seed.surveys s cross join (values
         (1, 'Stock level', 'single_choice', true,
            '[{"value":"low","label":"Low"},{"value":"medium","label":"Medium"},{"value":"high","label":"High"}]'::jsonb,
            null::float8, null::float8),
         (2, 'Facings of our brand', 'number', true, null, 0, 200),
         (3, 'Promotion in place', 'boolean', true, null, null, null),
         (4, 'Shelf condition', 'rating', false, null, null, null),
         (5, 'Notes for the manager', 'text', false, null, null, null)
       ) as q(position, prompt, type, required, options, min_value, max_value)`,
    ],
    [
      "questions",
      `insert into survey_questions (tenant_id, id, survey_id, prompt, type, is_required, position, options,
         min_value, max_value, created_at, updated_at)
       select tenant_id, id, survey_id, prompt, type, required, position, options, min_value, max_value,
         now() - interval '365 days', now() - interval '365 days'
       from bench_seed.questions`,
    ],
    [
      "shops",
      `insert into shops (tenant_id, id, name, address, lat, lng, channel, region, external_code, created_by,
         created_at, updated_at)
       select t.id, bench_seed.uuid7(now() - interval '360 days', t.idx * 1000000 + g),
         (array['Spar', 'Pick n Pay', 'Shoprite', 'Checkers', 'Corner Spaza', 'Clicks', 'Engen Quickshop'])[1 + g % 7]
           || ' ' || (array['Rosebank', 'Sandton', 'Soweto', 'Midrand', 'Randburg', 'Fourways', 'Alexandra',
           'Tembisa', 'Kempton Park', 'Boksburg'])[1 + (g / 7) % 10] || ' #' || g,
         g || ' Main Road', -26.2 + (random() - 0.5) * 1.2, 28.0 + (random() - 0.5) * 1.2,
         (array['supermarket', 'spaza', 'pharmacy', 'forecourt'])[1 + g % 4], 'Region ' || (1 + g % t.regions),
         'EXT-' || lpad(g::text, 6, '0'), a.user_id, now() - interval '360 days', now() - interval '360 days'
       from bench_seed.tenants t cross join generate_series(0, t.n_shops - 1) g
       join bench_seed.people a on a.idx = t.idx and a.kind = 'admin'`,
    ],
    // Lookups by number, so each visit finds its agent and shop by a join and its survey and
    // brands by subscript (short arrays only: long ones would be detoasted on every access).
    [
      "lookups",
      `create table bench_seed.lookup as
       select t.idx,
         (select array_agg(s.id order by s.n) from bench_seed.surveys s where s.idx = t.idx) as survey_ids,
         (select array_agg(b.id order by b.id) from brands b where b.tenant_id = t.id) as brand_ids
       from bench_seed.tenants t;
       create table bench_seed.shop_ix as
       select t.idx, (row_number() over (partition by t.idx order by s.id) - 1)::int as n, s.id, s.lat, s.lng
       from shops s join bench_seed.tenants t on t.id = s.tenant_id;
       create index on bench_seed.shop_ix (idx, n);
       create index on bench_seed.people (idx, kind, n)`,
    ],
    // Two monthly goals per tenant (visits completed; shelf share of brand 1), assigned to every
    // leaf team (so every agent) and to the first five agents directly as well.
    [
      "goals",
      `insert into goals (tenant_id, id, name, description, metric, target, period_type, start_date, brand_id,
         created_by, created_at, updated_at)
       select t.id, bench_seed.uuid7(now() - interval '100 days', t.idx * 10 + g.n), g.name, 'Seeded goal', g.metric,
         g.target, 'monthly', (now() - interval '95 days')::date,
         case when g.metric = 'shelf_share' then b.id end, a.user_id, now() - interval '100 days', now() - interval '100 days'
       from bench_seed.tenants t
       cross join (values (1, 'Monthly visits', 'visits_completed', 40::float8),
         (2, 'Shelf share of brand 1', 'shelf_share', 30::float8)) as g(n, name, metric, target)
       join brands b on b.tenant_id = t.id and b.slug = 'brand-1'
       join bench_seed.people a on a.idx = t.idx and a.kind = 'admin'`,
    ],
    [
      "goal assignments",
      `insert into goal_assignments (tenant_id, id, goal_id, team_id, created_by, created_at)
       select g.tenant_id, bench_seed.uuid7(now() - interval '99 days', row_number() over (order by g.tenant_id, g.id, tm.id)),
         g.id, tm.id, g.created_by, now() - interval '99 days'
       from goals g join bench_seed.teams tm on tm.tenant_id = g.tenant_id and tm.level = 3;
       insert into goal_assignments (tenant_id, id, goal_id, user_id, created_by, created_at)
       select g.tenant_id, bench_seed.uuid7(now() - interval '98 days', row_number() over (order by g.tenant_id, g.id, p.n)),
         g.id, p.user_id, g.created_by, now() - interval '98 days'
       from goals g join bench_seed.people p on p.tenant_id = g.tenant_id and p.kind = 'agent' and p.n < 5`,
    ],
    // A call cycle per agent (owned by the agent, created by the admin, from 200 days ago) with the
    // agent's 20 shops (the ones its visits go to) weekly, four per weekday Monday–Friday, 08:00–17:00.
    [
      "call cycles",
      `insert into call_cycles (tenant_id, id, name, description, owner_id, start_date, created_by, created_at, updated_at)
       select p.tenant_id, bench_seed.uuid7(now() - interval '355 days', p.idx * 100000 + p.n), 'Route ' || p.email,
         'Seeded weekly route', p.user_id, (now() - interval '200 days')::date, a.user_id,
         now() - interval '355 days', now() - interval '355 days'
       from bench_seed.people p join bench_seed.people a on a.idx = p.idx and a.kind = 'admin'
       where p.kind = 'agent'`,
    ],
    [
      "call cycle locations",
      `insert into call_cycle_locations (tenant_id, id, call_cycle_id, shop_id, frequency, weekdays, window_start,
         window_end, created_by, created_at, updated_at)
       select p.tenant_id, bench_seed.uuid7(now() - interval '355 days', p.idx * 10000000 + p.n * 100 + k),
         c.id, sh.id, 'weekly',
         array[1 + k % 5]::smallint[], '08:00', '17:00', a.user_id, now() - interval '355 days',
         now() - interval '355 days'
       from bench_seed.people p
       join bench_seed.tenants t on t.idx = p.idx
       join bench_seed.people a on a.idx = p.idx and a.kind = 'admin'
       join call_cycles c on c.tenant_id = p.tenant_id and c.owner_id = p.user_id
       cross join lateral generate_series(0, least(19, t.n_shops - 1)) k
       join bench_seed.shop_ix sh on sh.idx = p.idx and sh.n = (p.n * 13 + k) % t.n_shops
       where p.kind = 'agent'`,
    ],
  ];
}

/**
 * One chunk of a tenant's visits — with their answers (completed visits), a shelf photo for about
 * half of the completed shop visits (uploaded, no bytes in R2) and shelf quadrants of three brands
 * on 40 % of those photos — in ONE data-modifying statement. Visits start at random times over the
 * last `days` days; those started in the last two hours are still in progress.
 */
const CHUNK_SQL = `
with t as (
  select t.id, t.seq_base, t.days, t.n_agents, t.n_shops, t.n_brands, l.survey_ids, l.brand_ids
  from bench_seed.tenants t join bench_seed.lookup l on l.idx = t.idx where t.idx = $1
),
r as (
  select g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5
  from generate_series($2::int, $3::int - 1) g
),
s as (
  select t.id as tenant_id, t.seq_base + r.g as seq, r.*, t.n_brands, t.brand_ids,
    r.g % t.n_agents as agent_n,
    case when r.g % 10 = 9 then 3 else 1 + r.g % 2 end as survey_n,
    ((r.g % t.n_agents) * 13 + floor(r.r1 * 20)::int) % t.n_shops as shop_n,
    now() - (r.r5 * t.days * 86400) * interval '1 second' as started_at,
    t.survey_ids[case when r.g % 10 = 9 then 3 else 1 + r.g % 2 end] as survey_id
  from t cross join r
),
v0 as (
  select s.*, a.user_id as agent_id, case when s.survey_n = 3 then null else sh.id end as shop_id,
    sh.lat as shop_lat, sh.lng as shop_lng,
    s.started_at > now() - interval '2 hours' as is_open,
    bench_seed.uuid7(s.started_at, s.seq) as id,
    sh.lat + (s.r2 - 0.5) * 0.005 as lat,
    sh.lng + (s.r3 - 0.5) * 0.005 as lng
  from s
  join bench_seed.people a on a.idx = $1 and a.kind = 'agent' and a.n = s.agent_n
  join bench_seed.shop_ix sh on sh.idx = $1 and sh.n = s.shop_n
),
v1 as (
  select v0.*,
    case when v0.shop_id is null then null else sqrt(power((v0.lat - v0.shop_lat) * 111320, 2)
      + power((v0.lng - v0.shop_lng) * 111320 * cos(radians(v0.lat)), 2)) end as dist,
    case when v0.is_open then null else v0.started_at + (5 + v0.r1 * 40) * interval '1 minute' end as completed_at,
    not v0.is_open and v0.shop_id is not null and v0.r4 < 0.5 as has_photo,
    not v0.is_open and v0.shop_id is not null and v0.r4 < 0.2 as has_quadrants
  from v0
),
ins_visits as (
  insert into visits (tenant_id, id, client_id, agent_id, survey_id, shop_id, visit_type, status, lat, lng,
    accuracy_m, shop_distance_m, outside_geofence, started_at, completed_at, created_at, updated_at)
  select tenant_id, id, 'seed-' || seq, agent_id, survey_id, shop_id,
    case when survey_n = 3 then 'individual' else 'shop' end,
    case when is_open then 'in_progress' else 'completed' end, lat, lng, 5 + r2 * 30, dist, coalesce(dist > 200, false),
    started_at, completed_at, started_at, coalesce(completed_at, started_at)
  from v1
  returning 1
),
ins_answers as (
  insert into visit_answers (tenant_id, visit_id, question_id, value, question_prompt, question_type, created_at)
  select v1.tenant_id, v1.id, q.id,
    case q.type
      when 'single_choice' then to_jsonb((array['low', 'medium', 'high'])[1 + floor(random() * 3)::int])
      when 'number' then to_jsonb(floor(random() * 40)::int)
      when 'boolean' then to_jsonb(random() < 0.4)
      else to_jsonb(1 + floor(random() * 5)::int)
    end,
    q.prompt, q.type, v1.completed_at
  from v1 join bench_seed.questions q on q.survey_id = v1.survey_id and q.answered
  where not v1.is_open
  returning 1
),
ins_photos as (
  insert into photos (tenant_id, id, client_id, visit_id, purpose, object_key, content_type, declared_size,
    size_bytes, sha256, status, taken_at, created_by, uploaded_at, created_at, updated_at)
  select tenant_id, bench_seed.uuid7(started_at + interval '3 minutes', seq), 'seed-p-' || seq, id, 'shelf',
    't/' || tenant_id || '/photo/' || bench_seed.uuid7(started_at + interval '3 minutes', seq), 'image/jpeg',
    200000 + floor(r3 * 1800000)::int, 200000 + floor(r3 * 1800000)::int,
    md5(seq::text) || md5(id::text), 'uploaded', started_at + interval '3 minutes', agent_id,
    started_at + interval '4 minutes', started_at + interval '3 minutes', started_at + interval '4 minutes'
  from v1 where has_photo
  returning 1
),
ins_quadrants as (
  insert into shelf_quadrants (tenant_id, id, photo_id, brand_id, x, y, width, height, area_percentage,
    marked_area, created_by, created_at)
  select v1.tenant_id, bench_seed.uuid7(v1.started_at + interval '5 minutes', v1.seq * 3 + k),
    bench_seed.uuid7(v1.started_at + interval '3 minutes', v1.seq),
    v1.brand_ids[1 + (floor(v1.r2 * v1.n_brands)::int + k) % v1.n_brands],
    case k when 0 then 0 when 1 then w.w0 else w.w0 + 0.3 end, 0.1,
    case k when 0 then w.w0 when 1 then 0.3 else 0.2 end, 0.8,
    100 * (case k when 0 then w.w0 when 1 then 0.3 else 0.2 end) / (w.w0 + 0.5), (w.w0 + 0.5) * 0.8,
    v1.agent_id, v1.started_at + interval '5 minutes'
  from v1 cross join lateral (select 0.1 + 0.4 * v1.r1 as w0) w cross join generate_series(0, 2) k
  where v1.has_quadrants
  returning 1
)
select (select count(*) from ins_visits)::int as visits, (select count(*) from ins_answers)::int as answers,
  (select count(*) from ins_photos)::int as photos, (select count(*) from ins_quadrants)::int as quadrants`;

/**
 * The rollups from source rows: the modules' own rollup statements (the ones the queue and the
 * nightly cron run) over every cell of the dataset, not a copy of their SQL.
 */
const ROLLUP_STATEMENTS = [
  ["visit rollups", fillKeys(VISIT_CELLS_UPSERT, ALL_VISIT_CELLS)],
  ["shelf share rollups", fillKeys(SHELF_CELLS_UPSERT, ALL_SHELF_SHOP_DAYS)],
  ["visit activity rollups", fillKeys(VISIT_ACTIVITY_UPSERT, ALL_VISIT_ACTIVITY_CELLS)],
  ["shop visit rollups", fillKeys(SHOP_VISIT_CELLS_UPSERT, ALL_SHOP_VISIT_CELLS)],
  // After the shop visit rollups (the call outcomes read them); the backfill migration runs the same.
  // Fresh statistics first: on a just-loaded table the planner would nest-loop the plan tables.
  [
    "plan statistics",
    "analyze call_cycles, call_cycle_locations, shops, shop_visit_daily_rollups, team_members",
  ],
  ["call outcome rollups", fillKeys(CALL_OUTCOME_CELLS_INSERT, ALL_CALL_OUTCOME_DAYS)],
  ["call outcome tenant-day rollups", fillKeys(CALL_OUTCOME_TENANT_DAY_UPSERT, ALL_CALL_OUTCOME_DAYS)],
  ["brand shelf rollups", fillKeys(BRAND_SHELF_CELLS_UPSERT, ALL_BRAND_SHELF_CELLS)],
  ["visit agent-day rollups", fillKeys(VISIT_AGENT_DAY_UPSERT, ALL_VISIT_ACTIVITY_CELLS)],
  ["visit tenant-day rollups", fillKeys(VISIT_TENANT_DAY_UPSERT, ALL_VISIT_ACTIVITY_CELLS)],
  ["brand shelf tenant-day rollups", fillKeys(BRAND_SHELF_TENANT_DAY_REFRESH, ALL_BRAND_SHELF_CELLS)],
  ["attendance rollups", fillKeys(ATTENDANCE_ROLLUP_INSERT, ALL_ATTENDANCE_DAYS)],
  ["deal statistics", "analyze deals, deal_activities"],
  ["deal rollups", fillKeys(DEAL_CELLS_INSERT, ALL_DEAL_CELLS)],
  ["deal stage rollups", fillKeys(STAGE_CELLS_INSERT, ALL_DEAL_CELLS)],
  ["deal won rollups", fillKeys(WON_CELLS_INSERT, ALL_WON_CELLS)],
  ["deal rollup totals", fillKeys(DEAL_TOTALS_INSERT, ALL_DEAL_CELLS)],
  ["deal stage rollup totals", fillKeys(STAGE_TOTALS_INSERT, ALL_DEAL_CELLS)],
  ["deal won rollup totals", fillKeys(WON_TOTALS_INSERT, ALL_WON_CELLS)],
];

/**
 * The big tenant's workforce (seed 002): departments, a day shift, employees (the agents are
 * employees too; the rest are kiosk staff without a user) at the big tenant's shops, unit-length
 * 128-number face descriptors (the tenant checks faces), and attendance records for the last
 * `days` days before yesterday (today and yesterday stay free for the check-in scenario).
 * @param {{ employees: number, faces: number, days: number, departments: number }} a
 */
function attendanceStatements(a) {
  return [
    [
      "attendance settings",
      `update tenants t set settings = t.settings || '{"face_check_in": true, "face_match_threshold": 0.8,
         "face_embedding_dimension": 128, "offline_check_in_limit_hours": 72}'::jsonb
       from bench_seed.tenants b where b.id = t.id and b.idx = 0`,
    ],
    [
      "departments",
      `insert into departments (tenant_id, id, name, code, created_at, updated_at)
       select b.id, bench_seed.uuid7(now() - interval '350 days', 700000 + g), 'Department ' || g, 'D' || g,
         now() - interval '350 days', now() - interval '350 days'
       from bench_seed.tenants b cross join generate_series(1, $1::int) g where b.idx = 0`,
      [a.departments],
    ],
    [
      "shifts",
      `insert into shifts (tenant_id, id, name, start_time, end_time, grace_late_minutes, grace_early_minutes,
         break_minutes, weekdays, created_at, updated_at)
       select b.id, bench_seed.uuid7(now() - interval '350 days', 710000), 'Day', '08:00', '17:00', 10, 5, 60,
         '[1,2,3,4,5,6,7]'::jsonb, now() - interval '350 days', now() - interval '350 days'
       from bench_seed.tenants b where b.idx = 0`,
    ],
    [
      "employees",
      `insert into employees (tenant_id, id, employee_code, first_name, last_name, department_id, hire_date, status,
         user_id, default_shift_id, work_locations, created_at, updated_at)
       select b.id, bench_seed.uuid7(now() - interval '340 days', 720000 + g), 'EMP-' || lpad(g::text, 6, '0'),
         'Employee', 'E' || g, d.id, (now() - interval '340 days')::date, 'active', p.user_id, sh.id,
         jsonb_build_array(jsonb_build_object('name', 'Site ' || s.n, 'lat', s.lat, 'lng', s.lng, 'radius_m', 200)),
         now() - interval '340 days', now() - interval '340 days'
       from bench_seed.tenants b cross join generate_series(0, $1::int - 1) g
       join shifts sh on sh.tenant_id = b.id and sh.name = 'Day'
       join departments d on d.tenant_id = b.id and d.code = 'D' || (1 + g % $2::int)
       join bench_seed.shop_ix s on s.idx = 0 and s.n = g % (select count(*) from bench_seed.shop_ix where idx = 0)
       left join bench_seed.people p on p.idx = 0 and p.kind = 'agent' and p.n = g
       where b.idx = 0`,
      [a.employees, a.departments],
    ],
    [
      "face embeddings",
      `insert into face_embeddings (tenant_id, id, employee_id, vector, dimension, consent_at, created_at)
       select e.tenant_id, bench_seed.uuid7(now() - interval '330 days', 730000 + row_number() over ()),
         e.id, v.vec, 128, now() - interval '330 days', now() - interval '330 days'
       from employees e join bench_seed.tenants b on b.id = e.tenant_id and b.idx = 0
       cross join generate_series(1, $1::int) k
       cross join lateral (
         select array_agg((x / norm)::real order by i) as vec
         from (select i, x, sqrt(sum(x * x) over ()) as norm
               from (select i, random() * 2 - 1 + 0 * k + 0 * length(e.employee_code) as x
                     from generate_series(1, 128) i) r) n
       ) v`,
      [a.faces],
    ],
    [
      "attendance records",
      `insert into attendance_records (tenant_id, id, employee_id, user_id, department_id, shift_id, work_date, status,
         shift_start, shift_end, check_in_at, check_in_client_id, check_in_lat, check_in_lng, check_in_distance_m,
         check_in_outside_geofence, check_in_trust_score, check_out_at, worked_minutes, late_minutes, created_at, updated_at)
       select e.tenant_id, bench_seed.uuid7(now() - interval '1 day' * (d + 2), 740000000 + row_number() over ()),
         e.id, e.user_id, e.department_id, e.default_shift_id, day,
         case when x.r < 0.08 then 'absent' when x.r < 0.12 then 'on_leave' when x.r < 0.3 then 'late' else 'present' end,
         st, st + interval '9 hours',
         case when x.r >= 0.12 then st + (case when x.r < 0.3 then 15 + x.r * 60 else -5 end) * interval '1 minute' end,
         case when x.r >= 0.12 then 'seed-a-' || e.id || '-' || d end,
         case when x.r >= 0.12 then (e.work_locations->0->>'lat')::float8 end,
         case when x.r >= 0.12 then (e.work_locations->0->>'lng')::float8 end,
         case when x.r >= 0.12 then 20 end, case when x.r >= 0.12 then false end, case when x.r >= 0.12 then 95 end,
         case when x.r >= 0.12 then st + interval '9 hours' end,
         case when x.r >= 0.12 then 480 else 0 end,
         case when x.r >= 0.12 and x.r < 0.3 then (15 + x.r * 60)::int else 0 end, now(), now()
       from employees e join bench_seed.tenants b on b.id = e.tenant_id and b.idx = 0
       cross join generate_series(0, $1::int - 1) d
       cross join lateral (select (now() at time zone b.tz)::date - d - 2 as day, random() + 0 * d as r) x
       cross join lateral (select ((x.day + time '08:00') at time zone b.tz) as st) t`,
      [a.days],
    ],
  ];
}

/** Session settings for bulk loading. Foreign-key triggers are skipped only where allowed (superuser). */
async function prepareSession(client, { replica }) {
  await client.query("set synchronous_commit = off");
  await client.query("set work_mem = '64MB'");
  if (replica) await client.query("set session_replication_role = replica");
}

/**
 * Seeds `databaseUrl` (migrations already applied) at `scale`.
 * @param {string} databaseUrl
 * @param {{ scale: keyof typeof SCALES, connections?: number, log?: (line: string) => void, progress?: boolean }} options
 * @returns {Promise<{ scale: string, seconds: number, counts: Record<string, number>, fkChecks: boolean }>}
 */
export async function seed(databaseUrl, { scale, connections = 2, log = () => {}, progress = true }) {
  const started = performance.now();
  const { cfg, tenants, chunks, totalVisits } = plan(scale);
  const crmChunks = interactionChunks(cfg, tenants, totalVisits);
  const pipelineChunks = dealChunks(cfg, tenants, totalVisits);
  const hash = passwordHash(BENCH_PASSWORD);
  const main = new pg.Client({ connectionString: databaseUrl });
  await main.connect();
  const clients = [main];
  try {
    const { rows } = await main.query("select rolsuper from pg_roles where rolname = current_user");
    // Superuser: skip per-row FK triggers while loading (the rows are consistent by construction and
    // checked afterwards); otherwise load with the checks on, slower.
    const replica = rows[0]?.rolsuper === true;
    await prepareSession(main, { replica });
    const reference = [
      ...referenceStatements(tenants, systemRoles(), hash),
      ...attendanceStatements(SCALES[scale].attendance),
    ];
    const rollupWeight = Math.max(1, Math.round(totalVisits / 10));
    const bar = new Progress({
      label: `seed ${scale}`,
      total: reference.length + totalVisits + cfg.interactions + cfg.deals + rollupWeight * 2 + rollupWeight,
      enabled: progress,
    });
    for (const [what, text, params] of reference) {
      bar.tick(0, what);
      await main.query(text, params).catch((err) => {
        throw new Error(`seeding ${what} failed: ${err.message}`, { cause: err });
      });
      bar.tick(1, what);
    }
    // Visits with answers, photos and quadrants: chunks over `connections` sessions.
    const workers = Math.max(1, Math.min(connections, chunks.length));
    for (let i = 1; i < workers; i++) {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await prepareSession(c, { replica });
      clients.push(c);
    }
    /** @type {Record<string, number>} */
    const counts = { visits: 0, visit_answers: 0, photos: 0, shelf_quadrants: 0 };
    const queue = [...chunks];
    await Promise.all(
      clients.slice(0, workers).map(async (client) => {
        for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
          await client.query("select setseed($1)", [((chunk.idx * 7919 + chunk.from) % 1000) / 1000]);
          const { rows: done } = await client.query(CHUNK_SQL, [chunk.idx, chunk.from, chunk.to]);
          const r = done[0];
          counts.visits += r.visits;
          counts.visit_answers += r.answers;
          counts.photos += r.photos;
          counts.shelf_quadrants += r.quadrants;
          bar.tick(
            chunk.to - chunk.from,
            `visits ${counts.visits.toLocaleString("en")}/${totalVisits.toLocaleString("en")}`,
          );
        }
      }),
    );
    // CRM: interactions (the Finder's rows) in chunks over the same sessions, then leads.
    const crmQueue = [...crmChunks];
    counts.interactions = 0;
    await Promise.all(
      clients.slice(0, workers).map(async (client) => {
        for (let chunk = crmQueue.shift(); chunk; chunk = crmQueue.shift()) {
          const { rows: done } = await client.query(INTERACTIONS_SQL, [
            chunk.idx,
            chunk.from,
            chunk.to,
            chunk.seq,
          ]);
          counts.interactions += done[0].n;
          bar.tick(chunk.to - chunk.from, `interactions ${counts.interactions.toLocaleString("en")}`);
        }
      }),
    );
    counts.leads = (await main.query(LEADS_SQL)).rows[0].n;
    // Deals and their activities (seed 004), in chunks over the same sessions.
    const dealQueue = [...pipelineChunks];
    counts.deals = 0;
    counts.deal_activities = 0;
    await Promise.all(
      clients.slice(0, workers).map(async (client) => {
        for (let chunk = dealQueue.shift(); chunk; chunk = dealQueue.shift()) {
          const { rows: done } = await client.query(DEALS_SQL, [chunk.idx, chunk.from, chunk.to, chunk.seq]);
          counts.deals += done[0].deals;
          counts.deal_activities += done[0].activities;
          bar.tick(chunk.to - chunk.from, `deals ${counts.deals.toLocaleString("en")}`);
        }
      }),
    );
    counts.clients = (await main.query(CLIENTS_SQL)).rows[0].n;
    counts.projects = (await main.query(PROJECTS_SQL)).rows[0].n;
    // The Finder's typo dictionary (kept by statement triggers, which a replica-mode load skips).
    bar.tick(0, "Finder dictionary");
    await main.query(`insert into interaction_words (tenant_id, word)
      select distinct i.tenant_id, w from interactions i, unnest(tsvector_to_array(i.search_vector)) w
      on conflict do nothing`);
    // The Finder's term index (also trigger-kept): the primary key is built once after the load.
    bar.tick(0, "Finder term index");
    await main.query(
      `alter table interaction_terms drop constraint interaction_terms_tenant_id_term_score_interaction_id_pk`,
    );
    await main.query(`insert into interaction_terms (tenant_id, term, score, interaction_id)
      select i.tenant_id, w, interaction_term_score(i.search_vector, w), i.id
      from interactions i, unnest(tsvector_to_array(i.search_vector)) w where i.deleted_at is null`);
    await main.query("set maintenance_work_mem = '512MB'");
    await main.query(`alter table interaction_terms add constraint interaction_terms_tenant_id_term_score_interaction_id_pk
      primary key (tenant_id, term, score, interaction_id)`);
    await main.query(`insert into interaction_term_counts (tenant_id, term, n)
      select tenant_id, term, count(*)::int from interaction_terms group by 1, 2`);
    // The per-bucket counts a deep page starts from (0043; without them every page after the
    // first came back empty, so the Finder scenarios measured empty pages).
    await main.query(`insert into interaction_term_buckets (tenant_id, term, score, bucket, n)
      select tenant_id, term, score, interaction_term_bucket(interaction_id), count(*)::int
      from interaction_terms group by 1, 2, 3, 4`);
    await main.query("analyze interaction_term_buckets");
    await main.query(`insert into interaction_term_gaps (tenant_id, word)
      select distinct i.tenant_id, r from interactions i, regexp_split_to_table(i.search_text, '[^[:alnum:]]+') r
      where i.deleted_at is null and r <> '' and not (r = any (tsvector_to_array(i.search_vector)))
      on conflict do nothing`);
    bar.tick(0, "CRM report rollups");
    await main.query("analyze leads, clients, projects, interactions");
    for (const text of fullRebuildStatements()) await main.query(text);
    for (const [what, text] of ROLLUP_STATEMENTS) {
      bar.tick(0, what);
      await main.query(text);
      bar.tick(rollupWeight, what);
    }
    if (replica) {
      bar.tick(0, "checking references");
      await checkReferences(main);
    }
    bar.tick(0, "vacuum analyze");
    await main.query("reset session_replication_role");
    await main.query("vacuum (analyze)");
    bar.tick(rollupWeight, "done");
    bar.finish();
    const { rows: totals } = await main.query(`select
      (select count(*) from tenants)::int as tenants, (select count(*) from users)::int as users,
      (select count(*) from teams)::int as teams, (select count(*) from brands)::int as brands,
      (select count(*) from shops)::int as shops, (select count(*) from surveys)::int as surveys,
      (select count(*) from survey_questions)::int as survey_questions,
      (select count(*) from visit_daily_rollups)::int as visit_daily_rollups,
      (select count(*) from shelf_share_daily_rollups)::int as shelf_share_daily_rollups,
      (select count(*) from visit_activity_daily_rollups)::int as visit_activity_daily_rollups,
      (select count(*) from brand_shelf_daily_rollups)::int as brand_shelf_daily_rollups,
      (select count(*) from goals)::int as goals, (select count(*) from goal_assignments)::int as goal_assignments,
      (select count(*) from call_cycles)::int as call_cycles,
      (select count(*) from call_cycle_locations)::int as call_cycle_locations,
      (select count(*) from shop_visit_daily_rollups)::int as shop_visit_daily_rollups,
      (select count(*) from employees)::int as employees,
      (select count(*) from face_embeddings)::int as face_embeddings,
      (select count(*) from attendance_records)::int as attendance_records,
      (select count(*) from attendance_daily_rollups)::int as attendance_daily_rollups,
      (select count(*) from deal_daily_rollups)::int as deal_daily_rollups,
      (select count(*) from deal_stage_daily_rollups)::int as deal_stage_daily_rollups`);
    const seconds = (performance.now() - started) / 1000;
    const all = { ...totals[0], ...counts };
    log(
      `seeded ${scale} in ${seconds.toFixed(1)} s: ${Object.entries(all)
        .map(([k, n]) => `${n.toLocaleString("en")} ${k}`)
        .join(", ")}`,
    );
    return { scale, seconds, counts: all, fkChecks: !replica };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}

/**
 * With foreign-key triggers skipped during the load, prove afterwards that every reference the
 * schema declares holds (anti-joins over the loaded tables): a seeding bug fails loudly here.
 */
async function checkReferences(client) {
  const checks = {
    "visits → memberships": `select count(*) from visits v left join memberships m on m.tenant_id = v.tenant_id and m.user_id = v.agent_id where m.user_id is null`,
    "visits → surveys": `select count(*) from visits v left join surveys s on s.tenant_id = v.tenant_id and s.id = v.survey_id where s.id is null`,
    "visits → shops": `select count(*) from visits v left join shops s on s.tenant_id = v.tenant_id and s.id = v.shop_id where v.shop_id is not null and s.id is null`,
    "call_cycle_locations → shops": `select count(*) from call_cycle_locations l left join shops s on s.tenant_id = l.tenant_id and s.id = l.shop_id where s.id is null`,
    "call_cycle_locations → call_cycles": `select count(*) from call_cycle_locations l left join call_cycles c on c.tenant_id = l.tenant_id and c.id = l.call_cycle_id where c.id is null`,
    "call_cycles → memberships": `select count(*) from call_cycles c left join memberships m on m.tenant_id = c.tenant_id and m.user_id = c.owner_id where m.user_id is null`,
    "visit_answers → visits": `select count(*) from visit_answers a left join visits v on v.tenant_id = a.tenant_id and v.id = a.visit_id where v.id is null`,
    "visit_answers → survey_questions": `select count(*) from visit_answers a left join survey_questions q on q.tenant_id = a.tenant_id and q.id = a.question_id where q.id is null`,
    "photos → visits": `select count(*) from photos p left join visits v on v.tenant_id = p.tenant_id and v.id = p.visit_id where v.id is null`,
    "shelf_quadrants → photos": `select count(*) from shelf_quadrants q left join photos p on p.tenant_id = q.tenant_id and p.id = q.photo_id where p.id is null`,
    "shelf_quadrants → brands": `select count(*) from shelf_quadrants q left join brands b on b.tenant_id = q.tenant_id and b.id = q.brand_id where b.id is null`,
    "goal_assignments → memberships": `select count(*) from goal_assignments a left join memberships m on m.tenant_id = a.tenant_id and m.user_id = a.user_id where a.user_id is not null and m.user_id is null`,
    "goal_assignments → teams": `select count(*) from goal_assignments a left join teams t on t.tenant_id = a.tenant_id and t.id = a.team_id where a.team_id is not null and t.id is null`,
    "deals → memberships": `select count(*) from deals d left join memberships m on m.tenant_id = d.tenant_id and m.user_id = d.owner_id where m.user_id is null`,
    "deal_activities → deals": `select count(*) from deal_activities a left join deals d on d.tenant_id = a.tenant_id and d.id = a.deal_id where d.id is null`,
    "teams → parent": `select count(*) from teams c left join teams p on p.tenant_id = c.tenant_id and p.id = c.parent_id where c.parent_id is not null and p.id is null`,
  };
  const broken = [];
  for (const [name, text] of Object.entries(checks)) {
    const { rows } = await client.query(text);
    if (Number(rows[0].count) > 0) broken.push(`${name}: ${rows[0].count}`);
  }
  if (broken.length > 0) throw new Error(`seeded rows break references: ${broken.join("; ")}`);
}

/** What the load scenarios need from the seeded big tenant (tenant 0). */
export async function benchActors(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const one = async (text, params) => (await client.query(text, params)).rows[0];
    const tenant = await one("select id from bench_seed.tenants where idx = 0");
    const person = (kind, n = 0) =>
      one("select user_id as id, email from bench_seed.people where idx = 0 and kind = $1 and n = $2", [
        kind,
        n,
      ]);
    const admin = await person("admin");
    const areaManager = await person("area");
    const agent = await person("agent");
    const agents = (
      await client.query(
        "select email from bench_seed.people where idx = 0 and kind = 'agent' order by n limit 50",
      )
    ).rows.map((r) => r.email);
    const survey = await one(
      `select s.id, (select json_agg(json_build_object('id', q.id, 'type', q.type) order by q.position)
                     from bench_seed.questions q where q.survey_id = s.id and q.answered) as questions
       from bench_seed.surveys s where s.idx = 0 and s.n = 1`,
    );
    const shop = await one(`select id, lat, lng from shops where tenant_id = $1 order by id limit 1`, [
      tenant.id,
    ]);
    // Visits to read: completed ones with answers and (some) photos, spread over time.
    const visitIds = (
      await client.query(
        `select id from visits where tenant_id = $1 and status = 'completed' order by md5(id::text) limit 500`,
        [tenant.id],
      )
    ).rows.map((r) => r.id);
    // The agent's own visit, for photo registration.
    const agentVisit = await one(
      `select id from visits where tenant_id = $1 and agent_id = $2 order by started_at desc limit 1`,
      [tenant.id, agent.id],
    );
    // The area manager's subtree, to filter a page by one of its agents.
    const subtreeAgent = await one(
      `select p.user_id as id from bench_seed.people p
       join bench_seed.teams leaf on leaf.id = p.team_id
       join bench_seed.teams area on area.idx = leaf.idx and area.level = 2 and area.r = leaf.r and area.a = leaf.a
       join bench_seed.people m on m.team_id = area.id and m.kind = 'area'
       where p.idx = 0 and p.kind = 'agent' and m.user_id = $1 order by p.n limit 1`,
      [areaManager.id],
    );
    // The seeded goals (visits completed, shelf share), for the progress scenarios.
    const goals = (
      await client.query("select id, metric from goals where tenant_id = $1 order by name", [tenant.id])
    ).rows;
    // A call cycle of an agent in the area manager's subtree, for the status scenario.
    const callCycle = await one(
      `select c.id from call_cycles c where c.tenant_id = $1 and c.owner_id = $2 limit 1`,
      [tenant.id, subtreeAgent?.id ?? agent.id],
    );
    // Kiosk staff (no user) for check-ins by employee_id, each with one of their enrolled descriptors.
    const kioskEmployees = (
      await client.query(
        `select e.id, e.work_locations->0->>'lat' as lat, e.work_locations->0->>'lng' as lng,
           (select f.vector from face_embeddings f where f.tenant_id = e.tenant_id and f.employee_id = e.id
            order by f.id limit 1) as vector
         from employees e where e.tenant_id = $1 and e.user_id is null order by e.id limit 3000`,
        [tenant.id],
      )
    ).rows.map((r) => ({ id: r.id, lat: Number(r.lat), lng: Number(r.lng), vector: r.vector.map(Number) }));
    // Open deals that moved (they have activities), for the deal detail and stage-change scenarios.
    const dealIds = (
      await client.query(
        `select id from deals where tenant_id = $1 and status = 'open' and stage <> 'qualification'
         order by md5(id::text) limit 500`,
        [tenant.id],
      )
    ).rows.map((r) => r.id);
    const counts = await one(
      `select (select count(*) from visits where tenant_id = $1)::int as tenant_visits,
              (select count(*) from visits)::int as all_visits,
              (select count(*) from memberships where tenant_id = $1)::int as tenant_users,
              (select count(*) from face_embeddings where tenant_id = $1)::int as tenant_faces,
              (select count(*) from attendance_records where tenant_id = $1)::int as tenant_attendance_records,
              (select count(*) from interactions where tenant_id = $1)::int as tenant_interactions,
              (select count(*) from interactions)::int as all_interactions,
              (select count(*) from deals where tenant_id = $1)::int as tenant_deals,
              (select count(*) from deals)::int as all_deals`,
      [tenant.id],
    );
    return {
      tenantId: tenant.id,
      admin,
      areaManager,
      agent,
      agents,
      survey,
      shop,
      visitIds,
      agentVisitId: agentVisit.id,
      subtreeAgentId: subtreeAgent?.id ?? agent.id,
      visitsGoalId: goals.find((g) => g.metric === "visits_completed")?.id,
      shelfGoalId: goals.find((g) => g.metric === "shelf_share")?.id,
      callCycleId: callCycle?.id ?? null,
      kioskEmployees,
      dealIds,
      counts,
    };
  } finally {
    await client.end();
  }
}

/**
 * In-progress visits of `agentId` made straight in SQL, for the completion scenario (each request
 * completes a different visit). Started minutes ago, so they are valid to complete.
 */
export async function openVisits(databaseUrl, { tenantId, agentId, surveyId, shopId, count }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `insert into visits (tenant_id, id, agent_id, survey_id, shop_id, visit_type, status, lat, lng, started_at)
       select $1, bench_seed.uuid7(now() - interval '10 minutes', 900000000000 + g + (extract(epoch from now()) * 1000)::bigint),
         $2, $3, $4, 'shop', 'in_progress', s.lat, s.lng, now() - interval '10 minutes'
       from generate_series(1, $5::int) g cross join (select lat, lng from shops where tenant_id = $1 and id = $4) s
       returning id`,
      [tenantId, agentId, surveyId, shopId, count],
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

// CLI: seed an existing database (migrations applied) and print the counts.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { scale: { type: "string", default: "small" }, connections: { type: "string", default: "2" } },
    allowPositionals: true,
  });
  const url = positionals[0] ?? process.env.DATABASE_URL;
  if (!url) {
    console.error("usage: node scripts/bench/seed.mjs --scale small|large|smoke <postgres url>");
    process.exit(2);
  }
  await seed(url, {
    scale: /** @type {keyof typeof SCALES} */ (values.scale),
    connections: Number(values.connections),
    log: (line) => console.error(`[bench] ${line}`),
  });
}
