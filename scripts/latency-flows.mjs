#!/usr/bin/env node
// Sequential latency of the identity and field-sales hot paths against a running API, as the
// closing notes report them: `AUTH_RATE_LIMITS=off npm run dev`, then
//   node scripts/latency-flows.mjs [--n 200] [--base http://127.0.0.1:8787]
// Uses the demo tenant's admin and agent. Prints, per flow: n, statuses, median, p95 and the
// database round trips from Server-Timing. Writes demo rows (users, a survey, visits).
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "200" },
    base: { type: "string", default: "http://127.0.0.1:8787" },
  },
});
const N = Number(values.n);
const api = `${values.base}/api`;

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const started = performance.now();
  const res = await fetch(`${api}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const trips = /desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "")?.[1];
  return {
    status: res.status,
    ms,
    trips: trips === undefined ? null : Number(trips),
    json: text ? JSON.parse(text) : null,
  };
}

function report(name, samples) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const statuses = [...new Set(samples.map((s) => s.status))].join(",");
  const trips = [...new Set(samples.map((s) => s.trips))].join(",");
  console.log(
    `${name.padEnd(34)} n=${samples.length}  status=${statuses}  median=${pct(50).toFixed(2)} ms  p95=${pct(95).toFixed(2)} ms  db round trips=${trips}`,
  );
}

/** Runs `step` N times after 10 warm-up runs; `step` returns the measured call. */
async function flow(name, step) {
  for (let i = 0; i < 10; i++) await step(-1 - i);
  const samples = [];
  for (let i = 0; i < N; i++) samples.push(await step(i));
  report(name, samples);
}

const login = (email, password) => call("POST", "/auth/login", { body: { email, password } });
const admin = (await login("admin@demo.sales-sync.test", "Demo-Admin-2026!")).json.data;
const agent = (await login("agent@demo.sales-sync.test", "Demo-Agent-2026!")).json.data;
if (!admin || !agent) throw new Error("demo login failed: is `npm run dev` running with the demo seed?");

await flow("POST /api/auth/login", () => login("agent@demo.sales-sync.test", "Demo-Agent-2026!"));

let refreshToken = (await login("agent@demo.sales-sync.test", "Demo-Agent-2026!")).json.data.refresh_token;
await flow("POST /api/auth/refresh (chained)", async () => {
  const res = await call("POST", "/auth/refresh", { body: { refresh_token: refreshToken } });
  refreshToken = res.json?.data?.refresh_token ?? refreshToken;
  return res;
});

await flow("GET /api/users", () => call("GET", "/users", { token: admin.access_token }));

const run = Date.now().toString(36);
await flow("POST /api/users", (i) =>
  call("POST", "/users", {
    token: admin.access_token,
    body: {
      email: `latency-${run}-${i}@demo.sales-sync.test`,
      password: "Latency-Passw0rd",
      first_name: "Latency",
      last_name: `User ${i}`,
    },
  }),
);

const survey = (
  await call("POST", "/surveys", {
    token: admin.access_token,
    body: {
      title: `Latency survey ${run}`,
      visit_type: "shop",
      questions: [
        { prompt: "Facings", type: "number", is_required: true, min_value: 0, max_value: 500 },
        {
          prompt: "Display",
          type: "single_choice",
          options: [
            { value: "good", label: "Good" },
            { value: "poor", label: "Poor" },
          ],
        },
        { prompt: "Price tags visible", type: "boolean" },
      ],
    },
  })
).json.data;
const shop = (
  await call("POST", "/shops", {
    token: admin.access_token,
    body: { name: `Latency shop ${run}`, lat: -26.2041, lng: 28.0473 },
  })
).json.data;
const [facings, display, tags] = survey.questions.map((q) => q.id);
const start = () =>
  call("POST", "/visits", {
    token: agent.access_token,
    body: { survey_id: survey.id, shop_id: shop.id, lat: -26.2042, lng: 28.0474, accuracy_m: 5 },
  });

const visitIds = [];
await flow("POST /api/visits (start)", async () => {
  const res = await start();
  if (res.json?.data?.id) visitIds.push(res.json.data.id);
  return res;
});
let next = 0;
await flow("PUT /api/visits/:id/complete", () =>
  call("PUT", `/visits/${visitIds[next++]}/complete`, {
    token: agent.access_token,
    body: {
      answers: [
        { question_id: facings, value: 12 },
        { question_id: display, value: "good" },
        { question_id: tags, value: true },
      ],
    },
  }),
);
await flow("GET /api/visits (agent, page of 25)", () =>
  call("GET", "/visits", { token: agent.access_token }),
);
await flow("GET /api/visits (admin, status filter)", () =>
  call("GET", "/visits?status=completed&page_size=25", { token: admin.access_token }),
);
await flow("GET /api/visits/:id", (i) =>
  call("GET", `/visits/${visitIds[Math.abs(i) % visitIds.length]}`, { token: agent.access_token }),
);
