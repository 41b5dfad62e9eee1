import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

describe("health", () => {
  it("liveness answers without touching the database", async () => {
    const res = await call<{ data: { status: string } }>("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.json.data.status).toBe("ok");
    expect(roundTrips(res.headers)).toBe(0);
  });

  it("readiness makes exactly one round trip to the database", async () => {
    const res = await call<{ data: { status: string; database: string } }>("GET", "/api/health/ready");
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ status: "ok", database: "ok" });
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.headers.get("server-timing")).toMatch(/^db;dur=\d+(\.\d+)?;desc="1 round trips"$/);
  });

  it("/api/v1 serves the same routes", async () => {
    const v1 = await call<{ data: { database: string } }>("GET", "/api/v1/health/ready");
    expect(v1.status).toBe(200);
    expect(v1.json.data.database).toBe("ok");
  });

  it("readiness answers 503 with Retry-After when the database is unreachable", async () => {
    const unreachable = {
      ...env,
      // Nothing listens on port 1: the local SQL endpoint cannot connect.
      DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:1/postgres",
    };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("https://api.example.test/api/health/ready"),
      unreachable,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const body = (await res.json()) as ErrorEnvelope;
    expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres/);
  });
});
