// A local implementation of Neon's SQL-over-HTTP endpoint (what `neon()` / drizzle neon-http call).
// POST /sql with `Neon-Connection-String`; body `{query, params}` or `{queries: [...]}` (a batch runs
// in one transaction honouring the Neon-Batch-* headers). Values go back as raw text with each
// field's type id, errors as Neon's JSON with the SQLSTATE `code`, so the driver parses both exactly
// as it does against Neon.
import http from "node:http";
import pg from "pg";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Every type stays text: the driver applies its own parsers by dataTypeID. */
const RAW_TYPES = { getTypeParser: () => (value) => value };
const ISOLATION = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
];

class RequestError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {pg.QueryResult} result */
function toNeonResult(result) {
  return {
    command: result.command,
    rowCount: result.rowCount ?? 0,
    rows: result.rows,
    fields: result.fields.map((f) => ({
      name: f.name,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeID: f.dataTypeID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: "text",
    })),
    rowAsArray: true,
  };
}

/** @param {pg.Pool | pg.PoolClient} client @param {{query: string, params?: unknown[]}} q */
async function run(client, q) {
  if (typeof q?.query !== "string") throw new RequestError(400, "query must be a string");
  const result = await client.query({
    text: q.query,
    values: Array.isArray(q.params) ? q.params : [],
    rowMode: "array",
    types: RAW_TYPES,
    // Neon runs every HTTP query as one extended-protocol statement: no multi-statement strings.
    queryMode: "extended",
  });
  return toNeonResult(result);
}

/** @param {http.IncomingHttpHeaders} headers */
function beginStatement(headers) {
  const parts = ["BEGIN"];
  const iso = headers["neon-batch-isolation-level"];
  if (typeof iso === "string") {
    const level = ISOLATION[/** @type {keyof typeof ISOLATION} */ (iso)];
    if (!level) throw new RequestError(400, `invalid Neon-Batch-Isolation-Level: ${iso}`);
    parts.push(`ISOLATION LEVEL ${level}`);
  }
  const readOnly = headers["neon-batch-read-only"];
  if (readOnly === "true") parts.push("READ ONLY");
  else if (readOnly === "false") parts.push("READ WRITE");
  if (headers["neon-batch-deferrable"] === "true") parts.push("DEFERRABLE");
  return parts.join(" ");
}

/** @param {http.IncomingMessage} req @returns {Promise<unknown>} */
async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, "request body too large");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new RequestError(400, "request body is not valid JSON");
  }
}

/**
 * Starts the endpoint on 127.0.0.1.
 * @param {{ port?: number, maxConnections?: number }} [options]
 * @returns {Promise<{ port: number, url: string, close: () => Promise<void> }>}
 */
export async function startSqlHttp({ port = 0, maxConnections = 8 } = {}) {
  /** @type {Map<string, pg.Pool>} */
  const pools = new Map();
  const poolFor = (connectionString) => {
    let pool = pools.get(connectionString);
    if (!pool) {
      let host;
      try {
        host = new URL(connectionString).hostname;
      } catch {
        throw new RequestError(400, "Neon-Connection-String is not a valid URL");
      }
      if (!LOOPBACK.has(host)) throw new RequestError(400, `database host not allowed: ${host}`);
      pool = new pg.Pool({ connectionString, max: maxConnections, idleTimeoutMillis: 30_000 });
      pool.on("error", () => {}); // an idle client dying is not fatal; the next query reconnects
      pools.set(connectionString, pool);
    }
    return pool;
  };

  const handle = async (req) => {
    if (req.method !== "POST" || !req.url?.startsWith("/sql")) {
      throw new RequestError(404, "not found");
    }
    const connectionString = req.headers["neon-connection-string"];
    if (typeof connectionString !== "string") {
      throw new RequestError(400, "missing Neon-Connection-String header");
    }
    const pool = poolFor(connectionString);
    const body = /** @type {any} */ (await readJson(req));
    if (Array.isArray(body?.queries)) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query(beginStatement(req.headers));
        const results = [];
        for (const q of body.queries) results.push(await run(client, q));
        await client.query("COMMIT");
        return { results };
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        client.release(broken);
      }
    }
    return run(pool, body);
  };

  const server = http.createServer((req, res) => {
    handle(req).then(
      (payload) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      },
      (err) => {
        if (err instanceof RequestError) {
          res.writeHead(err.status, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: err.message }));
        } else if (err instanceof pg.DatabaseError) {
          const out = { message: err.message };
          for (const f of ERROR_FIELDS) if (err[f] !== undefined) out[f] = err[f];
          res.writeHead(400, { "content-type": "application/json" });
          res.end(JSON.stringify(out));
        } else {
          // Connection refused, socket reset...: Neon answers these with a 5xx and a text body.
          res.writeHead(503, { "content-type": "text/plain" });
          res.end(`database unavailable: ${err?.message ?? err}`);
        }
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  const addr = server.address();
  const actualPort = typeof addr === "object" && addr ? addr.port : port;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/sql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => {})));
    },
  };
}
