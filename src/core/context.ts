import type { Context } from "hono";
import type { Db, DbMeter } from "./db";
import type { AppConfig } from "./env";

/** Per-request values set by the global middleware (typed `c.get(...)`). */
export interface AppVariables {
  requestId: string;
  config: AppConfig;
  meter: DbMeter;
  db: Db;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;
