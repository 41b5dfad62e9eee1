#!/usr/bin/env node
// Sequential latency of one request against a running API (e.g. `npm run dev`):
//   node scripts/latency.mjs [--n 200] [--method POST] [--body '{"a":1}'] [--token T] <url>
// Prints median, p95 and the database round trips reported in Server-Timing.
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    n: { type: "string", default: "200" },
    method: { type: "string", default: "GET" },
    body: { type: "string" },
    token: { type: "string" },
    warmup: { type: "string", default: "10" },
  },
  allowPositionals: true,
});
const url = positionals[0] ?? "http://127.0.0.1:8787/api/health/ready";
const headers = { ...(values.body ? { "content-type": "application/json" } : {}) };
if (values.token) headers.authorization = `Bearer ${values.token}`;

async function once() {
  const started = performance.now();
  const res = await fetch(url, { method: values.method, headers, body: values.body });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  const trips = /desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "")?.[1];
  return { ms, status: res.status, trips: trips === undefined ? null : Number(trips) };
}

for (let i = 0; i < Number(values.warmup); i++) await once();
const samples = [];
for (let i = 0; i < Number(values.n); i++) samples.push(await once());
const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const statuses = [...new Set(samples.map((s) => s.status))].join(",");
const trips = [...new Set(samples.map((s) => s.trips))].join(",");
console.log(
  `${values.method} ${url}  n=${samples.length}  status=${statuses}  median=${pct(50).toFixed(2)} ms  p95=${pct(95).toFixed(2)} ms  db round trips=${trips}`,
);
