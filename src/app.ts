import { Hono } from "hono";
import type { AppEnv } from "./core/context";
import { notFound, onError } from "./core/middleware/error-handler";
import { requestContext } from "./core/middleware/request-context";
import { apiSecurityHeaders, corsFromConfig, limitBody } from "./core/middleware/security";
import { refuseUnstorableInput } from "./core/middleware/storable-input";
import { buildOpenApiDocument } from "./core/openapi-document";
import { apiRouter } from "./core/route";
import { adminRoutes, analyticsRoutes } from "./modules/analytics/analytics.routes";
import { attendanceRoutes } from "./modules/attendance/attendance.routes";
import { departmentRoutes } from "./modules/attendance/departments.routes";
import { employeeRoutes } from "./modules/attendance/employees.routes";
import { leaveRoutes } from "./modules/attendance/leave.routes";
import { shiftRoutes } from "./modules/attendance/shifts.routes";
import { auditRoutes } from "./modules/audit/audit.routes";
import { authRoutes } from "./modules/auth/auth.routes";
import { benchRoutes } from "./modules/bench/bench.routes";
import { brandRoutes } from "./modules/brands/brands.routes";
import { callCycleRoutes } from "./modules/call-cycles/call-cycles.routes";
import {
  accountRoutes,
  clientRoutes,
  contactRoutes,
  interactionRoutes,
  leadRoutes,
  noteRoutes,
  projectRoutes,
  searchRoutes,
} from "./modules/crm/crm.routes";
import { dealAnalyticsRoutes, dealRoutes, taskRoutes } from "./modules/deals/deals.routes";
import { docsRoutes } from "./modules/docs/docs.routes";
import { goalRoutes } from "./modules/goals/goals.routes";
import { healthRoutes } from "./modules/health/health.routes";
import { photoRoutes } from "./modules/photos/photos.routes";
import { uploadRoutes } from "./modules/photos/uploads.routes";
import { reportRoutes } from "./modules/reports/reports.routes";
import { roleRoutes } from "./modules/roles/roles.routes";
import { shopRoutes } from "./modules/shops/shops.routes";
import { questionRoutes } from "./modules/surveys/questions.routes";
import { surveyRoutes } from "./modules/surveys/surveys.routes";
import { syncRoutes } from "./modules/sync/sync.routes";
import { teamRoutes } from "./modules/teams/teams.routes";
import { organizationRoutes } from "./modules/tenants/organizations.routes";
import { siteRoutes } from "./modules/tenants/sites.routes";
import { tenantRoutes } from "./modules/tenants/tenants.routes";
import { trashRoutes } from "./modules/trash/trash.routes";
import { userRoutes } from "./modules/users/users.routes";
import { visitRoutes } from "./modules/visits/visits.routes";

export const API_VERSION = "0.1.0";

/** Every module's router, mounted under /api (and its aliases /api/v1, /api/v2). One line per module. */
function createApiRouter() {
  const api = apiRouter();
  api.use("*", corsFromConfig, apiSecurityHeaders, limitBody, refuseUnstorableInput);
  api.route("/auth", authRoutes);
  api.route("/health", healthRoutes);
  api.route("/tenants", tenantRoutes);
  api.route("/sites", siteRoutes);
  api.route("/organizations", organizationRoutes);
  api.route("/users", userRoutes);
  api.route("/roles", roleRoutes);
  api.route("/teams", teamRoutes);
  api.route("/audit", auditRoutes);
  api.route("/brands", brandRoutes);
  api.route("/surveys", surveyRoutes);
  api.route("/questions", questionRoutes);
  api.route("/shops", shopRoutes);
  api.route("/photos", photoRoutes);
  api.route("/uploads", uploadRoutes);
  api.route("/visits", visitRoutes);
  api.route("/analytics/deals", dealAnalyticsRoutes);
  api.route("/analytics", analyticsRoutes);
  api.route("/admin", adminRoutes);
  api.route("/sync", syncRoutes);
  api.route("/bench", benchRoutes);
  api.route("/goals", goalRoutes);
  api.route("/call_cycles", callCycleRoutes);
  api.route("/departments", departmentRoutes);
  api.route("/employees", employeeRoutes);
  api.route("/shifts", shiftRoutes);
  api.route("/attendance", attendanceRoutes);
  api.route("/leave-requests", leaveRoutes);
  api.route("/accounts", accountRoutes);
  api.route("/clients", clientRoutes);
  api.route("/reports", reportRoutes);
  api.route("/leads", leadRoutes);
  api.route("/projects", projectRoutes);
  api.route("/contacts", contactRoutes);
  api.route("/interactions", interactionRoutes);
  api.route("/notes", noteRoutes);
  api.route("/trash", trashRoutes);
  api.route("/search", searchRoutes);
  api.route("/deals", dealRoutes);
  api.route("/tasks", taskRoutes);

  const info = {
    title: "Sales-Sync Edge API",
    version: API_VERSION,
    description:
      "Multi-tenant field sales API. Today: identity and tenancy (auth, tenants, users, roles, teams, audit) and the field-sales core (brands, surveys, shops, visits, photos and shelf share), and workforce attendance (departments, employees, shifts, face check-in, records, leave). Interactions, CRM and deals are planned.",
    basePath: "/api",
  };
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  api.get("/openapi.json", (c) => {
    document ??= buildOpenApiDocument(api, info);
    c.header("Cache-Control", "public, max-age=300");
    return c.json(document);
  });
  return api;
}

/** The Worker's HTTP application: global middleware, error envelope, routers. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext);
  app.onError(onError);
  app.notFound(notFound);
  const api = createApiRouter();
  app.route("/api", api);
  app.route("/api/v1", api);
  app.route("/api/v2", api);
  app.route("/docs", docsRoutes);
  return app;
}
