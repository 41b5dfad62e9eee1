import { unstable_startWorker } from "wrangler";
import { applyMigrations } from "../../scripts/local-db/migrate.mjs";
import { startDbStack } from "../../scripts/local-db/stack.mjs";

export interface RunningApi {
  origin: string;
  /** The database behind it (in-memory PGlite), for tools that write to it directly. */
  databaseUrl: string;
  stop: () => Promise<void>;
}

const plain = (value: string) => ({ type: "plain_text" as const, value });

/**
 * The Worker as `wrangler dev` runs it (workerd, Workers Static Assets, the wrangler.jsonc bindings)
 * on a free port, against its own in-memory PGlite with the migrations applied — so the browser's
 * "try it" requests reach a real database. Never the server in DATABASE_URL: nothing to clean up.
 */
export async function startApi(): Promise<RunningApi> {
  const stack = await startDbStack({});
  try {
    await applyMigrations(stack.databaseUrl, { wsProxy: stack.wsProxy });
    const worker = await unstable_startWorker({
      config: "./wrangler.jsonc",
      bindings: {
        APP_ENV: plain("development"),
        DATABASE_URL: plain(stack.databaseUrl),
        NEON_LOCAL_SQL_ENDPOINT: plain(stack.sqlEndpoint),
        NEON_LOCAL_WS_PROXY: plain(stack.wsProxy),
        DB_TIMING: plain("false"),
        LOG_LEVEL: plain("error"),
      },
      sendMetrics: false,
      dev: {
        // Port 0: the OS picks a free one; worker.url reports it.
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        persist: false,
        watch: false,
        liveReload: false,
        logLevel: "error",
      },
    });
    await worker.ready;
    const origin = (await worker.url).origin;
    return {
      origin,
      databaseUrl: stack.databaseUrl,
      stop: async () => {
        try {
          await worker.dispose();
        } finally {
          await stack.stop();
        }
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
