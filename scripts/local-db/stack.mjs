// The local database stack used by `npm run dev`, the tests and the benchmark:
//   Postgres (embedded PGlite by default, or the server named by DATABASE_URL)
//   ├─ WebSocket relay            → what the Neon driver's Pool/Client reach (NEON_LOCAL_WS_PROXY)
//   └─ SQL-over-HTTP endpoint     → what neon()/drizzle neon-http reach   (NEON_LOCAL_SQL_ENDPOINT)
import { startRelay } from "./relay.mjs";
import { startSqlHttp } from "./sql-http.mjs";

/**
 * Starts PGlite (with pg_trgm, btree_gin, btree_gist, cube and pgvector) behind a Postgres wire-protocol socket.
 * @param {{ dataDir?: string, port?: number }} options dataDir persists the database; omitted = memory.
 */
export async function startPglite({ dataDir, port = 0 } = {}) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { btree_gin } = await import("@electric-sql/pglite/contrib/btree_gin");
  const { btree_gist } = await import("@electric-sql/pglite/contrib/btree_gist");
  const { cube } = await import("@electric-sql/pglite/contrib/cube");
  const { vector } = await import("@electric-sql/pglite-pgvector");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm, btree_gin, btree_gist, cube, vector } });
  // maxConnections defaults to 1, which cuts a Pool's second connection.
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 100 });
  await server.start();
  const actualPort = Number(server.getServerConn().split(":").pop());
  return {
    port: actualPort,
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${actualPort}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Starts the whole stack. With `databaseUrl` it fronts that server; otherwise it starts PGlite.
 * @param {{ databaseUrl?: string, dataDir?: string, relayPort?: number, httpPort?: number, pglitePort?: number }} options
 * @returns {Promise<{ backend: "pglite" | "postgres", databaseUrl: string, relayPort: number, wsProxy: string, sqlEndpoint: string, stop: () => Promise<void> }>}
 */
export async function startDbStack(options = {}) {
  let databaseUrl = options.databaseUrl;
  let stopPglite;
  if (!databaseUrl) {
    const pglite = await startPglite({ dataDir: options.dataDir, port: options.pglitePort ?? 0 });
    databaseUrl = pglite.databaseUrl;
    stopPglite = pglite.stop;
  }
  const target = new URL(databaseUrl);
  const relay = await startRelay({
    port: options.relayPort ?? 0,
    defaultTarget: `${target.hostname}:${target.port || 5432}`,
  });
  const sqlHttp = await startSqlHttp({
    port: options.httpPort ?? 0,
    // PGlite has ONE backend session behind every socket connection: two connections sending
    // extended-protocol messages at once interleave them ("unnamed prepared statement does not
    // exist", empty results). One connection serializes HTTP queries, as PGlite would anyway.
    maxConnections: stopPglite ? 1 : 20,
  });
  return {
    backend: stopPglite ? "pglite" : "postgres",
    databaseUrl,
    relayPort: relay.port,
    wsProxy: `127.0.0.1:${relay.port}/v1`,
    sqlEndpoint: sqlHttp.url,
    stop: async () => {
      await sqlHttp.close();
      await relay.close();
      await stopPglite?.();
    },
  };
}
