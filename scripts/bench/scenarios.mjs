// The benchmark's scenarios and the load loop: autocannon on 127.0.0.1, bounded in time (or in
// requests for --smoke), one scenario at a time. Each request of a scenario is built by the
// scenario's `next()` (fresh tokens, visit ids, bodies); each response's status, latency and
// `Server-Timing` round trips are recorded, and a few requests are also sampled with fetch before
// and after the run.
import autocannon from "autocannon";

const TRIPS_RE = /desc="(\d+) round trips"/;
const JSON_HEADERS = { "content-type": "application/json" };
const ZERO_UUID = "00000000-0000-7000-8000-000000000000";

/** Round trips from a Server-Timing value, or null. */
export function tripsOf(serverTiming) {
  const m = TRIPS_RE.exec(Array.isArray(serverTiming) ? serverTiming.join(",") : (serverTiming ?? ""));
  return m ? Number(m[1]) : null;
}

function headerValue(headers, name) {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** POST /api/auth/login through the API; returns the session (`data`). */
export async function login(base, email, password) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ email, password }),
  });
  const body = await res.json().catch(() => null);
  if (res.status !== 200) throw new Error(`login ${email} → ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

const auth = (token) => ({ authorization: `Bearer ${token}` });

/** A sync cursor (src/modules/sync/sync.schemas.ts: base64url JSON) positioned at time `ms`. */
function syncCursor(ms) {
  const t = new Date(ms).toISOString().replace(/Z$/, "000Z");
  const json = JSON.stringify({ t, k: "", i: "00000000-0000-0000-0000-000000000000" });
  return Buffer.from(json).toString("base64url");
}

/**
 * The scenarios against the seeded big tenant. `actors` comes from seed.mjs benchActors(),
 * `sessions` from logins through the API. Each scenario: id, title, the request shown in the
 * report, who sends it, `next()` building each request and optional `onResponse`.
 * @param {{ base: string, actors: any, sessions: any, password: string, connections: number, openVisits: (n: number) => Promise<string[]> }} c
 */
export function buildScenarios({ base, actors, sessions, password, connections, openVisits }) {
  const { admin, manager, agent } = sessions;
  const now = Date.now();
  const daysAgo = (d) => new Date(now - d * 86_400_000).toISOString();
  const visitIds = actors.visitIds;
  const dealIds = actors.dealIds.length ? actors.dealIds : [ZERO_UUID];
  let dealIndex = 0;
  let stageSeq = 0;
  let detailIndex = 0;
  let loginIndex = 0;
  let clientSeq = 0;
  let finderPage = 0;
  const runTag = Math.random().toString(36).slice(2, 8);
  const refreshPool = [];
  const kiosk = actors.kioskEmployees;
  let kioskSeq = 0;
  const completionPool = [];
  const answers = actors.survey.questions.map((q, i) => ({
    question_id: q.id,
    value:
      q.type === "single_choice"
        ? ["low", "medium", "high"][i % 3]
        : q.type === "number"
          ? 12
          : q.type === "boolean"
            ? true
            : q.type === "rating"
              ? 4
              : "ok",
  }));

  const get = (path, token) => () => ({ method: "GET", path, headers: token ? auth(token) : {} });
  const json = (method, path, token, body) => ({
    method,
    path,
    headers: { ...JSON_HEADERS, ...(token ? auth(token) : {}) },
    body: JSON.stringify(body),
  });
  const parse = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };

  const isoDay = (d) => daysAgo(d).slice(0, 10);
  const quarter = `start_date=${isoDay(89)}&end_date=${isoDay(0)}`;
  const managerFilter = `/api/visits?from=${encodeURIComponent(daysAgo(30))}&page_size=25`;
  const adminFilter = `/api/visits?agent_id=${actors.subtreeAgentId}&from=${encodeURIComponent(daysAgo(90))}&page_size=25`;

  return [
    {
      id: "floor",
      title: "floor: select 1",
      request: "GET /api/bench/floor",
      actor: "agent",
      next: get("/api/bench/floor", agent.access_token),
    },
    {
      id: "health_live",
      title: "health (no database)",
      request: "GET /api/health",
      actor: "anonymous",
      next: get("/api/health"),
    },
    {
      id: "health_ready",
      title: "health/ready",
      request: "GET /api/health/ready",
      actor: "anonymous",
      next: get("/api/health/ready"),
    },
    {
      id: "login",
      title: "login",
      request: "POST /api/auth/login",
      actor: "50 agents in turn",
      next: () => {
        const email = actors.agents[loginIndex++ % actors.agents.length];
        return json("POST", "/api/auth/login", null, { email, password });
      },
    },
    {
      id: "refresh",
      title: "refresh (rotating chain)",
      request: "POST /api/auth/refresh",
      actor: "agent, a fresh refresh token per request",
      /**
       * Every connection needs a token of its own chain. A run that stops with requests in flight
       * loses their new tokens, so the pool is topped up with fresh logins before each phase.
       */
      prepare: async () => {
        const missing = connections + 2 - refreshPool.length;
        if (missing <= 0) return;
        const logins = await Promise.all(
          Array.from({ length: missing }, (_, i) =>
            login(base, actors.agents[i % actors.agents.length], password),
          ),
        );
        for (const s of logins) refreshPool.push(s.refresh_token);
      },
      next: () =>
        json("POST", "/api/auth/refresh", null, { refresh_token: refreshPool.shift() ?? "rt_exhausted" }),
      onResponse: (status, text) => {
        if (status === 200) {
          const token = parse(text)?.data?.refresh_token;
          if (token) refreshPool.push(token);
        }
      },
    },
    {
      id: "users_list",
      title: "users list",
      request: "GET /api/users?page_size=25",
      actor: "admin",
      next: get("/api/users?page_size=25", admin.access_token),
    },
    {
      id: "brands_list",
      title: "brands list",
      request: "GET /api/brands",
      actor: "agent",
      next: get("/api/brands", agent.access_token),
    },
    {
      id: "visits_list_manager",
      title: "visits page, manager (subtree), last 30 days",
      request: "GET /api/visits?from=<30 days ago>&page_size=25",
      actor: "area manager (subtree scope)",
      next: get(managerFilter, manager.access_token),
    },
    {
      id: "visits_list_admin",
      title: "visits page, admin, one agent, last 90 days",
      request: "GET /api/visits?agent_id=<agent>&from=<90 days ago>&page_size=25",
      actor: "admin (tenant scope)",
      next: get(adminFilter, admin.access_token),
    },
    {
      id: "visit_detail",
      title: "visit detail (answers, photos)",
      request: "GET /api/visits/:id",
      actor: "admin, 500 visits in turn",
      next: () => get(`/api/visits/${visitIds[detailIndex++ % visitIds.length]}`, admin.access_token)(),
    },
    {
      id: "visit_start",
      title: "start visit",
      request: "POST /api/visits",
      actor: "agent",
      next: () =>
        json("POST", "/api/visits", agent.access_token, {
          survey_id: actors.survey.id,
          shop_id: actors.shop.id,
          lat: actors.shop.lat + 0.0003,
          lng: actors.shop.lng - 0.0002,
          accuracy_m: 8,
          client_id: `bench-${runTag}-${++clientSeq}`,
        }),
      onResponse: (status, text) => {
        if (status === 201) {
          const id = parse(text)?.data?.id;
          if (id) completionPool.push(id);
        }
      },
    },
    {
      id: "visit_complete",
      title: "complete visit (4 answers)",
      request: "PUT /api/visits/:id/complete",
      actor: "agent, a fresh in-progress visit per request",
      /** Visits started by the previous scenario, topped up in SQL so the pool cannot run dry. */
      prepare: async ({ expectedRequests }) => {
        const missing = expectedRequests - completionPool.length;
        if (missing > 0) completionPool.push(...(await openVisits(missing)));
      },
      next: () =>
        json("PUT", `/api/visits/${completionPool.shift() ?? ZERO_UUID}/complete`, agent.access_token, {
          answers,
          photo_ids: [],
        }),
    },
    {
      id: "photo_register",
      title: "register photo (upload URL)",
      request: "POST /api/photos",
      actor: "agent",
      next: () =>
        json("POST", "/api/photos", agent.access_token, {
          visit_id: actors.agentVisitId,
          purpose: "shelf",
          content_type: "image/jpeg",
          size: 350_000,
        }),
    },
    {
      id: "analytics_overview",
      title: "analytics overview (last 30 days vs the 30 before), manager",
      request: "GET /api/analytics/overview",
      actor: "area manager (subtree scope)",
      next: get("/api/analytics/overview", manager.access_token),
    },
    {
      id: "analytics_overview_admin",
      title: "analytics overview (90 days vs the 90 before), admin",
      request: "GET /api/analytics/overview?start_date=<89 days ago>&end_date=<today>",
      actor: "admin (tenant scope)",
      next: get(`/api/analytics/overview?${quarter}`, admin.access_token),
    },
    {
      id: "analytics_visits_series",
      title: "visits time series, 90 days by day, manager",
      request: "GET /api/analytics/visits?interval=day&start_date=<89 days ago>&end_date=<today>",
      actor: "area manager (subtree scope)",
      next: get(`/api/analytics/visits?interval=day&${quarter}`, manager.access_token),
    },
    {
      id: "analytics_visits_series_week",
      title: "visits time series, 90 days by ISO week, admin",
      request: "GET /api/analytics/visits?interval=week&start_date=<89 days ago>&end_date=<today>",
      actor: "admin (tenant scope)",
      next: get(`/api/analytics/visits?interval=week&${quarter}`, admin.access_token),
    },
    {
      id: "analytics_shelf_share",
      title: "shelf share by brand and region, 90 days, manager",
      request: "GET /api/analytics/shelf_share?group_by=region&start_date=<89 days ago>&end_date=<today>",
      actor: "area manager (subtree scope)",
      next: get(`/api/analytics/shelf_share?group_by=region&${quarter}`, manager.access_token),
    },
    {
      id: "sync_snapshot",
      title: "offline sync, first page of a full snapshot (500 rows), agent",
      request: "GET /api/sync?limit=500",
      actor: "agent (own scope)",
      next: get("/api/sync?limit=500", agent.access_token),
    },
    {
      id: "sync_incremental",
      title: "offline sync since a cursor of a minute ago, agent",
      request: "GET /api/sync?since=<cursor of a minute ago>",
      actor: "agent (own scope)",
      next: get(`/api/sync?since=${syncCursor(now - 60_000)}`, agent.access_token),
    },
    {
      id: "goals_progress",
      title: "goals progress (monthly visits goal, every agent assigned via teams), manager",
      request: "GET /api/goals/:id/progress",
      actor: "area manager (subtree scope)",
      next: get(`/api/goals/${actors.visitsGoalId}/progress`, manager.access_token),
    },
    {
      id: "goals_progress_shelf_admin",
      title: "goals progress (monthly shelf share of a brand, every agent), admin",
      request: "GET /api/goals/:id/progress",
      actor: "admin (tenant scope)",
      next: get(`/api/goals/${actors.shelfGoalId}/progress`, admin.access_token),
    },
    {
      id: "call_cycle_status",
      title: "call-cycle status (this ISO week + the next 14 days), manager",
      request: "GET /api/call_cycles/<a subtree agent's cycle>/status",
      actor: "area manager (subtree scope)",
      next: get(`/api/call_cycles/${actors.callCycleId ?? ZERO_UUID}/status`, manager.access_token),
    },
    {
      id: "attendance_check_in",
      title: "attendance check-in (kiosk, face match, geofence, trust score)",
      request: "POST /api/attendance/check-in",
      actor: "admin as kiosk, a different employee (or day) per request, their enrolled face",
      next: () => {
        const n = kioskSeq++;
        const e = kiosk[n % kiosk.length];
        // Today and yesterday are free in the seed: each (employee, day) checks in once.
        const day = Math.floor(n / kiosk.length) % 2;
        return json("POST", "/api/attendance/check-in", admin.access_token, {
          employee_id: e.id,
          embedding: e.vector,
          lat: e.lat + 0.0002,
          lng: e.lng,
          accuracy_m: 12,
          client_id: `bench-in-${runTag}-${n}`,
          taken_at: new Date(now - day * 86_400_000 - 60_000).toISOString(),
        });
      },
    },
    {
      id: "attendance_identify",
      title: `kiosk face identification over the tenant's ${actors.counts.tenant_faces?.toLocaleString("en")} descriptors`,
      request: "POST /api/attendance/identify",
      actor: "admin as kiosk",
      next: () =>
        json("POST", "/api/attendance/identify", admin.access_token, {
          embedding: kiosk[kioskSeq++ % kiosk.length].vector,
        }),
    },
    {
      id: "attendance_summary",
      title: "attendance summary per department and day, 30 days, admin",
      request: "GET /api/attendance/summary?from=<30 days ago>&to=<today>",
      actor: "admin (tenant scope)",
      next: get(
        `/api/attendance/summary?from=${daysAgo(29).slice(0, 10)}&to=${daysAgo(0).slice(0, 10)}`,
        admin.access_token,
      ),
    },
    {
      id: "interactions_list",
      title: "interactions list (the Finder without a search), agent",
      request: "GET /api/interactions?page_size=25",
      actor: "agent (own: created or assigned)",
      next: get("/api/interactions?page_size=25", agent.access_token),
    },
    {
      id: "finder_common_word",
      title: "Finder: a common word, whole tenant",
      request: "GET /api/interactions?q=meeting&view=all&page=<n, a new one each time: cache misses>",
      actor: "admin (view=all)",
      // Every request another page: always a cache miss, so the search itself is measured.
      next: () => ({
        method: "GET",
        path: `/api/interactions?q=meeting&view=all&page=${(finderPage++ % 100_000) + 1}`,
        headers: auth(admin.access_token),
      }),
    },
    {
      id: "finder_rare_word",
      title: "Finder: a rare word, whole tenant",
      request: "GET /api/interactions?q=zeppelin&view=all&page=<n, a new one each time: cache misses>",
      actor: "admin (view=all)",
      // Every request another page: always a cache miss, so the search itself is measured.
      next: () => ({
        method: "GET",
        path: `/api/interactions?q=zeppelin&view=all&page=${(finderPage++ % 100_000) + 1}`,
        headers: auth(admin.access_token),
      }),
    },
    {
      id: "finder_typo",
      title: "Finder: a typo (trigram), whole tenant",
      request: "GET /api/interactions?q=quartrly&view=all&page=<n, a new one each time: cache misses>",
      actor: "admin (view=all)",
      // Every request another page: always a cache miss, so the search itself is measured.
      next: () => ({
        method: "GET",
        path: `/api/interactions?q=quartrly&view=all&page=${(finderPage++ % 100_000) + 1}`,
        headers: auth(admin.access_token),
      }),
    },
    {
      id: "finder_cached",
      title: "Finder: a common word, the same page again (cache hits)",
      request: "GET /api/interactions?q=meeting&view=all",
      actor: "admin (view=all)",
      next: get("/api/interactions?q=meeting&view=all", admin.access_token),
    },
    {
      id: "finder_agent",
      title: "Finder: seed 001's parameters, agent",
      request: "GET /api/interactions?search=marketing&sort=startDateTime&direction=desc&pageSize=25",
      actor: "agent (own)",
      next: get(
        "/api/interactions?search=marketing&sort=startDateTime&direction=desc&pageSize=25",
        agent.access_token,
      ),
    },
    {
      id: "search_cross_entity",
      title: "cross-entity search (clients, leads, contacts, accounts, projects, interactions)",
      request: "GET /api/search?q=quartrly&view=all",
      actor: "admin (view=all)",
      next: get("/api/search?q=quartrly&view=all", admin.access_token),
    },
    {
      id: "leads_list",
      title: "CRM leads list, agent",
      request: "GET /api/leads?page_size=25",
      actor: "agent (own: created or assigned)",
      next: get("/api/leads?page_size=25", agent.access_token),
    },
    {
      id: "leads_list_admin_all",
      title: "CRM leads list, admin page, filtered",
      request: "GET /api/leads?view=all&lead_status=qualified&include_total=true",
      actor: "admin (view=all)",
      next: get("/api/leads?view=all&lead_status=qualified&include_total=true", admin.access_token),
    },
    // The deals pipeline (seed 004): the big tenant's deals (tenant scope: admin).
    {
      id: "deals_list",
      title: "deals list, admin, open deals",
      request: "GET /api/deals?status=open&page_size=25",
      actor: "admin (tenant scope)",
      next: get("/api/deals?status=open&page_size=25", admin.access_token),
    },
    {
      id: "deal_detail",
      title: "deal detail",
      request: "GET /api/deals/:id",
      actor: "admin, 500 deals in turn",
      next: () => get(`/api/deals/${dealIds[dealIndex++ % dealIds.length]}`, admin.access_token)(),
    },
    {
      id: "deal_activities",
      title: "deal activities (its history)",
      request: "GET /api/deals/:id/activities",
      actor: "admin, 500 deals in turn",
      next: () => get(`/api/deals/${dealIds[dealIndex++ % dealIds.length]}/activities`, admin.access_token)(),
    },
    {
      id: "deal_stage_change",
      title: "deal stage change (with its activity, one statement)",
      request: "PATCH /api/deals/:id {stage}",
      actor: "admin, 500 deals in turn, proposal ⇄ negotiation",
      next: () => {
        const n = stageSeq++;
        const id = dealIds[n % dealIds.length];
        const stage = Math.floor(n / dealIds.length) % 2 === 0 ? "negotiation" : "proposal";
        return json("PATCH", `/api/deals/${id}`, admin.access_token, { stage });
      },
    },
    {
      id: "deals_summary",
      title: "deals summary by status, 90 days",
      request: "GET /api/analytics/deals/summary?start_date=<89 days ago>&end_date=<today>",
      actor: "admin (tenant scope)",
      next: get(`/api/analytics/deals/summary?${quarter}`, admin.access_token),
    },
    {
      id: "deals_funnel",
      title: "deals funnel, 90 days",
      request: "GET /api/analytics/deals/funnel?start_date=<89 days ago>&end_date=<today>",
      actor: "admin (tenant scope)",
      next: get(`/api/analytics/deals/funnel?${quarter}`, admin.access_token),
    },
    // The ten CRM reports (seed 003 Part 2): rollups, except the two point-in-time lists.
    ...[
      ["pipeline", ""],
      ["lead-source", ""],
      ["conversion-rate", ""],
      ["revenue-by-client", ""],
      ["user-activity", ""],
      ["follow-ups", ""],
      ["client-retention", ""],
      ["project-performance", ""],
      ["upcoming-tasks", "?days_ahead=7"],
      ["revenue-forecast", ""],
    ].map(([name, query]) => ({
      id: `report_${name.replace(/-/g, "_")}`,
      title: `CRM report ${name}, whole tenant`,
      request: `GET /api/reports/${name}${query}`,
      actor: "admin (crm:read_all)",
      next: get(`/api/reports/${name}${query}`, admin.access_token),
    })),
    {
      id: "report_pipeline_agent",
      title: "CRM report pipeline, own and assigned records",
      request: "GET /api/reports/pipeline?start_date=2026-01-01",
      actor: "agent (own: created or assigned)",
      next: get("/api/reports/pipeline?start_date=2026-01-01", agent.access_token),
    },
  ];
}

/**
 * Analytics endpoints DESIGN §4 names that have no scenario above yet; each is benchmarked once it
 * exists, skipped until then (overview, visits and shelf_share are scenarios of their own).
 */
export const ANALYTICS_CANDIDATES = ["/api/analytics/call_cycle_coverage"];

/**
 * Which analytics endpoints exist: a route that does not exist answers 404 "No route for …".
 * Existing ones become scenarios (GET as admin); those answering non-2xx to a bare GET are reported.
 */
export async function probeAnalytics(base, token) {
  const scenarios = [];
  const skipped = [];
  for (const path of ANALYTICS_CANDIDATES) {
    const res = await fetch(`${base}${path}`, { headers: auth(token) });
    const body = await res.json().catch(() => null);
    if (res.status === 404 && /^No route/.test(body?.error?.message ?? "")) {
      skipped.push({ request: `GET ${path}`, reason: "the route does not exist yet" });
    } else if (res.status >= 200 && res.status < 300) {
      scenarios.push({
        id: `analytics_${path.split("/").pop().replace(/-/g, "_")}`,
        title: `analytics ${path.split("/").pop()}`,
        request: `GET ${path}`,
        actor: "admin",
        next: () => ({ method: "GET", path, headers: auth(token) }),
      });
    } else {
      skipped.push({
        request: `GET ${path}`,
        reason: `exists but answered ${res.status} to a bare GET: give it parameters in scripts/bench/scenarios.mjs`,
      });
    }
  }
  return { scenarios, skipped };
}

async function sample(base, scenario, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const req = scenario.next();
    const started = performance.now();
    const res = await fetch(`${base}${req.path}`, {
      method: req.method,
      headers: req.headers,
      body: req.body,
    });
    const text = await res.text();
    const ms = performance.now() - started;
    scenario.onResponse?.(res.status, text);
    out.push({ status: res.status, ms: round(ms), round_trips: tripsOf(res.headers.get("server-timing")) });
  }
  return out;
}

function round(n, digits = 2) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const roundOrNull = (n) => (n === null ? null : round(n));

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** One autocannon run of `scenario`; latencies of 2xx responses, every status and round trip. */
export function load(base, scenario, { connections, duration, amount }) {
  const latencies = [];
  const trips = new Map();
  const statuses = new Map();
  let firstError = null;
  let responses = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        ...(amount ? { amount } : { duration }),
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const next = scenario.next();
              return { ...req, ...next, headers: { ...req.headers, ...next.headers } };
            },
            onResponse: (status, body, _context, headers) => {
              scenario.onResponse?.(status, body);
              const t = tripsOf(headerValue(headers, "server-timing"));
              if (status >= 200 && status < 300) {
                const key = t === null ? "unknown" : String(t);
                trips.set(key, (trips.get(key) ?? 0) + 1);
              } else if (!firstError) {
                firstError = { status, body: String(body).slice(0, 300) };
              }
            },
          },
        ],
      },
      (err, result) =>
        err
          ? reject(err)
          : resolve({
              result,
              latencies,
              trips,
              statuses,
              firstError,
              responses,
              elapsed: (performance.now() - started) / 1000,
            }),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      responses++;
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/**
 * Runs one scenario: prepare, sample, warm up, measure, sample again.
 * @returns the scenario's figures (latencies in ms).
 */
/**
 * Runs one scenario: samples, warm-up, the measured load, samples again. With `cpu` (snapshot and
 * perRequest from cpu.mjs), the CPU each process of the stack spent per request during the
 * measured load alone.
 */
export async function runScenario(
  base,
  scenario,
  { connections, duration, warmup, amount, samples = 3, expectedRps = 2000, cpu },
) {
  // How many requests this run may send at most (pools of single-use inputs are sized from it).
  // Pools of single-use inputs (refresh tokens, open visits) are topped up before each phase.
  const phase = async (requests) =>
    scenario.prepare?.({ expectedRequests: Math.ceil(requests) + connections + 5 });
  await phase(samples);
  const before = await sample(base, scenario, samples);
  if (warmup > 0 && !amount) {
    await phase(warmup * expectedRps * 1.5);
    await load(base, scenario, { connections, duration: warmup });
  }
  await phase(amount ?? duration * expectedRps * 1.5);
  const cpuBefore = cpu?.snapshot();
  const run = await load(base, scenario, { connections, duration, amount });
  const cpuMs = cpu ? cpu.perRequest(cpuBefore, cpu.snapshot(), run.responses) : undefined;
  await phase(samples);
  const after = await sample(base, scenario, samples);
  const sorted = run.latencies.sort((a, b) => a - b);
  const elapsed = run.elapsed;
  const ok = sorted.length;
  const non2xx = run.responses - ok;
  const socketErrors = run.result.errors;
  const tripCounts = Object.fromEntries([...run.trips.entries()].sort());
  const known = [...run.trips.entries()].filter(([k]) => k !== "unknown");
  const tripTotal = known.reduce((s, [k, n]) => s + Number(k) * n, 0);
  const tripN = known.reduce((s, [, n]) => s + n, 0);
  return {
    id: scenario.id,
    title: scenario.title,
    request: scenario.request,
    actor: scenario.actor,
    connections,
    duration_s: round(elapsed, 2),
    requests: run.responses,
    ok,
    rps: round(run.responses / elapsed, 1),
    latency_ms: {
      p50: roundOrNull(percentile(sorted, 50)),
      p95: roundOrNull(percentile(sorted, 95)),
      p99: roundOrNull(percentile(sorted, 99)),
      mean: ok ? round(sorted.reduce((s, v) => s + v, 0) / ok) : null,
      max: roundOrNull(ok ? sorted[ok - 1] : null),
    },
    errors: {
      total: non2xx + socketErrors,
      non_2xx: non2xx,
      socket: socketErrors,
      timeouts: run.result.timeouts,
      statuses: Object.fromEntries(run.statuses),
      first: run.firstError,
    },
    round_trips: {
      per_response: tripCounts,
      mean: tripN ? round(tripTotal / tripN, 2) : null,
      min: tripN ? Math.min(...known.map(([k]) => Number(k))) : null,
      max: tripN ? Math.max(...known.map(([k]) => Number(k))) : null,
      sampled_before: before,
      sampled_after: after,
    },
    ...(cpuMs ? { cpu_ms_per_request: cpuMs } : {}),
  };
}
