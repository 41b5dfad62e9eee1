import { createDb, type Db, DbMeter } from "../core/db";
import { type AppConfig, loadConfig } from "../core/env";

/** What a queue consumer or cron job works with: the same config and metered database as a request. */
export interface JobContext {
  env: Env;
  config: AppConfig;
  db: Db;
  meter: DbMeter;
  waitUntil: (promise: Promise<unknown>) => void;
}

export function createJobContext(env: Env, ctx: ExecutionContext): JobContext {
  const config = loadConfig(env);
  const meter = new DbMeter();
  return { env, config, db: createDb(config, meter), meter, waitUntil: (p) => ctx.waitUntil(p) };
}
