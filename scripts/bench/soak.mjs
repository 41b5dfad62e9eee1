// `npm run bench -- --soak <minutes> --connections 100`: a mixed agent workload for a given time
// against one seeded scale, one minute at a time, reporting per minute the request rate, errors,
// p50/p95/p99 and the resident memory of every process of the stack — so a leak (memory that grows
// minute after minute) or errors under sustained load show up. 127.0.0.1 only, bounded in time.
import { load, percentile } from "./scenarios.mjs";

/** The mix: scenario ids and their weights (an agent's day: sync, start, photos, complete, lists). */
export const SOAK_MIX = [
  ["sync_incremental", 2],
  ["visit_start", 2],
  ["photo_register", 2],
  ["visit_complete", 1],
  ["brands_list", 2],
  ["visits_list_manager", 1],
  ["visit_detail", 1],
];

/** One scenario whose requests cycle through the mix's scenarios by weight. */
function mixed(scenarios) {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const order = SOAK_MIX.flatMap(([id, weight]) => {
    const s = byId.get(id);
    if (!s) throw new Error(`soak: no scenario ${id}`);
    return Array.from({ length: weight }, () => s);
  });
  let i = 0;
  return {
    id: "soak",
    parts: [...new Set(order)],
    share: (s) => order.filter((x) => x === s).length / order.length,
    next: () => order[i++ % order.length].next(),
  };
}

const round = (n) => (n === null || n === undefined ? null : Math.round(n * 100) / 100);

/**
 * Runs the mix for `minutes` with `connections`, one autocannon run per minute (pools of
 * single-use inputs, such as in-progress visits to complete, are topped up before each minute).
 * @returns {{ minutes: object[], totals: object }}
 */
export async function runSoak(base, scenarios, { minutes, connections, memory, log }) {
  const mix = mixed(scenarios);
  const rows = [];
  let rate = 200;
  for (let minute = 1; minute <= minutes; minute++) {
    for (const s of mix.parts) {
      await s.prepare?.({ expectedRequests: Math.ceil(rate * 60 * mix.share(s) * 1.5) + connections + 5 });
    }
    const run = await load(base, mix, { connections, duration: 60 });
    const sorted = run.latencies.sort((a, b) => a - b);
    const errors = run.responses - sorted.length + run.result.errors;
    rate = run.responses / run.elapsed;
    const row = {
      minute,
      rps: Math.round(rate * 10) / 10,
      requests: run.responses,
      errors,
      statuses: Object.fromEntries(run.statuses),
      first_error: run.firstError,
      latency_ms: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
      },
      memory_mb: memory(),
    };
    rows.push(row);
    log(
      `soak minute ${minute}/${minutes}: ${row.rps} req/s, errors ${errors}, p50 ${row.latency_ms.p50} ms, ` +
        `p95 ${row.latency_ms.p95} ms, p99 ${row.latency_ms.p99} ms, memory ${JSON.stringify(row.memory_mb)}`,
    );
  }
  const first = rows[0]?.memory_mb ?? {};
  const last = rows.at(-1)?.memory_mb ?? {};
  const growth = Object.fromEntries(
    Object.keys(last).map((k) => [k, round((last[k] ?? 0) - (first[k] ?? 0))]),
  );
  return {
    minutes: rows,
    totals: {
      requests: rows.reduce((n, r) => n + r.requests, 0),
      errors: rows.reduce((n, r) => n + r.errors, 0),
      memory_growth_mb_first_to_last_minute: growth,
    },
  };
}

/** The soak's report as markdown. */
export function soakMarkdown(soak, meta) {
  const keys = Object.keys(soak.minutes[0]?.memory_mb ?? {}).sort();
  const lines = [
    `## Sales-Sync Edge soak — ${meta.started_at}`,
    "",
    `${meta.minutes} minutes, ${meta.connections} connections, mix ${SOAK_MIX.map(([id, w]) => `${id}×${w}`).join(", ")}; ` +
      `runtime ${meta.runtime}, scale ${meta.scale}, ${meta.postgres}. Total ${soak.totals.requests} requests, ` +
      `**${soak.totals.errors} errors**. Memory growth first → last minute (MB): ${JSON.stringify(soak.totals.memory_growth_mb_first_to_last_minute)}.`,
    "",
    `| minute | req/s | errors | p50 ms | p95 ms | p99 ms | ${keys.map((k) => `${k} MB`).join(" | ")} |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: | ${keys.map(() => "---:").join(" | ")} |`,
  ];
  for (const r of soak.minutes) {
    lines.push(
      `| ${r.minute} | ${r.rps} | ${r.errors} | ${r.latency_ms.p50} | ${r.latency_ms.p95} | ${r.latency_ms.p99} | ` +
        `${keys.map((k) => r.memory_mb[k] ?? "—").join(" | ")} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
