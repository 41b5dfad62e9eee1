import { describe, expect, it } from "vitest";
import { catalogSnapshot, createBrand, createSurvey } from "../helpers/catalog";
import { createCustomRole, createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";

/**
 * Every survey and question route runs the shared suite: 401 without a token, 403 without the
 * permission, 404 for another tenant's id (survey, question, or the brand a survey points at).
 */

const snapshot = async (tenant: TenantRow) => catalogSnapshot(tenant.id);
const createOneSurvey = async (tenant: TenantRow) => (await createSurvey(tenant)).survey.id;
const createOneQuestion = async (tenant: TenantRow) => {
  const { questions } = await createSurvey(tenant, { questions: [{ prompt: "Q", type: "text" }] });
  return questions[0]?.id ?? "";
};

describeTenantIsolation({
  name: "GET /api/surveys/:id",
  method: "GET",
  path: (id) => `/api/surveys/${id}`,
  permission: "surveys:read",
  create: createOneSurvey,
  snapshot,
  allowedRoles: ["agent"],
});

describeTenantIsolation({
  name: "POST /api/surveys (brand_id of the tenant)",
  method: "POST",
  path: () => "/api/surveys",
  permission: "surveys:write",
  body: (id) => ({
    title: "Branded",
    visit_type: "shop",
    brand_id: id,
    questions: [{ prompt: "Q", type: "text" }],
  }),
  create: async (tenant) => (await createBrand(tenant)).id,
  snapshot,
});

for (const method of ["PUT", "PATCH"] as const) {
  describeTenantIsolation({
    name: `${method} /api/surveys/:id`,
    method,
    path: (id) => `/api/surveys/${id}`,
    permission: "surveys:write",
    body: { title: "Renamed", is_active: false },
    create: createOneSurvey,
    snapshot,
  });

  describeTenantIsolation({
    name: `${method} /api/surveys/:id (brand_id of the tenant)`,
    method,
    path: (id) => `/api/surveys/${id.split("|")[0]}`,
    permission: "surveys:write",
    body: (id) => ({ brand_id: id.split("|")[1] }),
    create: async (tenant) => {
      const [{ survey }, brand] = await Promise.all([createSurvey(tenant), createBrand(tenant)]);
      return `${survey.id}|${brand.id}`;
    },
    snapshot,
  });

  describeTenantIsolation({
    name: `${method} /api/questions/:id`,
    method,
    path: (id) => `/api/questions/${id}`,
    permission: "surveys:write",
    body: { prompt: "Edited", is_required: true },
    create: createOneQuestion,
    snapshot,
  });
}

describeTenantIsolation({
  name: "DELETE /api/surveys/:id",
  method: "DELETE",
  path: (id) => `/api/surveys/${id}`,
  permission: "surveys:write",
  create: createOneSurvey,
  snapshot,
});

describeTenantIsolation({
  name: "POST /api/surveys/:id/questions",
  method: "POST",
  path: (id) => `/api/surveys/${id}/questions`,
  permission: "surveys:write",
  body: { prompt: "Added", type: "rating" },
  create: createOneSurvey,
  snapshot,
});

describeTenantIsolation({
  name: "DELETE /api/questions/:id",
  method: "DELETE",
  path: (id) => `/api/questions/${id}`,
  permission: "surveys:write",
  create: createOneQuestion,
  snapshot,
});

describe("tenant isolation: GET /api/surveys", () => {
  it("no token → 401; a role without surveys:read → 403", async () => {
    const tenant = await createTenant();
    await createCustomRole(tenant, "no_rights", []);
    const caller = await createUser(tenant, ["no_rights"]);
    expect((await call<ErrorEnvelope>("GET", "/api/surveys")).status).toBe(401);
    expect((await call<ErrorEnvelope>("GET", "/api/surveys", { token: caller.token })).status).toBe(403);
  });

  it("shows only the caller's tenant, also when filtering by another tenant's brand", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const brand = await createBrand(theirs);
    await createSurvey(theirs, { brandId: brand.id });
    const agent = await createUser(mine, ["agent"]);
    for (const qs of ["", `?brand_id=${brand.id}`]) {
      const list = await call<{ data: unknown[] }>("GET", `/api/surveys${qs}`, { token: agent.token });
      expect(list.status).toBe(200);
      expect(list.json.data).toEqual([]);
    }
  });
});
