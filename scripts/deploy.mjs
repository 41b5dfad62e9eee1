#!/usr/bin/env node
// `npm run deploy`: checks, then `db:migrate`, then `wrangler deploy`. It refuses (exit 1, nothing
// changed) when the Worker lacks a required secret (`wrangler secret list`), when DATABASE_URL is not
// set locally (the migrations need it), or when wrangler.jsonc still holds the placeholder KV id.
//   --dry-run              check and print the plan; run nothing
//   --secrets <a,b,...>    use this list instead of asking Cloudflare (tests, or offline checks)
//   --config <file>        another wrangler config (default wrangler.jsonc)
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Secrets the Worker refuses to run without (src/core/env.ts validates them at the first request). */
export const REQUIRED_SECRETS = ["DATABASE_URL", "JWT_SECRET"];
/** Set together or not at all: all four R2 variables switch phones to presigned R2 uploads. */
const R2_SECRET_PAIR = ["R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"];
const PLACEHOLDER_KV_ID = /^0+$/;

/**
 * What stops a deploy, as sentences (empty: good to go).
 * @param {{ secrets: string[], config: { kv_namespaces?: { binding: string, id?: string }[] }, env: Record<string, string | undefined> }} input
 */
export function deployProblems({ secrets, config, env }) {
  const problems = [];
  for (const name of REQUIRED_SECRETS) {
    if (!secrets.includes(name)) problems.push(`secret ${name} is missing: wrangler secret put ${name}`);
  }
  const r2 = R2_SECRET_PAIR.filter((name) => secrets.includes(name));
  if (r2.length === 1) {
    const other = R2_SECRET_PAIR.find((name) => !secrets.includes(name));
    problems.push(`secret ${r2[0]} is set but ${other} is not: set both or neither`);
  }
  for (const kv of config.kv_namespaces ?? []) {
    if (!kv.id || PLACEHOLDER_KV_ID.test(kv.id)) {
      problems.push(
        `KV binding ${kv.binding} has the placeholder id: wrangler kv namespace create sales-sync-kv, then put its id in wrangler.jsonc`,
      );
    }
  }
  if (!env.DATABASE_URL) {
    problems.push(
      "DATABASE_URL is not set here: the migrations run from this machine (DATABASE_URL=<neon url> npm run deploy)",
    );
  }
  return problems;
}

/** The Worker's secret names, from Cloudflare (needs `wrangler login` or CLOUDFLARE_API_TOKEN). */
function listSecrets() {
  const run = spawnSync("npx", ["wrangler", "secret", "list", "--format", "json"], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) {
    throw new Error(
      `wrangler secret list failed (logged in? the Worker deployed once?):\n${run.stderr || run.stdout}`,
    );
  }
  const start = run.stdout.indexOf("[");
  return JSON.parse(run.stdout.slice(start)).map((s) => s.name);
}

function step(command, args, env) {
  console.log(`[deploy] ${command} ${args.join(" ")}`);
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

async function main() {
  const { values } = parseArgs({
    options: {
      "dry-run": { type: "boolean", default: false },
      secrets: { type: "string" },
      config: { type: "string", default: `${root}wrangler.jsonc` },
    },
  });
  const { unstable_readConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: values.config });
  const secrets = values.secrets !== undefined ? values.secrets.split(",").filter(Boolean) : listSecrets();
  const problems = deployProblems({ secrets, config, env: process.env });
  if (problems.length > 0) {
    console.error(`[deploy] refusing to deploy ${config.name}:`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  const plan = [
    ["node", ["scripts/migrate.mjs"]],
    ["npx", ["wrangler", "deploy", "--config", values.config]],
  ];
  if (values["dry-run"]) {
    console.log(`[deploy] checks passed for ${config.name}; would run:`);
    for (const [command, args] of plan) console.log(`  ${command} ${args.join(" ")}`);
    return;
  }
  for (const [command, args] of plan) step(command, args, process.env);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(`[deploy] ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
