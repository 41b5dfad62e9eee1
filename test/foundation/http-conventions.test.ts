import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../src/app";
import { dataEnvelope } from "../../src/core/openapi";
import { apiRouter, jsonResponse, route } from "../../src/core/route";
import { call, type ErrorEnvelope } from "../helpers/http";

/**
 * The cross-cutting behaviour of every route, exercised through the real app and middleware
 * stack. Two probe routes are added to a fresh app instance here: one validating a JSON body and
 * one throwing an unexpected error with SQL and a stack in it.
 */
function probeApp() {
  const app = createApp();
  const body = z.strictObject({ name: z.string().min(1).max(50), qty: z.number().int().min(0).max(1000) });
  const probe = apiRouter().openapi(
    route({
      method: "post",
      path: "/",
      summary: "Probe",
      tags: ["probe"],
      body,
      responses: { 201: jsonResponse(dataEnvelope(body), "Echo") },
    }),
    (c) => c.json({ data: c.req.valid("json") }, 201),
  );
  app.route("/api/_probe", probe);
  app.get("/api/_boom", () => {
    throw new Error('duplicate key value violates unique constraint "users_email_key" SELECT * FROM users');
  });
  return app;
}

async function probe(path: string, init: RequestInit = {}, bindings: Env = env) {
  const ctx = createExecutionContext();
  const res = await probeApp().fetch(new Request(`https://api.example.test${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { res, text, json: (text ? JSON.parse(text) : null) as ErrorEnvelope };
}

const jsonPost = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

describe("request id", () => {
  it("generates one and returns it in the header and the error envelope", async () => {
    const res = await call<ErrorEnvelope>("GET", "/api/nope");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.request_id).toBe(id);
  });

  it("keeps a well-formed client id and replaces a malformed one", async () => {
    const kept = await call("GET", "/api/health", { headers: { "x-request-id": "phone-1234-abcd" } });
    expect(kept.headers.get("x-request-id")).toBe("phone-1234-abcd");
    const replaced = await call("GET", "/api/health", { headers: { "x-request-id": "bad id <script>" } });
    expect(replaced.headers.get("x-request-id")).not.toContain("bad");
  });
});

describe("error envelope", () => {
  it("unknown route → 404 RESOURCE_NOT_FOUND", async () => {
    const res = await call<ErrorEnvelope>("GET", "/api/does-not-exist");
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("RESOURCE_NOT_FOUND");
  });

  it("valid body passes and is echoed", async () => {
    const { res, text } = await probe("/api/_probe", jsonPost('{"name":"a","qty":2}'));
    expect(res.status).toBe(201);
    expect(JSON.parse(text)).toEqual({ data: { name: "a", qty: 2 } });
  });

  it("malformed JSON → 400 VALIDATION_ERROR", async () => {
    const { res, json } = await probe("/api/_probe", jsonPost('{"name": "a",'));
    expect(res.status).toBe(400);
    expect(json.error.code).toBe("VALIDATION_ERROR");
    expect(json.error.message).toMatch(/malformed json/i);
  });

  it("wrong content type → 415", async () => {
    const { res, json } = await probe("/api/_probe", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=a&qty=2",
    });
    expect(res.status).toBe(415);
    expect(json.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("wrong types, out-of-range numbers and unknown fields → 400 with per-field details", async () => {
    const { res, json } = await probe(
      "/api/_probe",
      jsonPost(JSON.stringify({ name: 5, qty: 5000, tenant_id: "x", created_by: "y" })),
    );
    expect(res.status).toBe(400);
    expect(json.error.code).toBe("VALIDATION_ERROR");
    const fields = (json.error.details ?? []).map((d) => d.field).sort();
    expect(fields).toEqual(["created_by", "name", "qty", "tenant_id"]);
  });

  it("body over MAX_BODY_BYTES → 413 PAYLOAD_TOO_LARGE", async () => {
    const big = JSON.stringify({ name: "a", qty: 1, pad: "x".repeat(1024 * 1024 + 10) });
    const { res, json } = await probe("/api/_probe", jsonPost(big));
    expect(res.status).toBe(413);
    expect(json.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("an unexpected exception → 500 with no stack, SQL or internals", async () => {
    const { res, text, json } = await probe("/api/_boom");
    expect(res.status).toBe(500);
    expect(json.error).toEqual({ code: "INTERNAL_ERROR", message: "An unexpected error occurred" });
    expect(text).not.toMatch(/SELECT|users_email_key|at .*\.ts|Error:/);
  });

  it("invalid configuration → 500 naming nothing internal outside development", async () => {
    const bindings = { ...env, APP_ENV: "production", JWT_SECRET: undefined } as unknown as Env;
    const { res, json } = await probe("/api/health", {}, bindings);
    expect(res.status).toBe(500);
    expect(json.error).toEqual({ code: "INTERNAL_ERROR", message: "The server is misconfigured" });
  });

  it("invalid configuration in development names what is missing", async () => {
    const bindings = { ...env, DATABASE_URL: undefined } as unknown as Env;
    const { res, json } = await probe("/api/health", {}, bindings);
    expect(res.status).toBe(500);
    expect(json.error.message).toContain("DATABASE_URL is required");
  });
});

describe("security headers and CORS", () => {
  it("API responses carry strict security headers", async () => {
    const res = await call("GET", "/api/health");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("allows configured origins and ignores others", async () => {
    const allowed = await call("OPTIONS", "/api/health", {
      headers: { origin: "https://app.example.test", "access-control-request-method": "GET" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    const other = await call("GET", "/api/health", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
