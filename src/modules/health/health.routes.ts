import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { describe } from "../../core/openapi";
import { livenessSchema, readinessSchema } from "./health.schemas";
import { checkReadiness } from "./health.service";

export const healthRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Liveness",
      description: "Answers without touching the database.",
      tags: ["health"],
      responses: { 200: { description: "The Worker is up", schema: livenessSchema } },
    }),
    (c) => c.json({ data: { status: "ok" as const, time: new Date().toISOString() } }),
  )
  .get(
    "/ready",
    describe({
      summary: "Readiness",
      description: "One round trip to the database.",
      tags: ["health"],
      responses: { 200: { description: "The database answers", schema: readinessSchema } },
      errors: ["SERVICE_UNAVAILABLE"],
    }),
    async (c) => {
      const result = await checkReadiness(c.get("db"), c.get("requestId"));
      c.header("Cache-Control", "no-store");
      return c.json({ data: { status: "ok" as const, ...result, time: new Date().toISOString() } });
    },
  );
