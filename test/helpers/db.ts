import { env } from "cloudflare:workers";
import { createDb, type Db, DbMeter } from "../../src/core/db";
import { loadConfig } from "../../src/core/env";

/** The test's own handle on the same database the Worker uses (same driver, same HTTP path). */
export function testDb(): Db {
  return createDb(loadConfig(env), new DbMeter());
}
