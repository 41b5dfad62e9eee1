import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { type AppEnv, tenantContext } from "../../core/context";
import { authenticate } from "../../core/middleware/auth";
import { notFound } from "../../core/middleware/error-handler";
import { floor } from "./bench.service";

/**
 * The bench routes exist only when BENCH_FLOOR is on outside production (the configuration refuses
 * it in production): otherwise every path under /bench answers exactly as an unknown route does.
 * They are deliberately left out of the OpenAPI document — they are not part of the API.
 */
const benchEnabled = createMiddleware<AppEnv>(async (c, next) => {
  const config = c.get("config");
  if (!config.BENCH_FLOOR || !config.isDev) return notFound(c);
  await next();
});

export const benchRoutes = new Hono<AppEnv>()
  .use("*", benchEnabled, authenticate)
  .get("/floor", async (c) => {
    const data = await floor(tenantContext(c));
    c.header("Cache-Control", "no-store");
    return c.json({ data });
  });
