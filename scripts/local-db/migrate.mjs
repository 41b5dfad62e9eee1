// Applies the drizzle migrations in ./drizzle through the Neon driver's WebSocket path — the
// same driver production uses. Locally it goes through the relay (`wsProxy`); against Neon it
// uses the driver's defaults.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * @param {string} databaseUrl
 * @param {{ wsProxy?: string }} [options] wsProxy: "127.0.0.1:PORT/v1" of a local relay
 */
export async function applyMigrations(databaseUrl, { wsProxy } = {}) {
  const { Pool, neonConfig } = await import("@neondatabase/serverless");
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
  neonConfig.webSocketConstructor = createRequire(import.meta.url)("ws");
  if (wsProxy) {
    neonConfig.wsProxy = (host, port) => `${wsProxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // The default "password" pipelining fails against plain Postgres and hangs PGlite.
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder });
  } finally {
    await pool.end();
  }
}
