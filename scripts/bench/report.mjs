// The run's report: a markdown table per scale and an SVG chart (grouped bars of p50 per scenario,
// one bar per scale, on a log scale, with each scale's floor drawn across).

const fmt = (n, digits = 1) =>
  n === null || n === undefined ? "—" : Number(n).toLocaleString("en", { maximumFractionDigits: digits });

function tripsCell(s) {
  const rt = s.round_trips;
  if (rt.min === null) {
    const sampled = [...rt.sampled_before, ...rt.sampled_after]
      .map((x) => x.round_trips)
      .filter((x) => x !== null);
    return sampled.length ? `${Math.min(...sampled)}–${Math.max(...sampled)} (sampled)` : "—";
  }
  return rt.min === rt.max ? String(rt.min) : `${rt.min}–${rt.max} (mean ${rt.mean})`;
}

/** @param {any} results the JSON written next to the report */
export function markdown(results) {
  const m = results.meta;
  const lines = [
    `## Sales-Sync Edge benchmark — ${m.started_at}`,
    "",
    `${m.runtime === "dev" ? "`wrangler dev`" : "The deploy bundle (`wrangler deploy --dry-run`) in Miniflare, on a direct socket (no entry worker)"} (workerd ${m.workerd ?? "?"}) → local Neon SQL-over-HTTP endpoint → ${m.postgres} on 127.0.0.1. ` +
      `autocannon ${m.autocannon}, ${m.options.connections} connections, ${m.options.duration} s per scenario ` +
      `after a ${m.options.warmup} s warm-up. ${m.cpus} CPUs, load average ${m.load_before.join(" / ")} before, ` +
      `${m.load_after.join(" / ")} after. Commit ${m.commit}. Wall time ${fmt(m.wall_seconds, 0)} s.`,
    "",
    "Latency percentiles are over 2xx responses; errors = non-2xx + socket errors; round trips from " +
      "every response's `Server-Timing`; p50 ÷ floor compares with `GET /api/bench/floor` (same middleware " +
      "and driver, one `select 1`) at the same scale. CPU ms/request: CPU time (from /proc) each process " +
      "spent during the measured load ÷ responses; `worker: workerd` is the Worker's own runtime.",
  ];
  for (const scale of results.scales) {
    const c = scale.dataset;
    lines.push(
      "",
      `### ${scale.scale} — ${fmt(c.visits, 0)} visits, ${fmt(c.visit_answers, 0)} answers, ${fmt(c.photos, 0)} photos, ` +
        `${fmt(c.users, 0)} users in ${c.tenants} tenants (big tenant: ${fmt(scale.big_tenant.tenant_visits, 0)} visits, ` +
        `${fmt(scale.big_tenant.tenant_users, 0)} users); seeded in ${fmt(scale.seed_seconds, 0)} s`,
      "",
      "| scenario | request | as | req/s | p50 ms | p95 ms | p99 ms | errors | db round trips | p50 ÷ floor | worker CPU ms/req |",
      "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const s of scale.scenarios) {
      lines.push(
        `| ${s.title} | \`${s.request}\` | ${s.actor} | ${fmt(s.rps)} | ${fmt(s.latency_ms.p50, 2)} | ` +
          `${fmt(s.latency_ms.p95, 2)} | ${fmt(s.latency_ms.p99, 2)} | ${fmt(s.errors.total, 0)} | ${tripsCell(s)} | ` +
          `${s.ratio_to_floor === null ? "—" : `${fmt(s.ratio_to_floor, 2)}×`} | ${fmt(s.cpu_ms_per_request?.["worker: workerd"], 3)} |`,
      );
    }
    const parts = [
      ...new Set(scale.scenarios.flatMap((s) => Object.keys(s.cpu_ms_per_request ?? {}))),
    ].sort();
    if (parts.length > 0) {
      lines.push(
        "",
        `CPU ms per request, per process of the stack (${scale.scale}):`,
        "",
        `| scenario | ${parts.join(" | ")} |`,
        `| --- | ${parts.map(() => "---:").join(" | ")} |`,
      );
      for (const s of scale.scenarios) {
        lines.push(`| ${s.id} | ${parts.map((p) => fmt(s.cpu_ms_per_request?.[p], 3)).join(" | ")} |`);
      }
    }
  }
  for (const scale of results.scales) {
    if (!scale.profile) continue;
    lines.push(
      "",
      `Where the Worker's CPU went in \`${scale.profile.scenario}\` (${scale.scale}; workerd's sampling profiler, self time):`,
      "",
      scale.profile.summary,
    );
  }
  if (results.skipped.length > 0) {
    lines.push("", "Not measured:", "");
    for (const s of results.skipped) lines.push(`- \`${s.request}\`: ${s.reason}`);
  }
  const errored = results.scales.flatMap((sc) =>
    sc.scenarios.filter((s) => s.errors.total > 0).map((s) => ({ scale: sc.scale, s })),
  );
  if (errored.length > 0) {
    lines.push("", "Errors seen:", "");
    for (const { scale, s } of errored) {
      lines.push(
        `- ${scale} ${s.id}: ${JSON.stringify(s.errors.statuses)}${s.errors.socket ? `, ${s.errors.socket} socket errors` : ""}` +
          `${s.errors.first ? ` — first: ${s.errors.first.status} ${s.errors.first.body}` : ""}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Grouped bars of p50 per scenario, one colour per scale, log scale, each scale's floor as a dashed line. */
export function svgChart(results) {
  const colors = ["#2f6db5", "#e07b22", "#3a9a5b"];
  const scales = results.scales;
  const ids = [];
  for (const sc of scales) for (const s of sc.scenarios) if (!ids.includes(s.id)) ids.push(s.id);
  const titleOf = (id) => scales.flatMap((sc) => sc.scenarios).find((s) => s.id === id)?.id ?? id;
  const values = scales.flatMap((sc) => sc.scenarios.map((s) => s.latency_ms.p50)).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const W = 1100;
  const H = 520;
  const left = 70;
  const right = 130;
  const top = 60;
  const bottom = 150;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const y = (v) =>
    top + plotH - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const group = plotW / Math.max(1, ids.length);
  const barW = Math.min(28, (group * 0.8) / Math.max(1, scales.length));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="600">p50 latency per scenario (ms, log scale) — ${esc(results.meta.started_at)}</text>`,
    `<text x="${left}" y="44" fill="#555">${esc(`${results.meta.options.connections} connections, ${results.meta.options.duration} s per scenario; dashed line = floor (GET /api/bench/floor) of that scale`)}</text>`,
  ];
  for (let d = lo; d <= hi; d *= 10) {
    for (const k of [1, 2, 5]) {
      const v = d * k;
      if (v < lo || v > hi) continue;
      const yy = y(v).toFixed(1);
      out.push(
        `<line x1="${left}" x2="${W - right}" y1="${yy}" y2="${yy}" stroke="${k === 1 ? "#ccc" : "#eee"}"/>`,
        `<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#555">${fmt(v, 3)}</text>`,
      );
    }
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#888"/>`);
  ids.forEach((id, i) => {
    const gx = left + i * group + group / 2;
    scales.forEach((sc, j) => {
      const s = sc.scenarios.find((x) => x.id === id);
      const v = s?.latency_ms.p50;
      if (!v) return;
      const x = gx - (scales.length * barW) / 2 + j * barW;
      const yy = y(Math.max(v, lo));
      out.push(
        `<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(top + plotH - yy).toFixed(1)}" fill="${colors[j % colors.length]}"><title>${esc(`${sc.scale} ${id}: p50 ${fmt(v, 2)} ms`)}</title></rect>`,
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(yy - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${fmt(v, v < 10 ? 1 : 0)}</text>`,
      );
    });
    out.push(
      `<text transform="translate(${gx.toFixed(1)},${top + plotH + 12}) rotate(35)" font-size="11" fill="#222">${esc(titleOf(id))}</text>`,
    );
  });
  // Each scale's floor as a dashed line, its label right of the plot (labels kept 13 px apart).
  const floors = scales
    .map((sc, j) => ({ sc, j, floor: sc.scenarios.find((s) => s.id === "floor")?.latency_ms.p50 }))
    .filter((f) => f.floor)
    .map((f) => ({ ...f, yy: y(Math.max(f.floor, lo)) }))
    .sort((a, b) => a.yy - b.yy);
  let lastLabel = -Infinity;
  for (const { sc, j, floor, yy } of floors) {
    const color = colors[j % colors.length];
    const labelY = Math.max(yy + 4, lastLabel + 13);
    lastLabel = labelY;
    out.push(
      `<line x1="${left}" x2="${W - right}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${W - right + 6}" y="${labelY.toFixed(1)}" font-size="11" fill="${color}">${esc(`${sc.scale} floor ${fmt(floor, 2)} ms`)}</text>`,
    );
  }
  scales.forEach((sc, j) => {
    const lx = left + j * 260;
    const ly = H - 18;
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colors[j % colors.length]}"/>`,
      `<text x="${lx + 18}" y="${ly}" fill="#222">${esc(`${sc.scale}: ${fmt(sc.dataset.visits, 0)} visits`)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
