#!/usr/bin/env node
// `npm run check:migrations`: fails when src/db/schema differs from what the committed migrations
// in drizzle/ build, i.e. someone changed the schema without running `npm run db:generate` (or
// edited a migration's snapshot by hand). It runs drizzle-kit generate into a scratch copy of
// drizzle/ under .tmp/ and fails if that would write a migration; then `drizzle-kit check` on the
// real folder. No database server and no standard input needed: a generate that would stop to ask
// (a rename it cannot decide) is a schema change too and fails (a timeout guards against a hang).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const config = readFileSync(join(root, "drizzle.config.ts"), "utf8");
const setting = (name) => {
  const value = new RegExp(`${name}:\\s*"([^"]+)"`).exec(config)?.[1];
  if (!value) throw new Error(`drizzle.config.ts has no ${name}: "…" setting`);
  return value;
};
const dialect = setting("dialect");
const schema = setting("schema");
const out = join(root, setting("out"));
const kit = join(root, "node_modules/drizzle-kit/bin.cjs");
if (!existsSync(kit)) throw new Error("drizzle-kit is not installed (npm ci)");

/** Runs drizzle-kit with no stdin; a prompt would wait forever, so the timeout ends it. */
function drizzleKit(args) {
  const run = spawnSync(process.execPath, [kit, ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
    env: { ...process.env, CI: "true" },
  });
  return { ...run, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
}

const scratch = join(root, ".tmp", `migration-check-${process.pid}`);
let failed = false;
try {
  mkdirSync(scratch, { recursive: true });
  cpSync(out, join(scratch, "drizzle"), { recursive: true });
  const before = new Set(readdirSync(join(scratch, "drizzle")));
  const gen = drizzleKit([
    "generate",
    `--dialect=${dialect}`,
    `--schema=${schema}`,
    `--out=./${relative(root, join(scratch, "drizzle"))}`,
  ]);
  const added = readdirSync(join(scratch, "drizzle")).filter((f) => !before.has(f));
  const unchanged = /No schema changes/.test(gen.output);
  if (added.length > 0) {
    for (const file of added.filter((f) => f.endsWith(".sql"))) {
      console.error(
        `--- migration that is missing: ${file}\n${readFileSync(join(scratch, "drizzle", file), "utf8")}`,
      );
    }
    console.error(
      "FAIL: src/db/schema changed without its migration. Run `npm run db:generate` and commit what it writes in drizzle/.",
    );
    failed = true;
  } else if (gen.error || gen.signal || gen.status !== 0 || !unchanged) {
    // drizzle-kit exits 0 even when it cannot ask its rename question without a terminal.
    console.error(gen.output.slice(-4000));
    console.error(
      /prompt|TTY/i.test(gen.output) || gen.signal || gen.error?.code === "ETIMEDOUT"
        ? "FAIL: drizzle-kit generate needs to ask a question (a rename?): src/db/schema changed without its migration. Run `npm run db:generate` in a terminal and commit the migration."
        : "FAIL: drizzle-kit generate did not confirm that the schema is unchanged (see above).",
    );
    failed = true;
  } else {
    const check = drizzleKit(["check", `--dialect=${dialect}`, `--out=./${relative(root, out)}`]);
    if (check.error || check.signal || check.status !== 0) {
      console.error(check.output.slice(-4000));
      console.error("FAIL: drizzle-kit check found inconsistent migrations in drizzle/ (see above).");
      failed = true;
    } else {
      console.log("migrations: src/db/schema matches drizzle/ (no migration missing)");
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
