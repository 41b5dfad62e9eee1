import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, users } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { newUserBody } from "../helpers/users";

type Created = { data: { id: string; email: string } } & ErrorEnvelope;

const usersWithEmail = async (email: string) =>
  testDb().select().from(users).where(sql`lower(${users.email}) = lower(${email})`);

async function admin() {
  const tenant = await createTenant();
  return { tenant, admin: await createUser(tenant, ["admin"]) };
}

describe("POST /api/users with Idempotency-Key", () => {
  it("a retry replays the stored response: same status and body, one user, Idempotent-Replayed", async () => {
    const { tenant, admin: caller } = await admin();
    const body = newUserBody();
    const headers = { "idempotency-key": `create-${body.email}` };
    const first = await call<Created>("POST", "/api/users", { token: caller.token, body, headers });
    expect(first.status).toBe(201);
    // The header costs two round trips (claim, store) on top of the create's one.
    expect(roundTrips(first.headers)).toBe(3);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await call<Created>("POST", "/api/users", { token: caller.token, body, headers });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await usersWithEmail(body.email)).toHaveLength(1);
    const members = await testDb().select().from(memberships).where(eq(memberships.tenantId, tenant.id));
    expect(members).toHaveLength(2);
  });

  it("the same key with a different body → 422, nothing created", async () => {
    const { admin: caller } = await admin();
    const headers = { "idempotency-key": "same-key-different-body" };
    const first = await call<Created>("POST", "/api/users", {
      token: caller.token,
      body: newUserBody(),
      headers,
    });
    expect(first.status).toBe(201);
    const otherBody = newUserBody();
    const second = await call<Created>("POST", "/api/users", {
      token: caller.token,
      body: otherBody,
      headers,
    });
    expect(second.status).toBe(422);
    expect(second.json.error.code).toBe("VALIDATION_ERROR");
    expect(await usersWithEmail(otherBody.email)).toHaveLength(0);
  });

  it("5 concurrent identical keyed POSTs create exactly one user; the others are 409 or the replay", async () => {
    const { admin: caller } = await admin();
    const body = newUserBody();
    const headers = { "idempotency-key": `race-${body.email}` };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        call<Created>("POST", "/api/users", { token: caller.token, body, headers }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      expect([201, 409]).toContain(r.status);
      if (r.status === 409) expect(r.headers.get("retry-after")).toBe("1");
    }
    const created = results.filter((r) => r.status === 201);
    const fresh = created.filter((r) => r.headers.get("idempotent-replayed") !== "true");
    expect(fresh).toHaveLength(1);
    for (const r of created) expect(r.json.data.id).toBe(fresh[0]?.json.data.id);
    expect(await usersWithEmail(body.email)).toHaveLength(1);
  });

  it("a keyed PATCH replays too, without applying twice", async () => {
    const { tenant, admin: caller } = await admin();
    const agent = await createUser(tenant, ["agent"]);
    const headers = { "idempotency-key": `patch-${agent.user.id}`, "if-match": '"v1"' };
    const first = await call("PATCH", `/api/users/${agent.user.id}`, {
      token: caller.token,
      body: { first_name: "Once" },
      headers,
    });
    expect(first.status).toBe(200);
    // A retry with the same stale If-Match is answered from the store, not re-evaluated (no 412).
    const again = await call("PATCH", `/api/users/${agent.user.id}`, {
      token: caller.token,
      body: { first_name: "Once" },
      headers,
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [row] = await testDb().select().from(users).where(eq(users.id, agent.user.id));
    expect(row?.version).toBe(2);
  });
});
