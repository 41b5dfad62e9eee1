import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodObject, ZodType, z } from "zod";
import type { AppEnv } from "../../core/context";
import { tenantContext } from "../../core/context";
import { apiRouter, jsonResponse, route } from "../../core/route";
import type { Report } from "./report";
import { callCycleCoverageReport } from "./reports/call-cycle-coverage.report";
import { overviewReport } from "./reports/overview.report";
import { shelfShareReport } from "./reports/shelf-share.report";
import { surveyCompletionReport } from "./reports/survey-completion.report";
import { userActivityReport } from "./reports/user-activity.report";
import { visitsSeriesReport } from "./reports/visits.report";

/**
 * Mounts one report as a GET route declared with `route()`: its permission enforced, its query
 * validated and its response documented from the report's own schemas.
 */
export function mountReport<Q extends ZodObject, R extends ZodType>(
  router: OpenAPIHono<AppEnv>,
  tag: string,
  report: Report<Q, R>,
): void {
  const declared = route({
    method: "get",
    path: report.path,
    summary: report.summary,
    description: report.description,
    tags: [tag],
    permission: report.permission,
    query: report.query,
    responses: { 200: jsonResponse(report.response, report.summary) },
  });
  router.openapi(declared, async (c) => {
    // The route validated the query with `report.query`; inside this generic the library cannot
    // name the validated type, so it is stated here.
    const query = (c.req.valid as (target: "query") => z.output<Q>)("query");
    const body = await report.run(tenantContext(c), query);
    return c.json(body, 200);
  });
}

/** `/api/analytics/*`: the scoped analytics reports. */
export const analyticsRoutes = apiRouter();
mountReport(analyticsRoutes, "analytics", overviewReport);
mountReport(analyticsRoutes, "analytics", visitsSeriesReport);
mountReport(analyticsRoutes, "analytics", shelfShareReport);
mountReport(analyticsRoutes, "analytics", callCycleCoverageReport);

/** `/api/admin/*`: the admin-only usage reports. */
export const adminRoutes = apiRouter();
mountReport(adminRoutes, "admin", userActivityReport);
mountReport(adminRoutes, "admin", surveyCompletionReport);
