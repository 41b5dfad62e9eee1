import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../helpers/http";
import before from "./openapi-before.json";

type JsonSchema = {
  $ref?: string;
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
};

interface OpenApiOperation {
  responses: Record<string, unknown>;
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean; content: { "application/json": { schema: JsonSchema } } };
  security?: unknown[];
}

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** An operation as `openapi-before.json` records it (the document before the move to @hono/zod-openapi). */
function summarize(doc: OpenApiDoc, op: OpenApiOperation) {
  const parameters = (op.parameters ?? [])
    .map((p) => ({
      name: p.in === "header" ? p.name.toLowerCase() : p.name,
      in: p.in,
      required: p.required === true,
    }))
    .sort((a, b) => `${a.in} ${a.name}`.localeCompare(`${b.in} ${b.name}`));
  let body = null;
  if (op.requestBody) {
    let schema = op.requestBody.content["application/json"].schema;
    if (schema.$ref) schema = doc.components.schemas[schema.$ref.split("/").pop() ?? ""] ?? {};
    body = {
      required: op.requestBody.required === true,
      properties: Object.keys(schema.properties ?? {}).sort(),
      requiredProperties: [...(schema.required ?? [])].sort(),
      additionalProperties: schema.additionalProperties ?? true,
    };
  }
  return {
    parameters,
    requestBody: body,
    responses: Object.keys(op.responses).sort(),
    security: (op.security ?? []).length > 0,
  };
}

/** Corrections over the previous document: these bodies may be absent, and now say so. */
const OPTIONAL_BODIES: Record<string, string> = {
  "POST /api/auth/refresh": "the refresh token may come as `Authorization: Bearer rt_…` instead",
};

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

  it("still documents every operation of the previous document, with the same inputs and at least its statuses", async () => {
    const res = await call<OpenApiDoc>("GET", "/api/openapi.json");
    const old = before as Record<string, ReturnType<typeof summarize>>;
    for (const [key, was] of Object.entries(old)) {
      const [method = "", path = ""] = key.split(" ");
      const op = res.json.paths[path]?.[method.toLowerCase()];
      expect(op, key).toBeDefined();
      if (!op) continue;
      const now = summarize(res.json, op);
      expect(now.parameters, `${key} parameters`).toEqual(expect.arrayContaining(was.parameters));
      const expectedBody =
        key in OPTIONAL_BODIES && was.requestBody ? { ...was.requestBody, required: false } : was.requestBody;
      // An operation may gain optional body fields (a compatible change), never lose or require one.
      expect(now.requestBody, `${key} request body`).toEqual(
        expectedBody && {
          ...expectedBody,
          properties: expect.arrayContaining(expectedBody.properties),
        },
      );
      expect(now.responses, `${key} responses`).toEqual(expect.arrayContaining(was.responses));
      expect(now.security, `${key} security`).toBe(was.security);
    }
  });

  it("documents every error with the envelope, and 429 with Retry-After", async () => {
    const res = await call<OpenApiDoc>("GET", "/api/openapi.json");
    for (const [path, item] of Object.entries(res.json.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const r = response as { content?: Record<string, { schema: JsonSchema }>; headers?: object };
          expect(r.content?.["application/json"]?.schema.$ref, `${method} ${path} ${status}`).toBe(
            "#/components/schemas/ErrorEnvelope",
          );
          if (status === "429") expect(r.headers, `${method} ${path} 429`).toHaveProperty("Retry-After");
        }
      }
    }
  });

  it("documents the Idempotency-Key 422/409, the rate-limit 429s and the not-found 404s of referenced ids", async () => {
    const res = await call<OpenApiDoc>("GET", "/api/openapi.json");
    const op = (method: string, path: string) => res.json.paths[path]?.[method];
    const description = (method: string, path: string, status: string) =>
      (op(method, path)?.responses[status] as { description?: string } | undefined)?.description ?? "";
    for (const [path, item] of Object.entries(res.json.paths)) {
      if (path.startsWith("/api/auth/") || path.startsWith("/api/uploads/")) continue;
      for (const [method, operation] of Object.entries(item)) {
        if (method === "get") continue;
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(["409", "422"]),
        );
      }
    }
    for (const path of ["login", "forgot-password", "reset-password", "change-password"]) {
      expect(op("post", `/api/auth/${path}`)?.responses, path).toHaveProperty("429");
    }
    expect(description("post", "/api/auth/switch-tenant", "404")).toContain("Site not found");
    expect(description("post", "/api/teams", "404")).toContain("Parent team not found");
    expect(description("post", "/api/visits", "404")).toContain("Survey not found");
    expect(description("post", "/api/visits", "404")).toContain("Shop not found");
    expect(description("post", "/api/surveys", "404")).toContain("Brand not found");
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
