import { describe, expect, it } from "vitest";
import { call } from "../helpers/http";

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>>;
  components: { schemas: Record<string, unknown> };
}

describe("OpenAPI", () => {
  it("serves an OpenAPI 3.1 document generated from the routes", async () => {
    const res = await call<OpenApiDoc>("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(["/api/health", "/api/health/ready"]));
    const ready = res.json.paths["/api/health/ready"]?.get;
    expect(ready?.responses).toHaveProperty("200");
    expect(ready?.responses).toHaveProperty("503");
    expect(res.json.components.schemas).toHaveProperty("ErrorEnvelope");
    const ids = Object.values(res.json.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("/docs is served with its own assets and a same-origin CSP", async () => {
    const page = await call("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/docs/app.js"');
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const js = await call("GET", "/docs/app.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect(js.text).not.toMatch(/https?:\/\/(?!api\.)/);
  });
});
