// Runs in Node before the workerd tests: starts the local database stack (PGlite in memory by
// default; with DATABASE_URL a fresh database on that server, dropped afterwards), applies the
// migrations and hands the endpoints to the Worker bindings through `provide`.
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../scripts/local-db/migrate.mjs";
import { createScratchDatabase } from "../scripts/local-db/scratch-db.mjs";
import { seedDemo } from "../scripts/local-db/seed-demo.mjs";
import { startDbStack } from "../scripts/local-db/stack.mjs";

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, "sse_test") : undefined;
  const stack = await startDbStack({ databaseUrl: scratch?.url });
  await applyMigrations(stack.databaseUrl, { wsProxy: stack.wsProxy });
  // The same first-start data `npm run dev` seeds, so a test can prove the demo logins work.
  await seedDemo(stack.databaseUrl);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("sqlEndpoint", stack.sqlEndpoint);
  project.provide("wsProxy", stack.wsProxy);
  project.provide("dbBackend", stack.backend);
  console.log(`[test] database: ${stack.backend}${scratch ? ` (${scratch.name})` : " (in memory)"}`);
  return async () => {
    await stack.stop();
    await scratch?.drop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    sqlEndpoint: string;
    wsProxy: string;
    dbBackend: "pglite" | "postgres";
  }
}
