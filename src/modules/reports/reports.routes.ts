import type { OpenAPIHono } from "@hono/zod-openapi";
import { type ZodObject, type ZodType, z } from "zod";
import { type AppContext, type AppEnv, tenantContext } from "../../core/context";
import { apiRouter, jsonResponse, route } from "../../core/route";
import { type CrmReport, toCsv } from "./crm-report";
import { clientRetentionReport } from "./reports/client-retention.report";
import { conversionRateReport } from "./reports/conversion-rate.report";
import { followUpsReport } from "./reports/follow-ups.report";
import { leadSourceReport } from "./reports/lead-source.report";
import { pipelineReport } from "./reports/pipeline.report";
import { projectPerformanceReport } from "./reports/project-performance.report";
import { revenueByClientReport } from "./reports/revenue-by-client.report";
import { revenueForecastReport } from "./reports/revenue-forecast.report";
import { upcomingTasksReport } from "./reports/upcoming-tasks.report";
import { userActivityReport } from "./reports/user-activity.report";

const COMMON =
  "Dates are ISO days, inclusive, in the tenant's time zone; without `start_date`/`end_date` the report covers all time (start after end: 400). Callers with `crm:read_all` (admins, owners, managers) report on the whole tenant, or on one member with `user_id`; everyone else on the records they created or are assigned (team and subtree roles: their members' too), and `user_id` answers 403. Percentages are 0–100 with 2 decimals, money 2 decimals, day averages 1 decimal. `format=csv` or `Accept: text/csv` answers the main table as CSV.";

/** Mounts one report as `GET /<name>`: JSON `{ data }` or, asked for, its main table as CSV. */
function mountReport<Q extends ZodObject | z.ZodPipe, D extends ZodType, K extends string>(
  router: OpenAPIHono<AppEnv>,
  report: CrmReport<Q, D, K>,
): void {
  const json = jsonResponse(z.object({ data: report.data }), report.summary);
  const declared = route({
    method: "get",
    path: report.path,
    summary: report.summary,
    description: `${report.description}\n\n${COMMON}`,
    tags: ["reports"],
    permission: report.permission,
    query: report.query,
    responses: {
      200: {
        ...json,
        content: { ...json.content, "text/csv": { schema: z.string().describe("The main table, RFC 4180") } },
      },
    },
    errors: { 404: "`user_id` is not a member of the tenant" },
  });
  const handler = async (c: AppContext): Promise<Response> => {
    // The route validated the query with `report.query`; inside this generic the library cannot name its type.
    const query = (c.req.valid as unknown as (target: "query") => z.output<Q> & { format?: "csv" })("query");
    const data = await report.run(tenantContext(c), query);
    if (query.format === "csv" || (c.req.header("accept") ?? "").includes("text/csv")) {
      return c.body(toCsv(report.csv, data), 200, { "content-type": "text/csv; charset=utf-8" });
    }
    return c.json({ data }, 200);
  };
  router.openapi(declared, handler as never);
}

/** `/api/reports/*`: the ten CRM reports of seed 003 (read from the CRM rollups). */
export const reportRoutes = apiRouter();
for (const report of [
  pipelineReport,
  leadSourceReport,
  conversionRateReport,
  revenueByClientReport,
  userActivityReport,
  followUpsReport,
  clientRetentionReport,
  projectPerformanceReport,
  upcomingTasksReport,
  revenueForecastReport,
] as const) {
  mountReport(reportRoutes, report as unknown as CrmReport<ZodObject, ZodType, string>);
}
