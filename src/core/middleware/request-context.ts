import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv, AuthInfo } from "../context";
import { createDb, DbMeter } from "../db";
import { loadConfig } from "../env";
import { uuidv7 } from "../ids";
import { type LogLevel, log } from "../logger";
import { onError } from "./error-handler";

/** Client-supplied request ids are kept only when they look like ids (no log injection). */
const REQUEST_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/**
 * The access log line. It names the caller once authentication has run (the tenant the request
 * acted in, which for a super admin's X-Tenant-ID is that tenant, and the user), so every line can
 * be filtered by tenant and user; both are null for a request with no valid token.
 */
function logRequest(c: AppContext, started: number, meter: DbMeter, minLevel: LogLevel = "info"): void {
  const status = c.res.status;
  const auth: AuthInfo | undefined = c.get("auth");
  log(
    status >= 500 ? "error" : "info",
    "request",
    {
      request_id: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      route: c.req.routePath,
      status,
      tenant_id: auth?.tenantId ?? null,
      // The token's own tenant, when X-Tenant-ID or X-Organization-Id made the request act elsewhere.
      ...(auth && auth.homeTenantId !== auth.tenantId ? { home_tenant_id: auth.homeTenantId } : {}),
      user_id: auth?.userId ?? null,
      duration_ms: Date.now() - started,
      db_round_trips: meter.roundTrips,
      db_ms: Math.round(meter.durationMs * 10) / 10,
    },
    minLevel,
  );
}

/**
 * First middleware of every request: request id, validated configuration, the request's metered
 * database handle, the access log line and (with DB_TIMING) `Server-Timing`. The database handle
 * is only a client object: no connection is opened until a query runs.
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : uuidv7();
  c.set("requestId", requestId);
  c.header("X-Request-Id", requestId);
  const meter = new DbMeter();
  c.set("meter", meter);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(c.env);
  } catch (err) {
    c.res = await onError(err instanceof Error ? err : new Error(String(err)), c);
    logRequest(c, started, meter);
    return c.res;
  }
  c.set("config", config);
  c.set("db", createDb(config, meter));
  await next();
  if (config.DB_TIMING) c.header("Server-Timing", meter.serverTiming());
  logRequest(c, started, meter, config.LOG_LEVEL);
});
