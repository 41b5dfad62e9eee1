import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/core/env";
import worker from "../../src/index";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

/**
 * GET /api/bench/floor exists only when BENCH_FLOOR is on outside production. The vitest config
 * leaves it off, so the "on" cases call the Worker's own fetch with a copy of the test env that
 * turns it on (the configuration is parsed per env object, so the copy gets its own).
 */
async function fetchWith(overrides: Record<string, string>, path: string, token?: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.example.test${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe("bench floor", () => {
  it("does not exist by default: 404 like any unknown route, no database work", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const res = await call<ErrorEnvelope>("GET", "/api/bench/floor", { token: agent.token });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("RESOURCE_NOT_FOUND");
    expect(res.json.error.message).toBe("No route for GET /api/bench/floor");
    expect(roundTrips(res.headers)).toBe(0);
    const unknown = await call<ErrorEnvelope>("GET", "/api/no-such-route", { token: agent.token });
    expect(unknown.json.error.code).toBe(res.json.error.code);
  });

  it("does not exist with BENCH_FLOOR=false either", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const res = await fetchWith({ BENCH_FLOOR: "false" }, "/api/bench/floor", agent.token);
    expect(res.status).toBe(404);
  });

  it("with BENCH_FLOOR=true: one round trip of select 1, behind authentication", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const res = await fetchWith({ BENCH_FLOOR: "true" }, "/api/bench/floor", agent.token);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { one: 1 } });
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.headers.get("server-timing")).toMatch(/^db;dur=\d+(\.\d+)?;desc="1 round trips"$/);
    expect(res.headers.get("x-request-id")).toBeTruthy();

    const v1 = await fetchWith({ BENCH_FLOOR: "true" }, "/api/v1/bench/floor", agent.token);
    expect(v1.status).toBe(200);

    const anonymous = await fetchWith({ BENCH_FLOOR: "true" }, "/api/bench/floor");
    expect(anonymous.status).toBe(401);
    expect(roundTrips(anonymous.headers)).toBe(0);

    const other = await fetchWith({ BENCH_FLOOR: "true" }, "/api/bench/other", agent.token);
    expect(other.status).toBe(404);
  });

  it("works in development the same way", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const res = await fetchWith(
      { BENCH_FLOOR: "true", APP_ENV: "development" },
      "/api/bench/floor",
      agent.token,
    );
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
  });

  it("is refused in production: the configuration does not load and nothing is served", async () => {
    expect(() => loadConfig({ ...env, APP_ENV: "production" })).not.toThrow();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(() => loadConfig({ ...env, APP_ENV: "production", BENCH_FLOOR: "true" })).toThrow(
        "The server is misconfigured",
      );
      expect(String(logged.mock.calls[0]?.[0])).toContain("BENCH_FLOOR is allowed only outside production");
    } finally {
      logged.mockRestore();
    }
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const res = await fetchWith(
      { BENCH_FLOOR: "true", APP_ENV: "production" },
      "/api/bench/floor",
      agent.token,
    );
    expect(res.status).toBe(500);
    expect((res.json as unknown as ErrorEnvelope).error.code).toBe("INTERNAL_ERROR");
    expect(JSON.stringify(res.json)).not.toContain("one");
  });
});
