#!/usr/bin/env node
// `npm run dev`: the local database stack + migrations + demo data + `wrangler dev` on 127.0.0.1:8787.
// Without DATABASE_URL the database is embedded PGlite persisted in .data/pglite (a second start
// reuses it); with DATABASE_URL it is that server. Ctrl-C stops every child process.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./local-db/migrate.mjs";
import { seedDemo } from "./local-db/seed-demo.mjs";
import { startDbStack } from "./local-db/stack.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const dataDir = `${root}.data/pglite`;

const started = Date.now();
if (!process.env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
console.log(
  process.env.DATABASE_URL
    ? "[dev] using the Postgres server in DATABASE_URL"
    : `[dev] starting embedded Postgres (PGlite) in ${dataDir}`,
);
const stack = await startDbStack({ databaseUrl: process.env.DATABASE_URL, dataDir });
await applyMigrations(stack.databaseUrl, { wsProxy: stack.wsProxy });
console.log(`[dev] database ready (${stack.backend}, migrations applied) in ${Date.now() - started} ms`);
await seedDemo(stack.databaseUrl, { log: (line) => console.log(`[dev] ${line}`) });

const vars = {
  APP_ENV: "development",
  DATABASE_URL: stack.databaseUrl,
  NEON_LOCAL_SQL_ENDPOINT: stack.sqlEndpoint,
  NEON_LOCAL_WS_PROXY: stack.wsProxy,
  DB_TIMING: process.env.DB_TIMING ?? "true",
  CORS_ORIGINS: process.env.CORS_ORIGINS ?? "*",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  // `AUTH_RATE_LIMITS=off npm run dev` lifts the auth rate limits for local latency runs.
  AUTH_RATE_LIMITS: process.env.AUTH_RATE_LIMITS ?? "on",
};
const args = [
  "wrangler",
  "dev",
  "--ip",
  "127.0.0.1",
  "--port",
  String(port),
  "--show-interactive-dev-session=false",
];
for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
const wrangler = spawn("npx", args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], detached: true });
console.log(`[dev] API on http://127.0.0.1:${port}/api — docs on http://127.0.0.1:${port}/docs`);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("[dev] stopping…");
  try {
    // npx → wrangler → workerd: signal the whole process group.
    process.kill(-wrangler.pid, "SIGTERM");
  } catch {}
  const killTimer = setTimeout(() => {
    try {
      process.kill(-wrangler.pid, "SIGKILL");
    } catch {}
  }, 5000);
  await new Promise((resolve) => (wrangler.exitCode !== null ? resolve() : wrangler.once("exit", resolve)));
  clearTimeout(killTimer);
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
wrangler.on("exit", (code) => {
  if (!stopping) {
    console.error(`[dev] wrangler exited (${code})`);
    stop(code ?? 1);
  }
});
