import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { callCycleLocations, callCycles, shops } from "../../src/db/schema";
import { createField, type Field } from "../call-cycles/support";
import { createShop } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { call, roundTrips } from "../helpers/http";

/**
 * Which shops offline sync hands each data scope: the shops of the locations whose cycle owner or
 * creator, assigned agent or a member of the assigned team is a user the caller sees — each of
 * the four ways on its own, for an agent (own), a team leader (team) and an area manager
 * (subtree), and the tombstones when a location or a whole cycle goes.
 */

interface SyncBody {
  data: {
    changes: { shops: { id: string }[] };
    tombstones: { type: string; id: string }[];
    cursor: string;
    has_more: boolean;
  };
}

type Who = "a1" | "a2" | "a3" | "leader" | "manager" | "admin";
const WHO: Who[] = ["a1", "a2", "a3", "leader", "manager", "admin"];

let field: Field;
/** s8's location (cycle C1, agent a1) and cycle C3 (owner a1), deleted in the second test. */
let doomedLocation = "";
let doomedCycle = "";

/**
 * Cycles as the admin creates them (created_by admin, outside every scope here) unless noted:
 * C1 owner a3: s1 agent a1, s8 agent a1 — seen through the agent;
 * C2 owner a3: s2 team T (leader, a1, a2) — through a team member;
 * C3 owner a1: s3 unassigned — through the owner;
 * C4 owner a3: s4 agent a3 — a3 alone;
 * C5 created by the area manager, owner a3: s5 agent a3 — through the creator;
 * C6 owner a3: s7 team top (the manager) — through a member of a team above the leader's.
 * s6 is on no route.
 */
beforeAll(async () => {
  field = await createField(
    "UTC",
    ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
    [
      {
        key: "C1",
        owner: "a3",
        start_date: "2026-01-05",
        locations: [
          { key: "l1", shop: "s1", frequency: "weekly", weekdays: [1], agent: "a1" },
          { key: "l8", shop: "s8", frequency: "weekly", weekdays: [2], agent: "a1" },
        ],
      },
      {
        key: "C2",
        owner: "a3",
        start_date: "2026-01-05",
        locations: [{ key: "l2", shop: "s2", frequency: "weekly", weekdays: [3], team: "T" }],
      },
      {
        key: "C3",
        owner: "a1",
        start_date: "2026-01-05",
        locations: [{ key: "l3", shop: "s3", frequency: "monthly", month_day: 1 }],
      },
      {
        key: "C4",
        owner: "a3",
        start_date: "2026-01-05",
        locations: [{ key: "l4", shop: "s4", frequency: "weekly", weekdays: [4], agent: "a3" }],
      },
      {
        key: "C6",
        owner: "a3",
        start_date: "2026-01-05",
        locations: [{ key: "l7", shop: "s7", frequency: "weekly", weekdays: [5], team: "top" }],
      },
    ],
    [],
  );
  const [manager, a3] = [user("manager"), user("a3")];
  const c5 = await call<{ data: { id: string } }>("POST", "/api/call_cycles", {
    token: manager.token,
    body: { name: "Cycle C5", owner_id: a3.user.id, start_date: "2026-01-05" },
  });
  expect(c5.status, c5.text).toBe(201);
  const added = await call("POST", `/api/call_cycles/${c5.json.data.id}/locations`, {
    token: manager.token,
    body: { shop_id: field.shops.s5, frequency: "weekly", weekdays: [1], agent_id: a3.user.id },
  });
  expect(added.status, added.text).toBe(201);
  doomedLocation = field.locations.l8 ?? "";
  doomedCycle = field.cycles.C3?.id ?? "";
  // Everything a minute old, so a sync's cursor (which stops 1 s behind now) is past it.
  const db = testDb();
  const past = sql`now() - interval '1 minute'`;
  await db.batch([
    db.update(shops).set({ updatedAt: past }).where(eq(shops.tenantId, field.tenant.id)),
    db.update(callCycles).set({ updatedAt: past }).where(eq(callCycles.tenantId, field.tenant.id)),
    db
      .update(callCycleLocations)
      .set({ updatedAt: past })
      .where(eq(callCycleLocations.tenantId, field.tenant.id)),
  ]);
});

function user(who: Who) {
  const u = field.users[who];
  if (!u) throw new Error(`no user ${who}`);
  return u;
}

const shopsOf = (keys: string[]) => keys.map((k) => field.shops[k]).sort();

async function walk(who: Who, since?: string) {
  const shopIds: string[] = [];
  const tombstones: string[] = [];
  let cursor = since;
  for (let i = 0; i < 20; i++) {
    const res = await call<SyncBody>("GET", `/api/sync?limit=3${cursor ? `&since=${cursor}` : ""}`, {
      token: user(who).token,
    });
    expect(res.status, res.text).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    shopIds.push(...res.json.data.changes.shops.map((s) => s.id));
    tombstones.push(...res.json.data.tombstones.filter((t) => t.type === "shop").map((t) => t.id));
    cursor = res.json.data.cursor;
    if (!res.json.data.has_more) return { shops: shopIds.sort(), tombstones: tombstones.sort(), cursor };
  }
  throw new Error("the walk did not end");
}

describe("GET /api/sync: the shops of each data scope", () => {
  it("each scope gets the shops of the locations its visible users own, created, are assigned or are in the team of", async () => {
    const expected: Record<Who, string[]> = {
      a1: ["s1", "s2", "s3", "s8"],
      a2: ["s2"],
      a3: ["s1", "s2", "s4", "s5", "s7", "s8"],
      leader: ["s1", "s2", "s3", "s8"],
      manager: ["s1", "s2", "s3", "s5", "s7", "s8"],
      admin: ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"],
    };
    for (const who of WHO) {
      const got = await walk(who);
      expect(got.shops, who).toEqual(shopsOf(expected[who]));
      expect(got.tombstones, who).toEqual([]);
    }
  });

  it("a deleted location and a deleted cycle become tombstones for exactly the scopes that saw them", async () => {
    const cursors = {} as Record<Who, string>;
    for (const who of WHO) cursors[who] = (await walk(who)).cursor;
    // A shop that nobody's route covers, created now: only the admin's feed carries it.
    const fresh = await createShop(field.tenant);
    const admin = user("admin");
    const removed = await call(
      "DELETE",
      `/api/call_cycles/${field.cycles.C1?.id}/locations/${doomedLocation}`,
      {
        token: admin.token,
      },
    );
    expect(removed.status, removed.text).toBe(204);
    const deleted = await call("DELETE", `/api/call_cycles/${doomedCycle}`, { token: admin.token });
    expect(deleted.status, deleted.text).toBe(204);

    const gone: Record<Who, string[]> = {
      a1: ["s3", "s8"],
      a2: [],
      a3: ["s8"],
      leader: ["s3", "s8"],
      manager: ["s3", "s8"],
      admin: [],
    };
    for (const who of WHO) {
      const next = await walk(who, cursors[who]);
      expect(next.tombstones, who).toEqual(shopsOf(gone[who]));
      // What is re-sent is still on a route in scope (the routes that changed); never a gone shop.
      for (const id of gone[who]) expect(next.shops, who).not.toContain(field.shops[id]);
      if (who === "admin") expect(next.shops).toContain(fresh.id);
      else expect(next.shops, who).not.toContain(fresh.id);
    }
  });
});
