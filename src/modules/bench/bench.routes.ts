import { createMiddleware } from "hono/factory";
import { type AppEnv, tenantContext } from "../../core/context";
import { notFound } from "../../core/middleware/error-handler";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { floorResponse } from "./bench.schemas";
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

const benchRouter = apiRouter();
benchRouter.use("*", benchEnabled);

export const benchRoutes = benchRouter.openapi(
  route({
    method: "get",
    path: "/floor",
    summary: "Benchmark floor",
    description: "The cheapest authenticated read, for load tests (bench only).",
    tags: ["bench"],
    auth: true,
    hidden: true,
    responses: { 200: jsonResponse(floorResponse, "The floor read") },
  }),
  async (c) => {
    const data = await floor(tenantContext(c));
    c.header("Cache-Control", "no-store");
    return c.json({ data }, 200);
  },
);
