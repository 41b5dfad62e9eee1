// The processes a benchmark run starts — the database stack (a child process) and `wrangler dev`
// (its own process group: npx/wrangler/workerd) — and the cleanup that ends every one of them, on
// success, failure and Ctrl-C alike.
import { execFileSync, fork, spawn } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Cleanup steps, run last-in first-out, once. */
const cleanups = [];
/** Synchronous last resort at process exit: kill what is still alive. */
const killOnExit = new Set();
let cleaning;

export function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (err) {
        console.error(`[bench] cleanup: ${err instanceof Error ? err.message : err}`);
      }
    }
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping everything…`);
    cleanup().finally(() => process.exit(130));
  });
}
process.on("exit", () => {
  for (const kill of killOnExit) kill();
});

export function wasInterrupted() {
  return interrupted;
}

/** A port nothing listens on right now (127.0.0.1). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      server.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/**
 * The local database stack in a child process (scripts/bench/stack-child.mjs).
 * @param {{ databaseUrl?: string }} options without a URL: embedded PGlite
 */
export async function startStack({ databaseUrl }) {
  const child = fork(fileURLToPath(new URL("./stack-child.mjs", import.meta.url)), [], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const hardKill = () => {
    try {
      child.kill("SIGKILL");
    } catch {}
  };
  killOnExit.add(hardKill);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (child.connected) child.send("stop");
    else child.kill("SIGTERM");
    const timer = setTimeout(hardKill, 6000);
    await exited;
    clearTimeout(timer);
    killOnExit.delete(hardKill);
  };
  const ready = await new Promise((resolve, reject) => {
    child.once("message", (msg) =>
      msg?.ready ? resolve(msg.ready) : reject(new Error(msg?.error ?? "stack failed")),
    );
    child.once("exit", (code) => reject(new Error(`database stack exited (${code})`)));
    child.send({ start: { databaseUrl } });
  });
  return { ...ready, pid: child.pid, stop };
}

/**
 * A copy of the Worker's sources (src/, public/, wrangler.jsonc and the build script it names,
 * tsconfig.json, package.json; node_modules linked) in `dir`. `wrangler dev` always watches its sources and reloads the Worker when a file
 * changes: running it on a snapshot keeps edits made in the checkout during a run from reloading
 * (and changing) the code under measurement.
 */
function snapshotSources(dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "src"), join(dir, "src"), { recursive: true });
  cpSync(join(root, "public"), join(dir, "public"), { recursive: true });
  mkdirSync(join(dir, "scripts"), { recursive: true });
  for (const file of ["wrangler.jsonc", "tsconfig.json", "package.json", "scripts/docs-assets.mjs"])
    copyFileSync(join(root, file), join(dir, file));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
}

/** Resolves once GET /api/health answers on `base`; throws with the log's tail if the process ends first or 120 s pass. */
async function waitForHealth(base, { exited, logTail, stop, what }) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited()) {
      const tail = logTail();
      await stop();
      throw new Error(`${what} exited before answering:\n${tail}`);
    }
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {}
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`${what} did not answer within 120 s:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const tailOf = (file) => () => readFileSync(file, "utf8").split("\n").slice(-40).join("\n");

/**
 * The Worker on a free port with the bench's variables, on a snapshot of the sources, its local
 * state in a temporary directory, its output in a log file; resolves once GET /api/health answers.
 * `runtime`:
 * - "production" (default): the bundle `wrangler deploy` would upload (`wrangler deploy --dry-run
 *   --outdir`), run by Miniflare in workerd (scripts/bench/prod-worker.mjs) — what production runs,
 *   without the dev server's proxy worker, live reload and per-request logging in Node, on a
 *   direct socket (no Miniflare entry worker in front);
 * - "dev": `wrangler dev`, as `npm run dev` runs it.
 * `pid` is the root of the Worker's process tree (for CPU per process).
 * @param {Record<string, string>} vars
 * With `inspector` (production runtime only) workerd's V8 inspector listens on `inspectorPort`.
 * @param {{ runtime?: "production" | "dev", inspector?: boolean }} [options]
 */
export async function startWorker(vars, { runtime = "production", inspector = false } = {}) {
  let port = await freePort();
  const inspectorPort = inspector && runtime === "production" ? await freePort() : undefined;
  const stateDir = mkdtempSync(join(tmpdir(), "sse-bench-"));
  const appDir = join(stateDir, "app");
  snapshotSources(appDir);
  const logFile = join(stateDir, "worker.log");
  const log = createWriteStream(logFile);
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };
  const wranglerBin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  let child;
  if (runtime === "production") {
    const bundle = join(stateDir, "bundle");
    execFileSync(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", bundle], {
      cwd: appDir,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = fork(fileURLToPath(new URL("./prod-worker.mjs", import.meta.url)), [], {
      cwd: appDir,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
      env,
    });
  } else {
    const args = [
      wranglerBin,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(await freePort()),
      "--persist-to",
      join(stateDir, "state"),
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ];
    for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
    child = spawn(process.execPath, args, {
      cwd: appDir,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env,
    });
  }
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {}
  };
  const hardKill = () => killGroup("SIGKILL");
  killOnExit.add(hardKill);
  let exited = child.exitCode !== null;
  const exit = new Promise((resolve) =>
    child.once("exit", (code) => {
      exited = true;
      resolve(code);
    }),
  );
  const stop = async () => {
    if (!exited) {
      if (runtime === "production" && child.connected) child.send("stop");
      else killGroup("SIGTERM");
      const timer = setTimeout(hardKill, 5000);
      await exit;
      clearTimeout(timer);
    }
    // workerd may outlive its parent for a moment: the group kill reaches it too.
    hardKill();
    killOnExit.delete(hardKill);
    log.end();
    rmSync(stateDir, { recursive: true, force: true });
  };
  const logTail = tailOf(logFile);
  if (runtime === "production") {
    const started = await new Promise((resolve) => {
      child.once("message", (msg) => resolve(msg));
      child.once("exit", () => resolve({ error: "the production-like worker exited" }));
      const directPort = port;
      child.send({
        start: { appDir, bundle: join(stateDir, "bundle"), vars, port: 0, directPort, inspectorPort },
      });
    });
    if (!started?.ready) {
      await stop();
      throw new Error(`the production-like worker did not start: ${started?.error ?? "no answer"}`);
    }
    port = started.ready.port;
  }
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, {
    exited: () => exited,
    logTail,
    stop,
    what: runtime === "dev" ? "wrangler dev" : "the worker",
  });
  return { base, port, pid: child.pid, runtime, inspectorPort, logFile, stop, logTail };
}
