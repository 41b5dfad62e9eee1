#!/usr/bin/env node
// `npm run db:start`: only the local database stack (persisted PGlite, or DATABASE_URL's server)
// with migrations applied, printing the endpoints to give a Worker. Ctrl-C stops it.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./local-db/migrate.mjs";
import { startDbStack } from "./local-db/stack.mjs";

const dataDir = fileURLToPath(new URL("../.data/pglite", import.meta.url));
if (!process.env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
const stack = await startDbStack({ databaseUrl: process.env.DATABASE_URL, dataDir });
await applyMigrations(stack.databaseUrl, { wsProxy: stack.wsProxy });
console.log(`DATABASE_URL=${stack.databaseUrl}`);
console.log(`NEON_LOCAL_SQL_ENDPOINT=${stack.sqlEndpoint}`);
console.log(`NEON_LOCAL_WS_PROXY=${stack.wsProxy}`);
const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
