import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import {
  clients,
  crmClientRollups,
  crmInteractionRollups,
  crmLeadRollups,
  crmProjectRollups,
  interactions,
  leads,
  projects,
} from "../../src/db/schema";
import { CRON_NIGHTLY, CRON_REPORTS } from "../../src/jobs/scheduled";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import { eventually } from "../helpers/jobs";
import { crmChanged, deliver, localDay, pct, round, runCron } from "./support";

/**
 * The ten CRM reports (seed 003 Part 2) against rows inserted through the API: several users,
 * statuses, sources, created dates on both sides of a month boundary (in Johannesburg, UTC+2: one
 * lead at 23:59 on 31 Oct, one at 00:00 on 1 Nov), deleted rows that must not count and another
 * tenant's rows that must not count. The rollups come from the queue consumer (each event twice),
 * then from the nightly rebuild and the quarter-hour refresh, which must give the same cells. Every
 * figure is compared with one this file computes from its own list of rows.
 */

type Who = "admin" | "a1" | "a2";
const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

interface ClientSpec {
  key: string;
  by: Who;
  assigned: Who | null;
  status: "new" | "prospect" | "active" | "inactive";
  created: string;
  deleted?: boolean;
}
interface LeadSpec {
  key: string;
  by: Who;
  assigned: Who | null;
  status: "new" | "contacted" | "qualified" | "lost" | "converted";
  source: string | null;
  created: string;
  convertedDays?: number;
  deleted?: boolean;
}
interface ProjectSpec {
  key: string;
  by: Who;
  assigned: Who | null;
  client: string | null;
  status: "active" | "pending" | "completed" | "cancelled";
  value: number | null;
  start?: string;
  end?: string;
  created: string;
  deleted?: boolean;
}
interface InteractionSpec {
  key: string;
  by: Who;
  assigned: Who | null;
  client: string | null;
  lead: string | null;
  type: string;
  start: string;
  followUp?: string;
  done?: boolean;
  notes?: string;
  /** Backdated created_at (default: now, as the API stamps it). */
  created?: string;
  deleted?: boolean;
}

const CLIENTS: ClientSpec[] = [
  { key: "C1", by: "a1", assigned: "a1", status: "active", created: "2026-10-31T23:30:00Z" },
  { key: "C2", by: "a1", assigned: "a2", status: "inactive", created: "2026-10-15T10:00:00Z" },
  { key: "C3", by: "a2", assigned: null, status: "active", created: "2026-11-05T10:00:00Z" },
  { key: "C4", by: "admin", assigned: "a1", status: "prospect", created: "2026-11-10T10:00:00Z" },
  { key: "C6", by: "a2", assigned: null, status: "new", created: "2026-11-12T10:00:00Z" },
  { key: "C5", by: "a1", assigned: "a1", status: "active", created: "2026-11-11T10:00:00Z", deleted: true },
];
const LEADS: LeadSpec[] = [
  { key: "L1", by: "a1", assigned: "a1", status: "new", source: "Website", created: "2026-10-31T21:59:00Z" },
  {
    key: "L2",
    by: "a1",
    assigned: "a1",
    status: "converted",
    source: "Website",
    created: "2026-10-31T22:00:00Z",
    convertedDays: 10,
  },
  {
    key: "L3",
    by: "a1",
    assigned: "a2",
    status: "qualified",
    source: "Referral",
    created: "2026-11-03T08:00:00Z",
  },
  {
    key: "L4",
    by: "a2",
    assigned: "a2",
    status: "converted",
    source: "Referral",
    created: "2026-11-04T08:00:00Z",
    convertedDays: 5.5,
  },
  { key: "L5", by: "a2", assigned: null, status: "contacted", source: null, created: "2026-11-20T08:00:00Z" },
  {
    key: "L6",
    by: "admin",
    assigned: "a1",
    status: "lost",
    source: "Cold Call",
    created: "2026-11-25T08:00:00Z",
  },
  {
    key: "L7",
    by: "a1",
    assigned: "a1",
    status: "converted",
    source: "Website",
    created: "2026-11-05T08:00:00Z",
    convertedDays: 1,
    deleted: true,
  },
];
const PROJECTS: ProjectSpec[] = [
  {
    key: "P1",
    by: "a1",
    assigned: "a1",
    client: "C1",
    status: "completed",
    value: 1000.5,
    start: "2026-10-01",
    end: "2026-10-21",
    created: "2026-10-20T10:00:00Z",
  },
  {
    key: "P2",
    by: "a1",
    assigned: "a1",
    client: "C1",
    status: "active",
    value: 2000,
    start: "2026-11-01",
    end: "2026-12-15",
    created: "2026-11-02T10:00:00Z",
  },
  {
    key: "P3",
    by: "a2",
    assigned: "a2",
    client: "C3",
    status: "pending",
    value: 500.25,
    created: "2026-11-03T10:00:00Z",
  },
  {
    key: "P4",
    by: "a2",
    assigned: "a2",
    client: "C3",
    status: "cancelled",
    value: 300,
    end: "2026-11-30",
    created: "2026-11-06T10:00:00Z",
  },
  {
    key: "P5",
    by: "admin",
    assigned: "a1",
    client: "C2",
    status: "completed",
    value: 700,
    start: "2026-11-01",
    end: "2026-11-11",
    created: "2026-11-07T10:00:00Z",
  },
  {
    key: "P6",
    by: "a1",
    assigned: null,
    client: null,
    status: "pending",
    value: null,
    start: "2027-01-05",
    created: "2026-11-08T10:00:00Z",
  },
  {
    key: "P7",
    by: "a1",
    assigned: "a1",
    client: "C1",
    status: "completed",
    value: 9999,
    start: "2026-11-01",
    end: "2026-11-02",
    created: "2026-11-09T10:00:00Z",
    deleted: true,
  },
];
const INTERACTIONS: InteractionSpec[] = [
  {
    key: "I1",
    by: "a1",
    assigned: null,
    client: "C1",
    lead: "L1",
    type: "Meeting",
    start: ago(40),
    created: ago(40),
  },
  {
    key: "I2",
    by: "a1",
    assigned: null,
    client: "C1",
    lead: null,
    type: "Call",
    start: ago(5),
    followUp: ago(1),
    created: ago(5),
  },
  {
    key: "I3",
    by: "a2",
    assigned: null,
    client: "C2",
    lead: "L3",
    type: "Email",
    start: ago(60),
    followUp: ago(2),
    done: true,
    created: ago(60),
  },
  {
    key: "I4",
    by: "a2",
    assigned: "a1",
    client: "C3",
    lead: null,
    type: "Meeting",
    start: ago(-2),
    notes: "Q1 planning",
  },
  { key: "I5", by: "a1", assigned: null, client: "C4", lead: null, type: "Call", start: ago(-10) },
  {
    key: "I6",
    by: "admin",
    assigned: null,
    client: null,
    lead: "L4",
    type: "Meeting",
    start: ago(-1),
    followUp: ago(0.125),
  },
  {
    key: "I7",
    by: "a1",
    assigned: null,
    client: "C2",
    lead: null,
    type: "Call",
    start: ago(1),
    followUp: ago(1),
    created: ago(1),
    deleted: true,
  },
];

interface World {
  tenantId: string;
  users: Record<Who | "manager", TestUser>;
  ids: Map<string, string>;
  /** The created_at of every row as stored. */
  created: Map<string, string>;
  events: ReturnType<typeof crmChanged>[];
}

async function postOk(user: TestUser, path: string, body: Record<string, unknown>): Promise<string> {
  const res = await call<{ data: { id: string } }>("POST", path, { token: user.token, body });
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${res.text}`);
  return res.json.data.id;
}

/** Inserts the rows through the API as their creators, backdates created_at, deletes the deleted ones. */
async function buildWorld(): Promise<World> {
  const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
  const [admin, manager, a1, a2] = await Promise.all([
    createUser(tenant, ["admin"]),
    createUser(tenant, ["manager"]),
    createUser(tenant, ["agent"]),
    // JSON-hostile characters in an email: the member reports answer members as one text value.
    createUser(tenant, ["agent"], { email: `a2,"q"\\b-${uuidv7()}@example.test` }),
  ]);
  const users = { admin, manager, a1, a2 };
  const ids = new Map<string, string>();
  const created = new Map<string, string>();
  const events: ReturnType<typeof crmChanged>[] = [];
  const uid = (w: Who | null) => (w ? users[w].user.id : null);
  const db = testDb();
  const stamp = async (
    table: typeof clients | typeof leads | typeof projects | typeof interactions,
    key: string,
    at: string | undefined,
    extra: Record<string, unknown> = {},
  ) => {
    const id = ids.get(key) as string;
    if (at) {
      await db
        .update(table)
        .set({ createdAt: new Date(at), ...extra })
        .where(and(eq(table.tenantId, tenant.id), eq(table.id, id)));
      created.set(key, at);
    } else {
      const [row] = await db
        .select({ at: table.createdAt })
        .from(table)
        .where(and(eq(table.tenantId, tenant.id), eq(table.id, id)));
      if (!row) throw new Error(`no row ${key}`);
      created.set(key, row.at.toISOString());
    }
  };
  for (const c of CLIENTS) {
    ids.set(
      c.key,
      await postOk(users[c.by], "/api/clients", {
        name: `Client ${c.key}`,
        status: c.status,
        assigned_to: uid(c.assigned),
      }),
    );
    await stamp(clients, c.key, c.created);
  }
  for (const l of LEADS) {
    ids.set(
      l.key,
      await postOk(users[l.by], "/api/leads", {
        name: `Lead ${l.key}`,
        lead_status: l.status,
        lead_source: l.source,
        assigned_to: uid(l.assigned),
      }),
    );
    await stamp(
      leads,
      l.key,
      l.created,
      l.convertedDays === undefined
        ? {}
        : { convertedAt: new Date(Date.parse(l.created) + l.convertedDays * DAY) },
    );
  }
  for (const p of PROJECTS) {
    ids.set(
      p.key,
      await postOk(users[p.by], "/api/projects", {
        name: `Project ${p.key}`,
        status: p.status,
        value: p.value,
        client_id: p.client ? ids.get(p.client) : null,
        assigned_to: uid(p.assigned),
        ...(p.start ? { start_date: p.start } : {}),
        ...(p.end ? { end_date: p.end } : {}),
      }),
    );
    await stamp(projects, p.key, p.created);
  }
  for (const i of INTERACTIONS) {
    ids.set(
      i.key,
      await postOk(users[i.by], "/api/interactions", {
        title: `Interaction ${i.key}`,
        type: i.type,
        start_date_time: i.start,
        client_id: i.client ? ids.get(i.client) : null,
        lead_id: i.lead ? ids.get(i.lead) : null,
        assigned_to: uid(i.assigned),
        follow_up_at: i.followUp ?? null,
        done: i.done ?? false,
        ...(i.notes ? { notes: i.notes } : {}),
      }),
    );
    await stamp(interactions, i.key, i.created);
  }
  const entity = { C: "client", L: "lead", P: "project", I: "interaction" } as const;
  const path = { C: "clients", L: "leads", P: "projects", I: "interactions" } as const;
  for (const spec of [...CLIENTS, ...LEADS, ...PROJECTS, ...INTERACTIONS]) {
    const kind = spec.key[0] as keyof typeof entity;
    if (spec.deleted) {
      const res = await call("DELETE", `/api/${path[kind]}/${ids.get(spec.key)}`, {
        token: users[spec.by].token,
      });
      if (res.status !== 204) throw new Error(`DELETE ${spec.key} → ${res.status}: ${res.text}`);
    }
    events.push(crmChanged(tenant.id, entity[kind], ids.get(spec.key) as string));
  }
  return { tenantId: tenant.id, users, ids, created, events };
}

/** Another tenant's rows, which no report of the first tenant may count. */
async function otherTenant() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  const client = await postOk(admin, "/api/clients", { name: "Other client", status: "active" });
  const lead = await postOk(admin, "/api/leads", {
    name: "Other lead",
    lead_status: "converted",
    lead_source: "Website",
  });
  const project = await postOk(admin, "/api/projects", {
    name: "Other project",
    status: "completed",
    value: 5000,
    client_id: client,
  });
  const interaction = await postOk(admin, "/api/interactions", {
    title: "Other",
    type: "Meeting",
    start_date_time: ago(-1),
    client_id: client,
    follow_up_at: ago(1),
  });
  return [
    crmChanged(tenant.id, "client", client),
    crmChanged(tenant.id, "lead", lead),
    crmChanged(tenant.id, "project", project),
    crmChanged(tenant.id, "interaction", interaction),
  ];
}

// ---- The independent model: what every report must answer, from the lists above. ----

interface View {
  /** null: the whole tenant. */
  users: Who[] | null;
  start?: string;
  end?: string;
}
const live = <T extends { deleted?: boolean }>(rows: T[]) => rows.filter((r) => !r.deleted);
const visible = (v: View, r: { by: Who; assigned: Who | null }) =>
  v.users === null || v.users.includes(r.by) || (r.assigned !== null && v.users.includes(r.assigned));
function inRange(w: World, v: View, key: string) {
  const day = localDay(w.created.get(key) as string);
  return (v.start === undefined || day >= v.start) && (v.end === undefined || day <= v.end);
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const LEAD_STATUSES = ["new", "contacted", "qualified", "lost", "converted"] as const;
const PROJECT_STATUSES = ["active", "pending", "completed", "cancelled"] as const;
const CLIENT_STATUSES = ["new", "prospect", "active", "inactive"] as const;

function expected(w: World, v: View) {
  const L = live(LEADS).filter((l) => visible(v, l) && inRange(w, v, l.key));
  const P = live(PROJECTS).filter((p) => visible(v, p) && inRange(w, v, p.key));
  const C = live(CLIENTS).filter((c) => visible(v, c) && inRange(w, v, c.key));
  const value = (ps: ProjectSpec[]) => round(sum(ps.map((p) => p.value ?? 0)), 2);
  const email = (who: Who) => w.users[who].user.email;
  const converted = (ls: LeadSpec[]) => ls.filter((l) => l.status === "converted").length;

  const bySource = new Map<string, LeadSpec[]>();
  for (const l of L) bySource.set(l.source ?? "Unknown", [...(bySource.get(l.source ?? "Unknown") ?? []), l]);
  const sources = [...bySource.entries()]
    .map(([source, ls]) => ({
      source,
      total_leads: ls.length,
      converted: converted(ls),
      qualified: ls.filter((l) => l.status === "qualified").length,
      conversion_rate: pct(converted(ls), ls.length),
    }))
    .sort((a, b) => b.total_leads - a.total_leads || (a.source < b.source ? -1 : 1));

  const timed = L.filter((l) => l.status === "converted" && l.convertedDays !== undefined);
  const assignees = [...new Set(L.map((l) => l.assigned).filter((a): a is Who => a !== null))];
  const byUser = assignees
    .map((a) => {
      const ls = L.filter((l) => l.assigned === a);
      return {
        user_email: email(a),
        total_leads: ls.length,
        converted: converted(ls),
        conversion_rate: pct(converted(ls), ls.length),
      };
    })
    .sort((a, b) => b.total_leads - a.total_leads || (a.user_email < b.user_email ? -1 : 1));

  const liveClients = live(CLIENTS);
  const revenue = liveClients
    .map((c) => ({ c, ps: P.filter((p) => p.client === c.key) }))
    .filter((x) => x.ps.length > 0)
    .map(({ c, ps }) => ({
      client_name: `Client ${c.key}`,
      total_projects: ps.length,
      total_value: value(ps.filter((p) => p.status !== "cancelled")),
      won_value: value(ps.filter((p) => p.status === "completed")),
      pending_value: value(ps.filter((p) => p.status === "pending" || p.status === "active")),
    }))
    .sort((a, b) => b.total_value - a.total_value || (a.client_name < b.client_name ? -1 : 1));

  const won = P.filter((p) => p.status === "completed");
  const valued = P.filter((p) => p.value !== null);
  const durations = won
    .filter((p) => p.start && p.end)
    .map((p) => (Date.parse(p.end as string) - Date.parse(p.start as string)) / DAY);

  const weight = { pending: 0.3, active: 0.6, completed: 1, cancelled: 0 } as const;
  const weighted = (ps: ProjectSpec[]) => round(sum(ps.map((p) => (p.value ?? 0) * weight[p.status])), 2);
  const months = new Map<string, ProjectSpec[]>();
  for (const p of P.filter((p) => p.status !== "cancelled")) {
    const month = (p.end ?? p.start)?.slice(0, 7);
    if (month) months.set(month, [...(months.get(month) ?? []), p]);
  }

  const count = (status: string) => C.filter((c) => c.status === status).length;
  const todayLocal = localDay(new Date().toISOString());
  const recentFrom = new Date(Date.parse(`${todayLocal}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
  const recent = live(INTERACTIONS).filter(
    (i) => visible(v, i) && i.client !== null && localDay(w.created.get(i.key) as string) >= recentFrom,
  );
  const clientStatus = (key: string) => liveClients.find((c) => c.key === key)?.status;
  const active = count("active");
  const inactive = count("inactive");
  const retention = pct(active, active + inactive);

  return {
    pipeline: {
      leads: LEAD_STATUSES.map((status) => ({ status, count: L.filter((l) => l.status === status).length })),
      projects: PROJECT_STATUSES.map((status) => {
        const ps = P.filter((p) => p.status === status);
        return { status, count: ps.length, total_value: value(ps) };
      }),
    },
    "lead-source": { sources },
    "conversion-rate": {
      overall: {
        total_leads: L.length,
        converted: converted(L),
        conversion_rate: pct(converted(L), L.length),
        avg_days_to_convert: timed.length
          ? round(sum(timed.map((l) => l.convertedDays as number)) / timed.length, 1)
          : null,
      },
      by_user: byUser,
    },
    "revenue-by-client": { clients: revenue },
    "client-retention": {
      retention_rate: retention,
      churn_rate: active + inactive > 0 ? round(100 - retention, 2) : 0,
      status_breakdown: CLIENT_STATUSES.map((status) => ({
        status,
        count: count(status),
        recent_interactions: recent.filter((i) => clientStatus(i.client as string) === status).length,
      })),
    },
    "project-performance": {
      summary: {
        total_projects: P.length,
        won: won.length,
        lost: P.filter((p) => p.status === "cancelled").length,
        pending: P.filter((p) => p.status === "pending" || p.status === "active").length,
        win_rate: pct(won.length, P.length),
        avg_value: valued.length ? round(sum(valued.map((p) => p.value as number)) / valued.length, 2) : null,
        avg_duration_days: durations.length ? round(sum(durations) / durations.length, 1) : null,
      },
    },
    "revenue-forecast": {
      forecast: {
        total_pipeline_value: value(P.filter((p) => p.status !== "cancelled")),
        weighted_forecast: weighted(P),
        won_value: value(won),
        pending_value: value(P.filter((p) => p.status === "pending")),
      },
      by_month: [...months.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([month, ps]) => ({ month, weighted_forecast: weighted(ps) })),
    },
  };
}

/** follow-ups, from the model (point in time: now). */
function expectedFollowUps(w: World, v: View, inactiveDays = 30) {
  const I = live(INTERACTIONS);
  const overdue = I.filter(
    (i) =>
      visible(v, i) &&
      inRange(w, v, i.key) &&
      i.followUp !== undefined &&
      !i.done &&
      Date.parse(i.followUp) < Date.now(),
  ).length;
  const list = <T extends ClientSpec | LeadSpec>(rows: T[], link: "client" | "lead") =>
    live(rows)
      .filter((r) => visible(v, r) && inRange(w, v, r.key))
      .map((r) => {
        const starts = I.filter((i) => i[link] === r.key).map((i) => Date.parse(i.start));
        const last = starts.length ? Math.max(...starts) : null;
        return { r, last };
      })
      .filter(({ last }) => last === null || last < Date.now() - inactiveDays * DAY)
      .sort((a, b) =>
        a.last === b.last
          ? (w.ids.get(a.r.key) as string) < (w.ids.get(b.r.key) as string)
            ? -1
            : 1
          : a.last === null
            ? -1
            : b.last === null
              ? 1
              : a.last - b.last,
      )
      .map(({ r, last }) => ({
        name: `${link === "client" ? "Client" : "Lead"} ${r.key}`,
        days_since_interaction: last === null ? null : Math.floor((Date.now() - last) / DAY),
        last_interaction_date: last === null ? null : localDay(new Date(last).toISOString()),
      }));
  return {
    overdue_interactions: overdue,
    inactive_clients: list(CLIENTS, "client").map(({ name, ...rest }) => ({ client_name: name, ...rest })),
    inactive_leads: list(LEADS, "lead").map(({ name, ...rest }) => ({ lead_name: name, ...rest })),
  };
}

function expectedTasks(w: World, v: View, daysAhead = 7) {
  return live(INTERACTIONS)
    .filter((i) => visible(v, i) && inRange(w, v, i.key))
    .filter((i) => Date.parse(i.start) >= Date.now() && Date.parse(i.start) < Date.now() + daysAhead * DAY)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((i) => ({
      interaction_type: i.type,
      contact_date: localDay(i.start),
      client_name: i.client ? `Client ${i.client}` : null,
      notes: i.notes ?? null,
    }));
}

function expectedUserActivity(w: World, start?: string, end?: string) {
  const v: View = { users: null, ...(start ? { start } : {}), ...(end ? { end } : {}) };
  return (["admin", "manager", "a1", "a2"] as const)
    .map((who) => ({
      user_email: w.users[who].user.email,
      assigned_leads: live(LEADS).filter((l) => l.assigned === who).length,
      assigned_clients: live(CLIENTS).filter((c) => c.assigned === who).length,
      interactions_logged: live(INTERACTIONS).filter((i) => i.by === who && inRange(w, v, i.key)).length,
      projects_created: live(PROJECTS).filter((p) => p.by === who && inRange(w, v, p.key)).length,
    }))
    .sort((a, b) => (a.user_email < b.user_email ? -1 : 1));
}

// ---- The tests ----

const ROLLUP_REPORTS = [
  "pipeline",
  "lead-source",
  "conversion-rate",
  "revenue-by-client",
  "client-retention",
  "project-performance",
  "revenue-forecast",
] as const;

async function report(user: TestUser, name: string, query = "") {
  const res = await call<{ data: unknown }>("GET", `/api/reports/${name}${query ? `?${query}` : ""}`, {
    token: user.token,
  });
  if (res.status !== 200) throw new Error(`GET ${name}?${query} → ${res.status}: ${res.text}`);
  return res.json.data;
}

async function cells(tenantId: string) {
  const db = testDb();
  return {
    leads: await db
      .select()
      .from(crmLeadRollups)
      .where(eq(crmLeadRollups.tenantId, tenantId))
      .orderBy(asc(sql`1`), asc(sql`2`), asc(sql`3`), asc(sql`4`), asc(sql`5`), asc(sql`6`)),
    clients: await db
      .select()
      .from(crmClientRollups)
      .where(eq(crmClientRollups.tenantId, tenantId))
      .orderBy(asc(sql`1`), asc(sql`2`), asc(sql`3`), asc(sql`4`), asc(sql`5`)),
    projects: await db
      .select()
      .from(crmProjectRollups)
      .where(eq(crmProjectRollups.tenantId, tenantId))
      .orderBy(asc(sql`1`), asc(sql`2`), asc(sql`3`), asc(sql`4`), asc(sql`5`), asc(sql`6`), asc(sql`7`)),
    interactions: await db
      .select()
      .from(crmInteractionRollups)
      .where(eq(crmInteractionRollups.tenantId, tenantId))
      .orderBy(asc(sql`1`), asc(sql`2`), asc(sql`3`), asc(sql`4`), asc(sql`5`)),
    last: await db
      .select({ id: clients.id, at: clients.lastInteractionAt })
      .from(clients)
      .where(eq(clients.tenantId, tenantId))
      .orderBy(asc(clients.id)),
  };
}
const withoutTimes = (c: Awaited<ReturnType<typeof cells>>) => ({
  ...c,
  leads: c.leads.map(({ updatedAt: _u, ...r }) => r),
  clients: c.clients.map(({ updatedAt: _u, ...r }) => r),
  projects: c.projects.map(({ updatedAt: _u, ...r }) => r),
  interactions: c.interactions.map(({ updatedAt: _u, ...r }) => r),
});

const NONE = "00000000-0000-0000-0000-000000000000";
type Cells = Awaited<ReturnType<typeof cells>>;
type Tally = Record<string, Record<string, number>>;

/**
 * The coarse cells computed here from the day cells: per member (NONE: the tenant; else a row's
 * creator and assignee, once each) and per period (all time, the month, the day), the non-zero
 * ones, each as "table|member|grain|period|dims" → measures (money and days rounded).
 */
function coarseModel(c: Cells): string[] {
  const tally: Tally = {};
  const add = (key: string, measures: Record<string, number>) => {
    const cell = tally[key] ?? {};
    tally[key] = cell;
    for (const [m, v] of Object.entries(measures)) cell[m] = (cell[m] ?? 0) + v;
  };
  const periods = (day: string) => [`0|-infinity`, `1|${day.slice(0, 8)}01`, `2|${day}`];
  const spread = (
    table: string,
    row: { day: string; createdBy: string; assignedTo: string; tenantId: string },
    dims: string[],
    measures: Record<string, number>,
    member: { user: string; measures: Record<string, number> },
    revenue?: { client: string; measures: Record<string, number> },
  ) => {
    const members = [...new Set([NONE, row.createdBy, row.assignedTo])];
    for (const p of periods(row.day)) {
      for (const m of members) add(`${table}|${m}|${p}|${dims.join("|")}`, measures);
      if (member.user !== NONE) add(`member|${member.user}|${p}`, member.measures);
    }
    if (revenue && revenue.client !== NONE) add(`revenue|${revenue.client}`, revenue.measures);
  };
  for (const l of c.leads) {
    spread(
      "lead",
      l,
      [l.status, l.source],
      { leads: l.leads, timed: l.timedConversions, days: l.conversionDays },
      {
        user: l.assignedTo,
        measures: { assigned_leads: l.leads, assigned_converted: l.status === "converted" ? l.leads : 0 },
      },
    );
  }
  for (const x of c.clients) {
    spread(
      "client",
      x,
      [x.status],
      { clients: x.clients },
      { user: x.assignedTo, measures: { assigned_clients: x.clients } },
    );
  }
  for (const p of c.projects) {
    const value = Number(p.valueSum);
    spread(
      "project",
      p,
      [p.status, p.month],
      { projects: p.projects, valued: p.valued, value, timed: p.timed, duration: p.durationDays },
      { user: p.createdBy, measures: { projects_created: p.projects } },
      {
        client: p.clientId,
        measures: {
          projects: p.projects,
          total: p.status === "cancelled" ? 0 : value,
          won: p.status === "completed" ? value : 0,
          pending: p.status === "pending" || p.status === "active" ? value : 0,
        },
      },
    );
  }
  for (const i of c.interactions) {
    spread(
      "interaction",
      i,
      [i.clientStatus],
      { interactions: i.interactions },
      { user: i.createdBy, measures: { interactions_created: i.interactions } },
    );
  }
  return canonical(tally);
}

/** A tally as sorted lines, zero measures and zero cells left out, values rounded to 6 decimals. */
function canonical(tally: Tally): string[] {
  return Object.entries(tally)
    .map(([key, measures]) => [key, Object.entries(measures).filter(([, v]) => Math.abs(v) > 1e-9)] as const)
    .filter(([, measures]) => measures.length > 0)
    .map(
      ([key, measures]) =>
        `${key} ${[...measures]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([m, v]) => `${m}=${round(v, 6)}`)
          .join(" ")}`,
    )
    .sort();
}

/** The coarse cells in the database, in coarseModel's form. */
async function coarse(tenantId: string): Promise<string[]> {
  const db = testDb();
  const tally: Tally = {};
  const read = async (text: ReturnType<typeof sql>) =>
    (await db.execute<{ key: string; m: Record<string, number> }>(text)).rows;
  const queries = [
    sql`select 'lead|' || member || '|' || grain || '|' || period::text || '|' || status || '|' || source as key,
        json_build_object('leads', leads, 'timed', timed_conversions, 'days', conversion_days::float8) as m
      from crm_lead_cells where tenant_id = ${tenantId}`,
    sql`select 'client|' || member || '|' || grain || '|' || period::text || '|' || status as key,
        json_build_object('clients', clients) as m
      from crm_client_cells where tenant_id = ${tenantId}`,
    sql`select 'project|' || member || '|' || grain || '|' || period::text || '|' || status || '|' || month as key,
        json_build_object('projects', projects, 'valued', valued, 'value', value_sum::float8, 'timed', timed,
          'duration', duration_days) as m
      from crm_project_cells where tenant_id = ${tenantId}`,
    sql`select 'interaction|' || member || '|' || grain || '|' || period::text || '|' || client_status as key,
        json_build_object('interactions', interactions) as m
      from crm_interaction_cells where tenant_id = ${tenantId}`,
    sql`select 'member|' || user_id || '|' || grain || '|' || period::text as key,
        json_build_object('assigned_leads', assigned_leads, 'assigned_converted', assigned_converted,
          'assigned_clients', assigned_clients, 'interactions_created', interactions_created,
          'projects_created', projects_created) as m
      from crm_member_cells where tenant_id = ${tenantId}`,
    sql`select 'revenue|' || client_id as key,
        json_build_object('projects', total_projects, 'total', total_value::float8, 'won', won_value::float8,
          'pending', pending_value::float8) as m
      from crm_client_revenue where tenant_id = ${tenantId}`,
  ];
  for (const q of queries) {
    for (const row of await read(q)) {
      tally[row.key] = row.m;
    }
  }
  return canonical(tally);
}

describe("CRM reports (seed 003 Part 2)", () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
    const other = await otherTenant();
    // Each event twice (a redelivery), the other tenant's too.
    const result = await deliver([...w.events, ...other, ...w.events]);
    expect(result.explicitAcks.length).toBe(w.events.length * 2 + other.length);
    expect(result.retryMessages).toEqual([]);
  }, 120_000);

  it("every rollup report, whole tenant (admin and manager), equals the model", async () => {
    const want = expected(w, { users: null });
    for (const name of ROLLUP_REPORTS) {
      expect(await report(w.users.admin, name), name).toEqual(want[name]);
      expect(await report(w.users.manager, name), name).toEqual(want[name]);
    }
    // Spot checks of the model itself, by hand.
    expect(want.pipeline.leads).toEqual([
      { status: "new", count: 1 },
      { status: "contacted", count: 1 },
      { status: "qualified", count: 1 },
      { status: "lost", count: 1 },
      { status: "converted", count: 2 },
    ]);
    expect(want["conversion-rate"].overall).toEqual({
      total_leads: 6,
      converted: 2,
      conversion_rate: 33.33,
      avg_days_to_convert: 7.8,
    });
    expect(want["project-performance"].summary.avg_duration_days).toBe(15);
  });

  it("a range across the month boundary (1–30 Nov, tenant's days) and one before it", async () => {
    for (const [start, end] of [
      ["2026-11-01", "2026-11-30"],
      ["2026-10-01", "2026-10-31"],
      ["2026-11-04", "2026-11-04"],
      // Partial months on both sides (month cells inside, day cells at the edges), and open ends.
      ["2026-10-15", "2026-11-15"],
      ["2026-10-31", "2026-11-01"],
      ["2026-09-02", "2026-11-29"],
    ] as const) {
      const want = expected(w, { users: null, start, end });
      const mine = expected(w, { users: ["a2"], start, end });
      for (const name of ROLLUP_REPORTS) {
        expect(
          await report(w.users.admin, name, `start_date=${start}&end_date=${end}`),
          `${name} ${start}`,
        ).toEqual(want[name]);
        expect(
          await report(w.users.a2, name, `start_date=${start}&end_date=${end}`),
          `a2 ${name} ${start}`,
        ).toEqual(mine[name]);
      }
      expect(await report(w.users.admin, "user-activity", `start_date=${start}&end_date=${end}`)).toEqual({
        users: expectedUserActivity(w, start, end),
      });
    }
    for (const [start, end] of [
      ["2026-10-15", undefined],
      [undefined, "2026-11-15"],
    ] as const) {
      const query = [start && `start_date=${start}`, end && `end_date=${end}`].filter(Boolean).join("&");
      const want = expected(w, { users: null, start, end });
      for (const name of ROLLUP_REPORTS) {
        expect(await report(w.users.admin, name, query), `${name} ${query}`).toEqual(want[name]);
      }
    }
    // L1 (23:59 on 31 Oct local) is October's, L2 (00:00 on 1 Nov local, 22:00 UTC on 31 Oct) November's.
    const oct = (await report(w.users.admin, "pipeline", "end_date=2026-10-31")) as {
      leads: { count: number }[];
    };
    expect(oct.leads[0]?.count).toBe(1);
    expect(oct.leads[4]?.count).toBe(0);
  });

  it("visibility: an agent sees only their own and assigned records; user_id is admin-only", async () => {
    for (const who of ["a1", "a2"] as const) {
      const want = expected(w, { users: [who] });
      for (const name of ROLLUP_REPORTS) {
        expect(await report(w.users[who], name), `${who} ${name}`).toEqual(want[name]);
      }
      expect(await report(w.users[who], "follow-ups")).toEqual(expectedFollowUps(w, { users: [who] }));
      expect(await report(w.users[who], "upcoming-tasks", "days_ahead=14")).toEqual({
        tasks: expectedTasks(w, { users: [who] }, 14),
      });
      const res = await call<ErrorEnvelope>("GET", `/api/reports/pipeline?user_id=${w.users.a2.user.id}`, {
        token: w.users[who].token,
      });
      expect(res.status).toBe(403);
    }
    // An admin may narrow to one member.
    const want = expected(w, { users: ["a2"] });
    for (const name of ROLLUP_REPORTS) {
      expect(await report(w.users.admin, name, `user_id=${w.users.a2.user.id}`), name).toEqual(want[name]);
    }
    const agentActivity = await call("GET", "/api/reports/user-activity", { token: w.users.a1.token });
    expect(agentActivity.status).toBe(403);
  });

  it("follow-ups: overdue count and inactive clients and leads, never-contacted first then oldest", async () => {
    const want = expectedFollowUps(w, { users: null });
    expect(await report(w.users.admin, "follow-ups")).toEqual(want);
    expect(want.overdue_interactions).toBe(2);
    expect(want.inactive_clients.map((c) => c.client_name)).toEqual(["Client C6", "Client C2"]);
    expect(want.inactive_clients[1]?.days_since_interaction).toBe(60);
    expect(want.inactive_leads.map((l) => l.lead_name)).toEqual([
      "Lead L2",
      "Lead L5",
      "Lead L6",
      "Lead L3",
      "Lead L1",
    ]);
    expect(await report(w.users.admin, "follow-ups", "inactive_days=50")).toEqual(
      expectedFollowUps(w, { users: null }, 50),
    );
    expect(await report(w.users.admin, "follow-ups", "start_date=2026-11-01")).toEqual(
      expectedFollowUps(w, { users: null, start: "2026-11-01" }),
    );
  });

  it("follow-ups answers the first `limit` inactive clients and leads (default 100, at most 1000)", async () => {
    const want = expectedFollowUps(w, { users: null });
    expect(await report(w.users.admin, "follow-ups", "limit=3")).toEqual({
      ...want,
      inactive_clients: want.inactive_clients.slice(0, 3),
      inactive_leads: want.inactive_leads.slice(0, 3),
    });
    expect(await report(w.users.admin, "follow-ups", "limit=1")).toEqual({
      ...want,
      inactive_clients: want.inactive_clients.slice(0, 1),
      inactive_leads: want.inactive_leads.slice(0, 1),
    });
    expect(await report(w.users.admin, "follow-ups", "limit=1000")).toEqual(want);
    // Without `limit`: the first 100 of a list (101 never-contacted clients and leads in a tenant
    // of their own, inserted as rows: never contacted, so in id order).
    const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
    const admin = await createUser(tenant, ["admin"]);
    const rows = Array.from({ length: 101 }, (_, i) => ({
      tenantId: tenant.id,
      id: uuidv7(),
      name: `N${i}`,
    }));
    await testDb().insert(clients).values(rows);
    await testDb().insert(leads).values(rows);
    const first = [...rows]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, 100)
      .map((r) => r.name);
    const never = { days_since_interaction: null, last_interaction_date: null };
    expect(await report(admin, "follow-ups")).toEqual({
      overdue_interactions: 0,
      inactive_clients: first.map((name) => ({ client_name: name, ...never })),
      inactive_leads: first.map((name) => ({ lead_name: name, ...never })),
    });
    for (const bad of ["limit=0", "limit=1001", "limit=2.5"]) {
      const res = await call("GET", `/api/reports/follow-ups?${bad}`, { token: w.users.admin.token });
      expect(res.status, bad).toBe(400);
    }
  });

  it("upcoming-tasks: the next days_ahead days, soonest first; days_ahead at most 90", async () => {
    expect(await report(w.users.admin, "upcoming-tasks")).toEqual({
      tasks: expectedTasks(w, { users: null }),
    });
    expect(expectedTasks(w, { users: null }).map((t) => t.notes)).toEqual([null, "Q1 planning"]);
    expect(await report(w.users.admin, "upcoming-tasks", "days_ahead=14")).toEqual({
      tasks: expectedTasks(w, { users: null }, 14),
    });
    expect(
      await report(w.users.admin, "upcoming-tasks", `days_ahead=14&user_id=${w.users.a1.user.id}`),
    ).toEqual({
      tasks: expectedTasks(w, { users: ["a1"] }, 14),
    });
    expect(
      (await call("GET", "/api/reports/upcoming-tasks?days_ahead=91", { token: w.users.admin.token })).status,
    ).toBe(400);
  });

  it("revenue-by-client answers the top `limit` clients", async () => {
    const all = expected(w, { users: null })["revenue-by-client"].clients;
    expect(all.length).toBe(3);
    expect(await report(w.users.admin, "revenue-by-client", "limit=2")).toEqual({ clients: all.slice(0, 2) });
    expect(
      (await call("GET", "/api/reports/revenue-by-client?limit=0", { token: w.users.admin.token })).status,
    ).toBe(400);
  });

  it("user-activity (admin): per member, assigned now and created in the range", async () => {
    expect(await report(w.users.admin, "user-activity")).toEqual({ users: expectedUserActivity(w) });
    expect(await report(w.users.admin, "user-activity", "start_date=2026-11-01&end_date=2026-11-30")).toEqual(
      {
        users: expectedUserActivity(w, "2026-11-01", "2026-11-30"),
      },
    );
  });

  it("member emails come back exactly, a quote, a comma and a backslash included", async () => {
    const email = w.users.a2.user.email;
    expect(email).toMatch(/,"q"\\b-/);
    const activity = (await report(w.users.admin, "user-activity")) as { users: { user_email: string }[] };
    expect(activity.users.map((u) => u.user_email)).toContain(email);
    const conversion = (await report(w.users.admin, "conversion-rate")) as {
      by_user: { user_email: string; total_leads: number }[];
    };
    const a2 = conversion.by_user.find((u) => u.user_email === email);
    expect(a2?.total_leads).toBe(live(LEADS).filter((l) => l.assigned === "a2").length);
  });

  it("bad input is a 400: start after end, a bad date, an unknown parameter; a non-member user_id is a 404", async () => {
    for (const query of [
      "start_date=2026-11-02&end_date=2026-11-01",
      "start_date=2026-13-01",
      "tenant_id=x",
    ]) {
      const res = await call<ErrorEnvelope>("GET", `/api/reports/pipeline?${query}`, {
        token: w.users.admin.token,
      });
      expect(res.status, query).toBe(400);
    }
    const stranger = await createUser(await createTenant(), ["admin"]);
    const res = await call<ErrorEnvelope>("GET", `/api/reports/pipeline?user_id=${stranger.user.id}`, {
      token: w.users.admin.token,
    });
    expect(res.status).toBe(404);
  });

  it("CSV: format=csv and Accept: text/csv answer the main table", async () => {
    const res = await call("GET", "/api/reports/lead-source?format=csv", { token: w.users.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const want = expected(w, { users: null })["lead-source"].sources;
    expect(res.text).toBe(
      `source,total_leads,converted,qualified,conversion_rate\r\n${want
        .map((s) => `${s.source},${s.total_leads},${s.converted},${s.qualified},${s.conversion_rate}`)
        .join("\r\n")}\r\n`,
    );
    const accept = await call("GET", "/api/reports/pipeline", {
      token: w.users.admin.token,
      headers: { accept: "text/csv" },
    });
    expect(accept.text.split("\r\n")[0]).toBe("status,count,total_value");
  });

  it("the nightly rebuild and the quarter-hour refresh give the same cells (twice each changes nothing)", async () => {
    const applied = withoutTimes(await cells(w.tenantId));
    expect(applied.leads.length).toBeGreaterThan(0);
    await runCron(CRON_NIGHTLY, new Date());
    expect(withoutTimes(await cells(w.tenantId))).toEqual(applied);
    await runCron(CRON_NIGHTLY, new Date());
    expect(withoutTimes(await cells(w.tenantId))).toEqual(applied);
    await runCron(CRON_REPORTS, new Date());
    await runCron(CRON_REPORTS, new Date());
    expect(withoutTimes(await cells(w.tenantId))).toEqual(applied);
  });

  it("the coarse cells equal the day cells summed per member and period, through redelivery, crons and the rebuild", async () => {
    const model = coarseModel(await cells(w.tenantId));
    expect(model.length).toBeGreaterThan(0);
    expect(await coarse(w.tenantId)).toEqual(model);
    // A redelivery of every event changes nothing.
    await deliver(w.events);
    expect(await coarse(w.tenantId)).toEqual(model);
    await runCron(CRON_REPORTS, new Date());
    await runCron(CRON_REPORTS, new Date());
    expect(await coarse(w.tenantId)).toEqual(model);
    await runCron(CRON_NIGHTLY, new Date());
    await runCron(CRON_NIGHTLY, new Date());
    expect(await coarse(w.tenantId)).toEqual(model);
    // A change (status, assignee) moves figures between cells; redelivered, it still adds up.
    const lead = w.ids.get("L5") as string;
    const patched = await call("PATCH", `/api/leads/${lead}`, {
      token: w.users.admin.token,
      body: { lead_status: "lost", assigned_to: w.users.a1.user.id },
    });
    expect(patched.status, patched.text).toBe(200);
    await deliver([crmChanged(w.tenantId, "lead", lead), crmChanged(w.tenantId, "lead", lead)]);
    const changed = coarseModel(await cells(w.tenantId));
    expect(changed).not.toEqual(model);
    expect(await coarse(w.tenantId)).toEqual(changed);
    await runCron(CRON_NIGHTLY, new Date());
    expect(await coarse(w.tenantId)).toEqual(changed);
    const back = await call("PATCH", `/api/leads/${lead}`, {
      token: w.users.admin.token,
      body: { lead_status: "contacted", assigned_to: null },
    });
    expect(back.status, back.text).toBe(200);
    await deliver([crmChanged(w.tenantId, "lead", lead)]);
    expect(await coarse(w.tenantId)).toEqual(coarseModel(await cells(w.tenantId)));
  });

  it("a write shows in the reports after one queue delivery (a status change moves the lead's cell)", async () => {
    const id = w.ids.get("L5") as string;
    const res = await call("PATCH", `/api/leads/${id}`, {
      token: w.users.a2.token,
      body: { lead_status: "qualified" },
    });
    expect(res.status).toBe(200);
    await deliver([crmChanged(w.tenantId, "lead", id)]);
    const pipeline = (await report(w.users.admin, "pipeline")) as {
      leads: { status: string; count: number }[];
    };
    expect(pipeline.leads.find((l) => l.status === "contacted")?.count).toBe(0);
    expect(pipeline.leads.find((l) => l.status === "qualified")?.count).toBe(2);
    await call("PATCH", `/api/leads/${id}`, { token: w.users.a2.token, body: { lead_status: "contacted" } });
    await deliver([crmChanged(w.tenantId, "lead", id)]);
    expect(await report(w.users.admin, "pipeline")).toEqual(expected(w, { users: null }).pipeline);
  });
});

describeTenantIsolation({
  name: "GET /api/reports/upcoming-tasks?user_id=",
  method: "GET",
  path: (id) => `/api/reports/upcoming-tasks?user_id=${id}`,
  permission: "crm:read",
  create: async (tenant) => (await createUser(tenant, ["agent"])).user.id,
  snapshot: async () => null,
});

describe("CRM writes reach the reports through the queue by themselves (the kit's emits)", () => {
  type Pipeline = { leads: { status: string; count: number }[] };
  type Retention = { status_breakdown: { status: string; count: number }[] };

  it("an interaction moved to another client and lead corrects the last interaction of both old and new", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const db = testDb();
    const [clientA, clientB] = [
      await postOk(admin, "/api/clients", { name: "Client A", status: "active" }),
      await postOk(admin, "/api/clients", { name: "Client B", status: "active" }),
    ];
    const [leadA, leadB] = [
      await postOk(admin, "/api/leads", { name: "Lead A", lead_status: "new" }),
      await postOk(admin, "/api/leads", { name: "Lead B", lead_status: "new" }),
    ];
    const start = "2026-11-02T09:00:00.000Z";
    const interaction = await postOk(admin, "/api/interactions", {
      title: "Moved",
      type: "Call",
      start_date_time: start,
      client_id: clientA,
      lead_id: leadA,
    });
    const last = async () => {
      const at = async (table: typeof clients | typeof leads, id: string) =>
        (
          await db.select({ at: table.lastInteractionAt }).from(table).where(eq(table.id, id))
        )[0]?.at?.toISOString() ?? null;
      return [
        await at(clients, clientA),
        await at(clients, clientB),
        await at(leads, leadA),
        await at(leads, leadB),
      ];
    };
    expect(await eventually(last, (v) => v[0] === start && v[2] === start)).toEqual([
      start,
      null,
      start,
      null,
    ]);
    const moved = await call("PATCH", `/api/interactions/${interaction}`, {
      token: admin.token,
      body: { client_id: clientB, lead_id: leadB },
    });
    expect(moved.status, moved.text).toBe(200);
    // Without a cron: the update's event names the client and lead it left.
    expect(await eventually(last, (v) => v[0] === null && v[2] === null && v[1] === start)).toEqual([
      null,
      start,
      null,
      start,
    ]);
    // A body that names the same links moves nothing and leaves the figures alone.
    const same = await call("PATCH", `/api/interactions/${interaction}`, {
      token: admin.token,
      body: { client_id: clientB, title: "Moved again" },
    });
    expect(same.status, same.text).toBe(200);
    expect(await last()).toEqual([null, start, null, start]);
  }, 60_000);

  it("create, delete, trash restore and lead conversion each show up without a cron", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const leadCount = async (status: string) =>
      ((await report(admin, "pipeline")) as Pipeline).leads.find((l) => l.status === status)?.count ?? -1;
    const lead = await postOk(admin, "/api/leads", { name: "Queued lead", lead_status: "qualified" });
    expect(
      await eventually(
        () => leadCount("qualified"),
        (n) => n === 1,
      ),
    ).toBe(1);

    expect((await call("DELETE", `/api/leads/${lead}`, { token: admin.token })).status).toBe(204);
    expect(
      await eventually(
        () => leadCount("qualified"),
        (n) => n === 0,
      ),
    ).toBe(0);

    expect((await call("POST", `/api/trash/lead/${lead}/restore`, { token: admin.token })).status).toBe(200);
    expect(
      await eventually(
        () => leadCount("qualified"),
        (n) => n === 1,
      ),
    ).toBe(1);

    const converted = await call("POST", `/api/leads/${lead}/convert`, { token: admin.token, body: {} });
    expect(converted.status, converted.text).toBe(200);
    expect(
      await eventually(
        () => leadCount("converted"),
        (n) => n === 1,
      ),
    ).toBe(1);
    const newClients = async () =>
      ((await report(admin, "client-retention")) as Retention).status_breakdown.reduce(
        (a, s) => a + s.count,
        0,
      );
    expect(await eventually(newClients, (n) => n === 1)).toBe(1);
  }, 60_000);
});
