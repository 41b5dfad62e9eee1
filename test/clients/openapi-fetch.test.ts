import { SELF } from "cloudflare:test";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { paths } from "../../clients/openapi";
import { createBrand } from "../helpers/catalog";
import { createTenant, createUser } from "../helpers/factories";

/**
 * The generated client types (`npm run export` → clients/openapi.d.ts, openapi-typescript) used the
 * way the README shows, with openapi-fetch. `npm run typecheck` checks this file against the types
 * (the @ts-expect-error lines prove they are not `any`); the test runs it against the Worker.
 */

const client = (token?: string) =>
  createClient<paths>({
    baseUrl: "https://api.example.test",
    fetch: (request) => SELF.fetch(request),
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });

describe("openapi-fetch with the generated types", () => {
  it("calls the API with typed paths, queries and answers", async () => {
    const health = await client().GET("/api/health");
    expect(health.response.status).toBe(200);
    expect(health.data?.data.status).toBe("ok");

    const tenant = await createTenant();
    const { token } = await createUser(tenant, ["admin"]);
    const brand = await createBrand(tenant);
    const api = client(token);
    const list = await api.GET("/api/brands", { params: { query: { page_size: 10 } } });
    expect(list.response.status).toBe(200);
    const names: string[] | undefined = list.data?.data.map((b) => b.name);
    expect(names).toContain(brand.name);

    const one = await api.GET("/api/brands/{id}", { params: { path: { id: brand.id } } });
    expect(one.data?.data.id).toBe(brand.id);
    const missing = await api.GET("/api/brands/{id}", {
      params: { path: { id: "01900000-0000-7000-8000-000000000000" } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe("RESOURCE_NOT_FOUND");
  });

  it("rejects what the document does not allow, at compile time", () => {
    const api = client();
    // Not a path of the API.
    // @ts-expect-error
    void (() => api.GET("/api/no-such-route"));
    // The brand id is a required path parameter.
    // @ts-expect-error
    void (() => api.GET("/api/brands/{id}", {}));
    // page_size is a number.
    // @ts-expect-error
    void (() => api.GET("/api/brands", { params: { query: { page_size: "ten" } } }));
    expect(true).toBe(true);
  });
});
