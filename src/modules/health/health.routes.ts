import { apiRouter, jsonResponse, route } from "../../core/route";
import { livenessSchema, readinessSchema } from "./health.schemas";
import { checkReadiness, READY_RETRY_AFTER_SECONDS } from "./health.service";

export const healthRoutes = apiRouter()
  .openapi(
    route({
      method: "get",
      path: "/",
      summary: "Liveness",
      description: "Answers without touching the database.",
      tags: ["health"],
      responses: { 200: jsonResponse(livenessSchema, "The Worker is up") },
    }),
    (c) => c.json({ data: { status: "ok" as const, time: new Date().toISOString() } }, 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/ready",
      summary: "Readiness",
      description: "One round trip to the database.",
      tags: ["health"],
      responses: { 200: jsonResponse(readinessSchema, "The database answers") },
      errors: {
        503: `The database is unreachable; retry after ${READY_RETRY_AFTER_SECONDS} s (Retry-After)`,
      },
    }),
    async (c) => {
      const result = await checkReadiness(c.get("db"), c.get("requestId"));
      c.header("Cache-Control", "no-store");
      return c.json({ data: { status: "ok" as const, ...result, time: new Date().toISOString() } }, 200);
    },
  );
