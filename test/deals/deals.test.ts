import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { activities, createContact, createDeal, type Deal, patchDeal } from "./support";

/** Seed 004's pipeline rules, each through HTTP. */

async function team() {
  const tenant = await createTenant();
  const [owner, admin, manager, member, other] = await Promise.all([
    createUser(tenant, ["owner"]),
    createUser(tenant, ["admin"]),
    createUser(tenant, ["manager"]),
    createUser(tenant, ["member"]),
    createUser(tenant, ["member"]),
  ]);
  return { tenant, owner, admin, manager, member, other };
}

describe("deals: fields and validation", () => {
  it("defaults, owner, ISO 4217, two decimals, amount ≥ 0", async () => {
    const { member, other } = await team();
    const deal = await createDeal(member, { title: "Fleet", amount: 12.5 });
    expect(deal).toMatchObject({
      stage: "qualification",
      status: "open",
      currency: "USD",
      owner_id: member.user.id,
    });
    for (const [field, value] of [
      ["currency", "XYZ"],
      ["currency", "usd"],
      ["amount", 10.123],
      ["amount", -1],
      ["stage", "won"],
      ["status", "closed"],
    ] as const) {
      const refused = await call<ErrorEnvelope>("POST", "/api/deals", {
        token: member.token,
        body: { title: "Bad", [field]: value },
      });
      expect(refused.status, `${field}=${value}`).toBe(400);
      expect(refused.json.error.details?.map((d) => d.field)).toContain(field);
    }
    const foreignOwner = await call<ErrorEnvelope>("POST", "/api/deals", {
      token: member.token,
      body: { title: "Bad owner", owner_id: "0190a000-0000-7000-8000-000000000009" },
    });
    expect(foreignOwner.status).toBe(404);
    expect(foreignOwner.json.error.details?.[0]?.field).toBe("owner_id");
    const assigned = await createDeal(member, { owner_id: other.user.id });
    expect(assigned.owner_id).toBe(other.user.id);
  });

  it("list filters: stage, status, owner, contact, amount and date ranges, keyset pages", async () => {
    const { admin, member } = await team();
    const contact = await createContact(admin);
    const a = await createDeal(admin, {
      amount: 100,
      contact_id: contact,
      expected_close_date: "2026-12-01",
    });
    const b = await createDeal(admin, { amount: 500, stage: "proposal", owner_id: member.user.id });
    const c = await createDeal(admin, { amount: 900, status: "won", expected_close_date: "2027-01-15" });
    const ids = async (query: string) => {
      const result = await call<{ data: Deal[] }>("GET", `/api/deals?${query}`, { token: admin.token });
      expect(result.status, result.text).toBe(200);
      return result.json.data.map((d) => d.id).sort();
    };
    expect(await ids("stage=proposal")).toEqual([b.id]);
    expect(await ids("status=won")).toEqual([c.id]);
    expect(await ids("stage=closed")).toEqual([c.id]);
    expect(await ids(`owner_id=${member.user.id}`)).toEqual([b.id]);
    expect(await ids(`contact_id=${contact}`)).toEqual([a.id]);
    expect(await ids("amount_min=200&amount_max=900")).toEqual([b.id, c.id].sort());
    expect(await ids("close_from=2026-12-01&close_to=2026-12-31")).toEqual([a.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`created_from=${today}&created_to=${today}`)).toEqual([a.id, b.id, c.id].sort());
    expect(await ids("created_to=2020-01-01")).toEqual([]);
    const first = await call<{ data: Deal[]; pagination: { next_cursor: string } }>(
      "GET",
      "/api/deals?page_size=2",
      {
        token: admin.token,
      },
    );
    const second = await call<{ data: Deal[] }>(
      "GET",
      `/api/deals?page_size=2&cursor=${first.json.pagination.next_cursor}`,
      { token: admin.token },
    );
    expect([...first.json.data, ...second.json.data].map((d) => d.id)).toEqual([c.id, b.id, a.id]);
  });
});

describe("deals: rule — won needs an amount above 0", () => {
  it("create and update refuse won with amount ≤ 0 (400 naming amount), nothing changed", async () => {
    const { member } = await team();
    const created = await call<ErrorEnvelope>("POST", "/api/deals", {
      token: member.token,
      body: { title: "Free", amount: 0, status: "won" },
    });
    expect(created.status).toBe(400);
    expect(created.json.error.details).toContainEqual({ field: "amount", message: expect.any(String) });
    const deal = await createDeal(member, { amount: 0 });
    const won = await patchDeal(member, deal.id, { status: "won" });
    expect(won.status).toBe(400);
    expect(won.json.error?.details?.[0]?.field).toBe("amount");
    const both = await patchDeal(member, deal.id, { status: "won", amount: 10 });
    expect(both.status, JSON.stringify(both.json)).toBe(200);
    expect(both.json.data).toMatchObject({ status: "won", stage: "closed", amount: 10 });
    const zeroed = await patchDeal(member, deal.id, { amount: 0 });
    expect(zeroed.status).toBe(400);
    expect(zeroed.json.error?.details?.[0]?.field).toBe("amount");
  });
});

describe("deals: rule — contacts with open deals cannot be deleted", () => {
  it("409 naming the open deals; after closing them the delete works", async () => {
    const { manager } = await team();
    const contact = await createContact(manager);
    const open = await createDeal(manager, { contact_id: contact });
    const lost = await createDeal(manager, { contact_id: contact, status: "lost" });
    const refused = await call<ErrorEnvelope>("DELETE", `/api/contacts/${contact}`, { token: manager.token });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("CONFLICT");
    expect(refused.json.error.details).toEqual([{ field: "deal_id", message: open.id }]);
    expect(lost.status).toBe("lost");
    expect((await call("GET", `/api/contacts/${contact}`, { token: manager.token })).status).toBe(200);
    expect((await patchDeal(manager, open.id, { status: "lost" })).status).toBe(200);
    const deleted = await call("DELETE", `/api/contacts/${contact}`, { token: manager.token });
    expect(deleted.status).toBe(204);
    expect(roundTrips(deleted.headers)).toBe(1);
  });
});

describe("deals: rule — rollback only by owner or admin", () => {
  it("manager and member → 403 moving back or reopening, nothing changed; owner and admin may", async () => {
    const { owner, admin, manager, member } = await team();
    const deal = await createDeal(member, { stage: "negotiation" });
    for (const user of [manager, member]) {
      const back = await patchDeal(user, deal.id, { stage: "proposal" });
      expect(back.status).toBe(403);
      expect(back.json.error?.code).toBe("AUTHORIZATION_ERROR");
    }
    expect((await activities(member, deal.id)).length).toBe(0);
    expect((await patchDeal(manager, deal.id, { stage: "negotiation", title: "Same stage" })).status).toBe(
      200,
    );
    const back = await patchDeal(admin, deal.id, { stage: "proposal" });
    expect(back.status).toBe(200);
    expect(back.json.data.stage).toBe("proposal");
    // Closing moves forward (anyone with deals:write); reopening is a rollback.
    const won = await patchDeal(member, deal.id, { status: "won" });
    expect(won.json.data).toMatchObject({ stage: "closed", status: "won" });
    expect(won.json.data.closed_at).not.toBeNull();
    for (const user of [manager, member]) {
      expect((await patchDeal(user, deal.id, { status: "open" })).status).toBe(403);
      expect((await patchDeal(user, deal.id, { stage: "negotiation" })).status).toBe(403);
    }
    const reopened = await patchDeal(owner, deal.id, { status: "open" });
    expect(reopened.status).toBe(200);
    expect(reopened.json.data).toMatchObject({ stage: "negotiation", status: "open", closed_at: null });
  });
});

describe("deals: rule — closing and the stage/status pair", () => {
  it("won/lost imply closed; closed without won/lost → 400 naming status", async () => {
    const { member } = await team();
    const deal = await createDeal(member);
    const closed = await patchDeal(member, deal.id, { stage: "closed" });
    expect(closed.status).toBe(400);
    expect(closed.json.error?.details?.[0]?.field).toBe("status");
    const mismatch = await patchDeal(member, deal.id, { stage: "proposal", status: "won" });
    expect(mismatch.status).toBe(400);
    const lost = await patchDeal(member, deal.id, { status: "lost" });
    expect(lost.json.data).toMatchObject({ stage: "closed", status: "lost" });
    const created = await createDeal(member, { status: "won", amount: 5 });
    expect(created).toMatchObject({ stage: "closed", status: "won" });
    expect(created.closed_at).not.toBeNull();
  });
});

describe("deals: activities", () => {
  it("every stage or status change writes one activity (who, from, to); comments too; append-only", async () => {
    const { member, manager, other } = await team();
    const deal = await createDeal(member);
    expect((await patchDeal(member, deal.id, { title: "No stage change" })).status).toBe(200);
    expect((await patchDeal(member, deal.id, { stage: "proposal" })).status).toBe(200);
    expect((await patchDeal(manager, deal.id, { status: "won" })).status).toBe(200);
    const comment = await call<{ data: { kind: string; body: string } }>(
      "POST",
      `/api/deals/${deal.id}/activities`,
      { token: member.token, body: { body: "Signed!" } },
    );
    expect(comment.status, comment.text).toBe(201);
    expect(roundTrips(comment.headers)).toBe(1);
    const list = await activities(member, deal.id);
    expect(list).toEqual([
      expect.objectContaining({ kind: "comment", actor_id: member.user.id, body: "Signed!" }),
      expect.objectContaining({
        kind: "change",
        actor_id: manager.user.id,
        from_stage: "proposal",
        to_stage: "closed",
        from_status: "open",
        to_status: "won",
      }),
      expect.objectContaining({
        kind: "change",
        actor_id: member.user.id,
        from_stage: "qualification",
        to_stage: "proposal",
        from_status: "open",
        to_status: "open",
      }),
    ]);
    // Another member's deal is out of scope: 404 on its activities, both ways.
    expect((await call("GET", `/api/deals/${deal.id}/activities`, { token: other.token })).status).toBe(404);
    const foreign = await call("POST", `/api/deals/${deal.id}/activities`, {
      token: other.token,
      body: { body: "Hi" },
    });
    expect(foreign.status).toBe(404);
    // Append-only: no route changes one, and the database refuses an UPDATE.
    const tried = await call("PATCH", `/api/deals/${deal.id}/activities`, { token: member.token, body: {} });
    expect([404, 405]).toContain(tried.status);
    await expect(
      testDb().execute(sql`update deal_activities set body = 'edited' where deal_id = ${deal.id}::uuid`),
    ).rejects.toThrow();
  });
});

/** The activity chain (oldest first) links up and ends at the deal's stage and status. */
async function expectConsistent(user: Parameters<typeof activities>[0], id: string) {
  const chain = (await activities(user, id)).filter((a) => a.kind === "change").reverse();
  for (let i = 1; i < chain.length; i++) {
    expect(chain[i]?.from_stage).toBe(chain[i - 1]?.to_stage);
    expect(chain[i]?.from_status).toBe(chain[i - 1]?.to_status);
  }
  const deal = (await call<{ data: Deal }>("GET", `/api/deals/${id}`, { token: user.token })).json.data;
  expect(chain.at(-1)).toMatchObject({ to_stage: deal.stage, to_status: deal.status });
  return chain;
}

describe("deals: concurrency", () => {
  it("a concurrent stage change on the same version: exactly one wins, one activity, matching the deal", async () => {
    const { admin, manager } = await team();
    for (let round = 0; round < 3; round++) {
      const deal = await createDeal(admin);
      const etag = `"v${deal.version}"`;
      const results = await Promise.all([
        patchDeal(admin, deal.id, { stage: "proposal" }, { "if-match": etag }),
        patchDeal(manager, deal.id, { stage: "negotiation" }, { "if-match": etag }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const chain = await expectConsistent(admin, deal.id);
      expect(chain).toHaveLength(1);
      expect(chain[0]?.from_stage).toBe("qualification");
    }
  });

  it("a rollback race: one wins, the loser changes nothing, the activities never contradict the deal", async () => {
    const { owner, admin } = await team();
    const deal = await createDeal(owner, { stage: "negotiation" });
    const etag = `"v${deal.version}"`;
    const results = await Promise.all([
      patchDeal(owner, deal.id, { stage: "qualification" }, { "if-match": etag }),
      patchDeal(admin, deal.id, { status: "won" }, { "if-match": etag }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect(await expectConsistent(owner, deal.id)).toHaveLength(1);
    // Without If-Match: a writer whose read was overtaken gets 409 (re-read), never a stale activity.
    for (let round = 0; round < 5; round++) {
      const racers = await Promise.all([
        patchDeal(owner, deal.id, { stage: round % 2 ? "proposal" : "qualification", status: "open" }),
        patchDeal(admin, deal.id, { stage: "negotiation", status: "open" }),
        patchDeal(admin, deal.id, { status: "lost" }),
      ]);
      for (const r of racers) expect([200, 409]).toContain(r.status);
      expect(racers.some((r) => r.status === 200)).toBe(true);
      await expectConsistent(owner, deal.id);
    }
  });
});

describe("deals: roles (seed 004)", () => {
  it("manager manages every deal and contact of the tenant; member only their own", async () => {
    const { manager, member, other } = await team();
    const mine = await createDeal(member);
    const theirs = await createDeal(other);
    expect((await patchDeal(manager, theirs.id, { amount: 77 })).status).toBe(200);
    expect((await call("DELETE", `/api/deals/${mine.id}`, { token: manager.token })).status).toBe(204);
    expect((await patchDeal(member, theirs.id, { amount: 1 })).status).toBe(404);
    const listed = await call<{ data: Deal[] }>("GET", "/api/deals", { token: member.token });
    expect(listed.json.data.map((d) => d.id)).toEqual([]);
    const contact = await createContact(other);
    expect(
      (await call("PATCH", `/api/contacts/${contact}`, { token: manager.token, body: { title: "VP" } }))
        .status,
    ).toBe(200);
    // The manager is not widened elsewhere: no CRM writes beyond contacts, no members, no roles.
    expect((await call("POST", "/api/clients", { token: manager.token, body: { name: "X" } })).status).toBe(
      403,
    );
    expect(
      (await call("POST", "/api/roles", { token: manager.token, body: { name: "x", permissions: [] } }))
        .status,
    ).toBe(403);
  });
});
