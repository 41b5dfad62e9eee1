#!/usr/bin/env node
// `npm run bench`: seeds a scratch database on a real PostgreSQL server at each scale, runs the
// Worker under `wrangler dev` (workerd) against it through the local Neon endpoints, loads every
// hot endpoint with autocannon on 127.0.0.1 and compares each with the one-round-trip floor.
//
//   npm run bench [-- --scale small|large|both] [--duration 6] [--warmup 1] [--connections 8]
//   npm run bench -- --smoke        a few seconds, no figures: proves the harness still works (CI)
//
// DATABASE_URL names the server (default postgresql://postgres@127.0.0.1:5432/postgres); each scale
// gets its own scratch database there, dropped at the end. Results: bench/results/<timestamp>.{json,md,svg}.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../local-db/migrate.mjs";
import { createScratchDatabase } from "../local-db/scratch-db.mjs";
import { cpuPerRequest, cpuSnapshot, memorySnapshot } from "./cpu.mjs";
import { cleanup, onCleanup, startStack, startWorker, wasInterrupted } from "./processes.mjs";
import { profileDuring, summarize } from "./profile.mjs";
import { markdown, svgChart } from "./report.mjs";
import { buildScenarios, login, probeAnalytics, runScenario } from "./scenarios.mjs";
import { BENCH_PASSWORD, benchActors, openVisits, seed } from "./seed.mjs";
import { runSoak, soakMarkdown } from "./soak.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";
const PGLITE_REFUSAL =
  "PGlite runs every query of every connection one after another on a single session, so under " +
  "concurrent load it measures its own queue, not the API";

const USAGE = `usage: npm run bench [-- options]
  --scale small|large|both   dataset(s) to build and measure (default both)
  --duration <s>             measured seconds per scenario (default 6)
  --warmup <s>               unmeasured seconds before each scenario (default 1)
  --connections <n>          concurrent connections (default 4)
  --smoke                    a few requests per scenario on a tiny dataset, no figures (CI)
  --pglite                   use the embedded PGlite (only with --smoke: it gives no valid figures)
  --runtime production|dev   production (default): the deploy bundle in workerd via Miniflare;
                             dev: \`wrangler dev\` as \`npm run dev\` runs it (for comparison)
  --only <id,id,…>           run only these scenarios (the floor always runs)
  --profile <id>             also run scenario <id> under workerd's CPU profiler (production runtime):
                             top functions in the report, raw profile as .cpuprofile
  --soak <minutes>           instead of the scenarios: a mixed agent workload for that long (1..120)
                             at one scale (default small), per-minute errors, latency and memory
  --keep-db                  keep the scratch databases (for EXPLAIN ANALYZE afterwards)
  --db <name>                measure a database kept by --keep-db again (one --scale, the one it was
                             seeded at): newer migrations are applied, nothing is seeded or dropped;
                             it holds the writes of the runs before
DATABASE_URL                 PostgreSQL server (default ${DEFAULT_SERVER})`;

function fail(message, code = 1) {
  console.error(`[bench] ${message}`);
  process.exitCode = code;
}

const log = (line) => console.error(`[bench] ${line}`);

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

async function serverAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 4000 });
  try {
    await client.connect();
    const { rows } = await client.query("show server_version");
    return { ok: true, version: `PostgreSQL ${rows[0].server_version.split(" ")[0]}` };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await client.end().catch(() => {});
  }
}

function versions() {
  const require = createRequire(import.meta.url);
  const version = (name) => {
    try {
      return require(`${name}/package.json`).version;
    } catch {
      return null;
    }
  };
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).trim();
    if (dirty) commit += " (uncommitted changes)";
  } catch {}
  return {
    autocannon: version("autocannon"),
    wrangler: version("wrangler"),
    workerd: version("workerd"),
    commit,
  };
}

/** A database on the server kept by an earlier `--keep-db` run (`--db`), as createScratchDatabase's shape. */
function existingDatabase(serverUrl, name) {
  if (!/^sse_bench_[a-z0-9_]+$/.test(name)) throw new Error(`--db ${name}: not a bench database name`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!url.password) url.password = "postgres"; // the Neon driver wants user:password in the URL
  return { name, url: url.toString(), drop: async () => {} };
}

/** Registers `fn` as a cleanup step and returns a function that runs it now (once). */
function scoped(fn) {
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    unregister();
    await fn();
  };
  const unregister = onCleanup(run);
  return run;
}

/**
 * One scale: scratch database, stack, migrations, seed, Worker, scenarios; everything stopped and
 * dropped before it returns (or on failure / Ctrl-C through the cleanup registry).
 */
async function runScale(scale, { serverUrl, options, smoke }) {
  const scratch = options.db
    ? existingDatabase(serverUrl, options.db)
    : serverUrl
      ? await createScratchDatabase(serverUrl, "sse_bench")
      : undefined;
  const dropDb = scoped(async () => {
    if (scratch && !options["keep-db"] && !options.db) await scratch.drop();
    else if (scratch) log(`kept ${scratch.name}: ${redact(scratch.url)}`);
  });
  const stack = await startStack({ databaseUrl: scratch?.url });
  const stopStack = scoped(stack.stop);
  await applyMigrations(stack.databaseUrl, { wsProxy: stack.wsProxy });
  const seeded = options.db
    ? { seconds: 0, fkChecks: false, counts: { reused_database: options.db } }
    : await seed(stack.databaseUrl, {
        scale,
        connections: stack.backend === "pglite" ? 1 : 2,
        log,
        progress: !smoke,
      });
  const actors = await benchActors(stack.databaseUrl);
  const worker = await startWorker(
    {
      APP_ENV: "development",
      DATABASE_URL: stack.databaseUrl,
      NEON_LOCAL_SQL_ENDPOINT: stack.sqlEndpoint,
      NEON_LOCAL_WS_PROXY: stack.wsProxy,
      DB_TIMING: "true",
      AUTH_RATE_LIMITS: "off",
      LOG_LEVEL: "warn",
      BENCH_FLOOR: "true",
      // A soak outlives the default 15-minute access token.
      ACCESS_TOKEN_TTL_SECONDS: "86400",
    },
    { runtime: options.runtime, inspector: Boolean(options.profile) },
  );
  const stopWorker = scoped(worker.stop);
  try {
    const [admin, manager, agent] = await Promise.all([
      login(worker.base, actors.admin.email, BENCH_PASSWORD),
      login(worker.base, actors.areaManager.email, BENCH_PASSWORD),
      login(worker.base, actors.agent.email, BENCH_PASSWORD),
    ]);
    const scenarios = buildScenarios({
      base: worker.base,
      actors,
      sessions: { admin, manager, agent },
      password: BENCH_PASSWORD,
      connections: options.connections,
      openVisits: (count) =>
        openVisits(stack.databaseUrl, {
          tenantId: actors.tenantId,
          agentId: actors.agent.id,
          surveyId: actors.survey.id,
          shopId: actors.shop.id,
          count,
        }),
    });
    const parts = [
      { name: "worker", pid: worker.pid },
      { name: "db endpoint", pid: stack.pid },
      { name: "postgres", comm: "postgres" },
      { name: "load generator", pid: process.pid, self: true },
    ];
    if (options.soak) {
      const soak = await runSoak(worker.base, scenarios, {
        minutes: options.soak,
        connections: options.connections,
        memory: () => memorySnapshot(parts),
        log,
      });
      return { scale, backend: stack.backend, soak };
    }
    const analytics = await probeAnalytics(worker.base, admin.access_token);
    const results = [];
    let startRps = 2000;
    let profile;
    for (const scenario of [...scenarios, ...analytics.scenarios]) {
      if (wasInterrupted()) break;
      if (options.only && !options.only.has(scenario.id)) continue;
      const r = await runScenario(worker.base, scenario, {
        cpu: { snapshot: () => cpuSnapshot(parts), perRequest: cpuPerRequest },
        connections: smoke ? 2 : options.connections,
        duration: options.duration,
        warmup: smoke ? 0 : options.warmup,
        amount: smoke ? 10 : undefined,
        samples: smoke ? 1 : 3,
        expectedRps: scenario.id === "visit_complete" ? Math.max(50, startRps) : 2000,
      });
      if (scenario.id === "visit_start") startRps = r.rps;
      results.push(r);
      if (scenario.id === options.profile && worker.inspectorPort) {
        const raw = await profileDuring(worker.inspectorPort, "sales-sync-edge", () =>
          runScenario(worker.base, scenario, {
            connections: options.connections,
            duration: options.duration,
            warmup: 0,
            samples: 1,
            expectedRps: r.rps || 2000,
          }),
        );
        profile = { scenario: scenario.id, summary: summarize(raw), raw };
      }
      log(
        `${scale} ${r.id.padEnd(20)} ${String(r.rps).padStart(7)} req/s  p50 ${r.latency_ms.p50 ?? "—"} ms  ` +
          `p99 ${r.latency_ms.p99 ?? "—"} ms  errors ${r.errors.total}  round trips ${r.round_trips.min ?? "?"}` +
          `${r.round_trips.max !== r.round_trips.min ? `–${r.round_trips.max}` : ""}`,
      );
    }
    const floorP50 = results.find((r) => r.id === "floor")?.latency_ms.p50 ?? null;
    for (const r of results) {
      r.ratio_to_floor =
        floorP50 && r.latency_ms.p50 ? Math.round((r.latency_ms.p50 / floorP50) * 100) / 100 : null;
    }
    return {
      scale,
      backend: stack.backend,
      seed_seconds: Math.round(seeded.seconds * 10) / 10,
      fk_checks_during_seed: seeded.fkChecks,
      dataset: seeded.counts,
      big_tenant: actors.counts,
      scenarios: results,
      skipped: analytics.skipped,
      profile,
      worker_log_tail: results.some((r) => r.errors.total > 0) ? worker.logTail() : undefined,
    };
  } catch (err) {
    console.error(`[bench] wrangler dev log (last lines):\n${worker.logTail()}`);
    throw err;
  } finally {
    await stopWorker();
    await stopStack();
    await dropDb();
  }
}

async function main() {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      scale: { type: "string", default: "both" },
      duration: { type: "string", default: "6" },
      warmup: { type: "string", default: "1" },
      connections: { type: "string", default: "4" },
      smoke: { type: "boolean", default: false },
      pglite: { type: "boolean", default: false },
      "keep-db": { type: "boolean", default: false },
      db: { type: "string" },
      runtime: { type: "string", default: "production" },
      only: { type: "string" },
      profile: { type: "string" },
      soak: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = {
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    "keep-db": values["keep-db"],
    db: values.db,
    runtime: values.runtime,
    only: values.only ? new Set(["floor", ...values.only.split(",")]) : undefined,
    profile: values.profile,
    soak: values.soak === undefined ? undefined : Number(values.soak),
  };
  if (
    options.soak !== undefined &&
    !(Number.isInteger(options.soak) && options.soak >= 1 && options.soak <= 120)
  ) {
    return fail("--soak must be 1..120 minutes", 2);
  }
  if (options.profile && options.runtime !== "production")
    return fail("--profile needs --runtime production", 2);
  if (!["production", "dev"].includes(options.runtime))
    return fail(`unknown --runtime ${options.runtime}`, 2);
  if (!(options.duration > 0 && options.duration <= 120) || !(options.warmup >= 0 && options.warmup <= 60)) {
    return fail("--duration must be 1..120 seconds and --warmup 0..60", 2);
  }
  if (!(Number.isInteger(options.connections) && options.connections >= 1 && options.connections <= 256)) {
    return fail("--connections must be 1..256", 2);
  }
  if (!["small", "large", "both"].includes(values.scale)) return fail(`unknown --scale ${values.scale}`, 2);
  const smoke = values.smoke;
  if (values.db && (smoke || values.scale === "both" || values.pglite)) {
    return fail(
      "--db measures one kept database: give its --scale (small or large), not --smoke or --pglite",
      2,
    );
  }

  const serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER;
  if (values.pglite && !smoke) {
    return fail(
      `refusing to print figures on PGlite: ${PGLITE_REFUSAL}. Use a PostgreSQL server (DATABASE_URL, ` +
        `default ${DEFAULT_SERVER}); --pglite is accepted only with --smoke.`,
      2,
    );
  }
  const server = values.pglite ? { ok: false, reason: "--pglite" } : await serverAnswers(serverUrl);
  if (!server.ok && !smoke) {
    return fail(
      `no PostgreSQL server answers at ${redact(serverUrl)} (${server.reason}). Refusing to fall back to ` +
        `the embedded PGlite: ${PGLITE_REFUSAL}. Start PostgreSQL or set DATABASE_URL.`,
    );
  }
  const useServer = server.ok ? serverUrl : undefined;
  if (smoke) {
    log(
      useServer
        ? `smoke run against ${server.version} at ${redact(serverUrl)}`
        : `smoke run on the embedded PGlite (${server.reason === "--pglite" ? "--pglite" : `no server at ${redact(serverUrl)}`}); no figures`,
    );
  }

  const scales = smoke
    ? ["smoke"]
    : values.scale === "both"
      ? options.soak
        ? ["small"]
        : ["small", "large"]
      : [values.scale];
  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  const scaleResults = [];
  for (const scale of scales) {
    if (wasInterrupted()) return;
    log(
      `${scale}: seeding, starting wrangler dev, ${smoke ? "10 requests" : `${options.duration} s`} per scenario`,
    );
    scaleResults.push(await runScale(scale, { serverUrl: useServer, options, smoke }));
  }
  const wallSeconds = (performance.now() - started) / 1000;

  if (smoke) {
    const problems = [];
    for (const s of scaleResults[0].scenarios) {
      if (s.ok === 0 || s.errors.total > 0) {
        problems.push(
          `${s.id}: ${s.ok} ok, errors ${JSON.stringify(s.errors.statuses)} ${JSON.stringify(s.errors.first)}`,
        );
      } else if (s.round_trips.min === null) {
        problems.push(`${s.id}: no Server-Timing round trips on its responses`);
      }
    }
    if (problems.length > 0) {
      if (scaleResults[0].worker_log_tail) console.error(scaleResults[0].worker_log_tail);
      return fail(`smoke FAILED:\n  ${problems.join("\n  ")}`);
    }
    console.log(
      `smoke ok (${scaleResults[0].scenarios.length} scenarios on ${scaleResults[0].backend}, ${wallSeconds.toFixed(1)} s)`,
    );
    return;
  }

  const startedAt = new Date(Date.now() - wallSeconds * 1000).toISOString().slice(0, 19);
  if (options.soak) {
    const { soak, scale, backend } = scaleResults[0];
    const meta = {
      started_at: `${startedAt}Z`,
      minutes: options.soak,
      connections: options.connections,
      runtime: options.runtime,
      scale,
      backend,
      postgres: server.version,
      ...versions(),
    };
    const dir = join(root, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const stamp = `${startedAt.replace(/:/g, "-")}-soak`;
    writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify({ meta, soak }, null, 2)}\n`);
    const md = soakMarkdown(soak, meta);
    writeFileSync(join(dir, `${stamp}.md`), md);
    console.log(md);
    console.log(`results: bench/results/${stamp}.json, .md`);
    if (soak.totals.errors > 0) fail(`soak: ${soak.totals.errors} errors`);
    return;
  }
  const results = {
    meta: {
      started_at: `${startedAt}Z`,
      wall_seconds: Math.round(wallSeconds),
      postgres: server.version,
      node: process.version,
      cpus: cpus().length,
      load_before: loadBefore,
      load_after: loadavg().map((n) => Math.round(n * 100) / 100),
      runtime: options.runtime,
      options: { connections: options.connections, duration: options.duration, warmup: options.warmup },
      ...versions(),
    },
    scales: scaleResults,
    skipped: scaleResults[0]?.skipped ?? [],
  };
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.replace(/:/g, "-");
  for (const sc of scaleResults) {
    if (!sc.profile) continue;
    writeFileSync(
      join(dir, `${stamp}-${sc.scale}-${sc.profile.scenario}.cpuprofile`),
      JSON.stringify(sc.profile.raw),
    );
    delete sc.profile.raw;
  }
  const md = markdown(results);
  writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${stamp}.md`), md);
  writeFileSync(join(dir, `${stamp}.svg`), svgChart(results));
  console.log(md);
  console.log(`results: bench/results/${stamp}.json, .md, .svg (wall time ${wallSeconds.toFixed(0)} s)`);
}

try {
  await main();
} catch (err) {
  process.exitCode = 1;
  console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
} finally {
  await cleanup();
}
// pg pools, fetch keep-alive sockets and the like must not keep the process alive.
process.exit(process.exitCode ?? 0);
