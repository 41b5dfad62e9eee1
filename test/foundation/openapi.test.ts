import { SELF } from "cloudflare:test";
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
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain('src="/docs/scalar.js"');
    expect(page.text).toContain('src="/docs/config.js"');
    // No inline script: the CSP allows scripts from this origin only.
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const js = await call("GET", "/docs/config.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect(js.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(js.text).toContain('url: "/api/openapi.json"');
    expect(js.text).not.toMatch(/https?:\/\//);
    // Scalar's bundle comes from the assets store (copied from node_modules), not the Worker script.
    const bundle = await SELF.fetch("https://api.example.test/docs/scalar.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect(Number((await bundle.arrayBuffer()).byteLength)).toBeGreaterThan(1_000_000);
    expect((await call("GET", "/docs/")).status).toBe(200);
    const missing = await call<{ error: { code: string } }>("GET", "/docs/nothing-here.js");
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("RESOURCE_NOT_FOUND");
  });
});
