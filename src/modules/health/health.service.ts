import type { Db } from "../../core/db";
import { ApiError } from "../../core/errors";
import { log } from "../../core/logger";
import { pingDatabase } from "./health.repo";

/** Seconds a client (or load balancer) should wait before asking again when the DB is down. */
export const READY_RETRY_AFTER_SECONDS = 5;

/** Readiness = the database answers one query. Failure is 503 with Retry-After, never a 500. */
export async function checkReadiness(db: Db, requestId: string): Promise<{ database: "ok" }> {
  try {
    await pingDatabase(db);
    return { database: "ok" };
  } catch (err) {
    log("warn", "readiness check failed", {
      request_id: requestId,
      error: err instanceof Error ? err.message : String(err),
    });
    throw new ApiError("SERVICE_UNAVAILABLE", "The database is unreachable", {
      headers: { "Retry-After": String(READY_RETRY_AFTER_SECONDS) },
    });
  }
}
