#!/usr/bin/env node
// `npm run db:migrate`: applies ./drizzle to DATABASE_URL through the Neon driver.
// For a local server (127.0.0.1/localhost) it starts a throwaway WebSocket relay; for Neon it
// uses the driver's defaults (secure WebSocket to the Neon proxy).
import { applyMigrations } from "./local-db/migrate.mjs";
import { startRelay } from "./local-db/relay.mjs";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    "DATABASE_URL is required, e.g. DATABASE_URL=postgresql://user:pass@host/db npm run db:migrate",
  );
  process.exit(1);
}
const { hostname, port } = new URL(databaseUrl);
const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname);
const relay = local ? await startRelay({ defaultTarget: `${hostname}:${port || 5432}` }) : undefined;
try {
  await applyMigrations(databaseUrl, relay ? { wsProxy: `127.0.0.1:${relay.port}/v1` } : {});
  console.log(`migrations applied to ${hostname}`);
} finally {
  await relay?.close();
}
