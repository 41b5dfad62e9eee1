import { describe, expect, it } from "vitest";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { auditOf, type TeamJson, teamTree } from "../helpers/teams";

async function setup() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  return { tenant, admin };
}

describe("Idempotency-Key on POST /api/teams", () => {
  it("a retry replays the stored response with Idempotent-Replayed: true and creates nothing", async () => {
    const { tenant, admin } = await setup();
    const send = () =>
      call<{ data: TeamJson }>("POST", "/api/teams", {
        token: admin.token,
        headers: { "idempotency-key": "create-team-1" },
        body: { name: "Field team" },
      });
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    expect((await teamTree(tenant.id)).teams).toHaveLength(1);
    expect(await auditOf(tenant.id, first.json.data.id)).toHaveLength(1);
  });

  it("the same key with a different body → 422 and nothing written", async () => {
    const { tenant, admin } = await setup();
    const first = await call("POST", "/api/teams", {
      token: admin.token,
      headers: { "idempotency-key": "k-2" },
      body: { name: "One" },
    });
    expect(first.status).toBe(201);
    const other = await call<ErrorEnvelope>("POST", "/api/teams", {
      token: admin.token,
      headers: { "idempotency-key": "k-2" },
      body: { name: "Two" },
    });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe("VALIDATION_ERROR");
    expect((await teamTree(tenant.id)).teams.map((t) => t.name)).toEqual(["One"]);
  });

  it("concurrent identical keyed POSTs create exactly one team", async () => {
    const { tenant, admin } = await setup();
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        call<{ data: TeamJson } & Partial<ErrorEnvelope>>("POST", "/api/teams", {
          token: admin.token,
          headers: { "idempotency-key": "burst-1" },
          body: { name: "Burst" },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // Every 201 is the same team; the others were told the first is still in flight (409 + Retry-After),
    // never "name already taken".
    expect(new Set(created.map((r) => r.json.data.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.headers.get("retry-after")).toBe("1");
      expect(r.json.error?.message).toMatch(/still being processed/);
    }
    const { teams } = await teamTree(tenant.id);
    expect(teams.map((t) => t.name)).toEqual(["Burst"]);
  });

  it("keys are per user: another admin's identical key is a new request", async () => {
    const { tenant, admin } = await setup();
    const other = await createUser(tenant, ["admin"]);
    const a = await call("POST", "/api/teams", {
      token: admin.token,
      headers: { "idempotency-key": "same" },
      body: { name: "A" },
    });
    const b = await call("POST", "/api/teams", {
      token: other.token,
      headers: { "idempotency-key": "same" },
      body: { name: "B" },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
  });
});
