import { neon, neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { DbMeter } from "./db-meter";
import type { AppConfig } from "./env";

/**
 * The request-path database: HTTP, one fetch per query, `db.batch([...])` = one atomic fetch.
 * Built per request (each carries its request's meter) WITHOUT drizzle's relational schema: the
 * code uses the query builder and `sql` only, and extracting the relational config of every table
 * on each construction was the largest single item of a simple request's CPU profile.
 */
export type Db = NeonHttpDatabase;
/** A WebSocket session for interactive transactions and jobs. */
export type SessionDb = NeonDatabase;

/** Carried in each query's fetch options so the shared fetch function can meter per request. */
const METER = Symbol("db-meter");

type MeteredInit = RequestInit & { [METER]?: DbMeter };

let configuredFor: string | undefined;

/**
 * Points the driver at the local endpoints when (and only when) the local variables are set;
 * production keeps the driver's defaults. neonConfig is module state, so this runs once per
 * isolate and configuration.
 */
export function configureDriver(config: AppConfig): void {
  const key = `${config.NEON_LOCAL_SQL_ENDPOINT ?? ""}|${config.NEON_LOCAL_WS_PROXY ?? ""}`;
  if (configuredFor === key) return;
  configuredFor = key;
  const endpoint = config.NEON_LOCAL_SQL_ENDPOINT;
  if (endpoint) neonConfig.fetchEndpoint = () => endpoint;
  const proxy = config.NEON_LOCAL_WS_PROXY;
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // The default "password" pipelining fails against plain Postgres and hangs PGlite.
    neonConfig.pipelineConnect = false;
  }
  neonConfig.fetchFunction = (url: string, init: MeteredInit = {}) => {
    const { [METER]: meter, ...rest } = init;
    const request = fetch(url, rest);
    return meter ? meter.track(request) : request;
  };
}

/** The HTTP database for one request; every query it sends is counted on `meter`. */
export function createDb(config: AppConfig, meter: DbMeter): Db {
  configureDriver(config);
  const client = neon(config.DATABASE_URL, { fetchOptions: { [METER]: meter } });
  return drizzleHttp({ client });
}

/**
 * Runs `work` on a WebSocket pool created for it and ends the pool afterwards. Each query counts
 * as a round trip on `meter`. The pool's end is handed to `waitUntil`: the driver's end() resolves
 * only once the server closes the socket, which must not hold up the response.
 */
export async function withSession<T>(
  config: AppConfig,
  meter: DbMeter,
  waitUntil: (p: Promise<unknown>) => void,
  work: (db: SessionDb) => Promise<T>,
): Promise<T> {
  configureDriver(config);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  pool.on("error", () => {});
  const metered = new WeakSet<PoolClient>();
  pool.on("connect", (client: PoolClient) => {
    if (metered.has(client)) return;
    metered.add(client);
    const target = client as unknown as { query: (...args: unknown[]) => unknown };
    const query = target.query.bind(client);
    target.query = (...args: unknown[]) => {
      const done = meter.start();
      const last = args.at(-1);
      if (typeof last === "function") {
        // pg's Pool.query passes a callback instead of awaiting a promise.
        args[args.length - 1] = (...result: unknown[]) => {
          done();
          return last(...result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) return result.finally(done);
      done();
      return result;
    };
  });
  try {
    return await work(drizzleWs({ client: pool }));
  } finally {
    waitUntil(pool.end().catch(() => {}));
  }
}

export { DbMeter };
