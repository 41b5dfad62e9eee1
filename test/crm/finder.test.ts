import { describe, expect, it } from "vitest";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { post } from "./support";

type Found = {
  data: { id: string; title: string; rank?: number; highlight?: string | null; start_date_time: string }[];
  pagination: { total: number; page: number; page_size: number; next_cursor: string | null };
};

const find = (user: TestUser, query: string) =>
  call<Found>("GET", `/api/interactions?${query}`, { token: user.token });

async function seedFinder() {
  const tenant = await createTenant();
  const [admin, alice, bob] = await Promise.all([
    createUser(tenant, ["admin"]),
    createUser(tenant, ["member"]),
    createUser(tenant, ["member"]),
  ]);
  const make = (user: TestUser, title: string, extra: Record<string, unknown> = {}) =>
    post(user, "/api/interactions", {
      title,
      type: "Meeting",
      start_date_time: "2026-08-15T09:00:00Z",
      timezone: "America/New_York",
      ...extra,
    });
  const rows = {
    quarterly: await make(alice, "Quarterly business review", {
      lead: "Jane Smith",
      description: "Discussion about the new marketing campaign",
      start_date_time: "2026-08-10T09:00:00Z",
    }),
    call: await make(alice, "Intro call", {
      type: "Call",
      lead: "John Doe",
      notes: "Follow-up in one week",
      start_date_time: "2026-08-12T09:00:00Z",
    }),
    planning: await make(alice, "Planning session", {
      location: "Virtual",
      start_date_time: "2026-08-14T09:00:00Z",
    }),
    bobs: await make(bob, "Quarterly numbers with Bob", { start_date_time: "2026-08-11T09:00:00Z" }),
  };
  return { tenant, admin, alice, bob, rows };
}

describe("the Finder: GET /api/interactions", () => {
  it("finds by word, by prefix, by partial word and with a typo; ranked; total always; one round trip", async () => {
    const { alice, rows } = await seedFinder();
    const word = await find(alice, "q=marketing");
    expect(word.status, word.text).toBe(200);
    // A miss: one round trip (the search reads the data version too); a hit: the data version only.
    expect(word.headers.get("x-cache")).toBe("MISS");
    expect(roundTrips(word.headers)).toBe(1);
    const again = await find(alice, "q=marketing");
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(roundTrips(again.headers)).toBe(1);
    expect(again.json).toEqual(word.json);
    // A hit answers the entry's text as is: the miss's bytes and content ETag, and 304 for that ETag.
    expect(again.text).toBe(word.text);
    expect(again.headers.get("etag")).toBe(word.headers.get("etag"));
    const unchanged = await call("GET", "/api/interactions?q=marketing", {
      token: alice.token,
      headers: { "if-none-match": word.headers.get("etag") ?? "" },
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get("x-cache")).toBe("HIT");
    expect(word.json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    expect(word.json.pagination.total).toBe(1);
    expect(word.json.data[0]?.highlight).toContain("<b>marketing</b>");
    expect(word.json.data[0]?.rank).toBeGreaterThan(0);

    expect((await find(alice, "search=quarter")).json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    expect((await find(alice, "q=arket")).json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    const typo = await find(alice, "q=quartrly");
    expect(typo.status, typo.text).toBe(200);
    expect(typo.json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    expect((await find(alice, "q=virtaul")).json.data.map((r) => r.id)).toEqual([rows.planning.id]);
    expect((await find(alice, "q=jane%20smith")).json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    expect((await find(alice, "q=zzzqqq")).json).toMatchObject({ data: [], pagination: { total: 0 } });
    // Tsquery syntax in the query is plain text, never an error.
    expect((await find(alice, `q=${encodeURIComponent("a & | ! (:*")}`)).status).toBe(200);
  });

  it("typos: each word is read as the tenant's closest words (the dictionary follows writes), highlighted", async () => {
    const { admin, alice, rows } = await seedFinder();
    const two = await find(alice, "q=quartrly%20reviw");
    expect(two.json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    expect(two.json.data[0]?.highlight).toContain("<b>Quarterly</b>");
    // One word without any close word: nothing (not the other word's matches alone).
    expect((await find(alice, "q=quartrly%20zzzqqq")).json.data).toEqual([]);
    // An update's new words join the dictionary.
    expect((await find(alice, "q=zanzibr")).json.data).toEqual([]);
    const changed = await call("PATCH", `/api/interactions/${rows.planning.id}`, {
      token: alice.token,
      body: { location: "Zanzibar office" },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await find(alice, "q=zanzibr")).json.data.map((r) => r.id)).toEqual([rows.planning.id]);
    // Another tenant's words are not this tenant's dictionary.
    const stranger = await createUser(await createTenant(), ["admin"]);
    await post(stranger, "/api/interactions", {
      title: "Xylophone tuning",
      type: "Visit",
      start_date_time: "2026-08-15T09:00:00Z",
    });
    expect((await find(admin, "q=xylophon&view=all")).json.data).toEqual([]);
  });

  it("never finds across tenants or outside the caller's visibility; view=all for admins", async () => {
    const { admin, alice, bob, rows } = await seedFinder();
    expect((await find(alice, "q=quarterly")).json.data.map((r) => r.id)).toEqual([rows.quarterly.id]);
    expect((await find(bob, "q=quarterly")).json.data.map((r) => r.id)).toEqual([rows.bobs.id]);
    expect((await find(admin, "q=quarterly")).json.data).toEqual([]);
    expect((await find(admin, "q=quarterly&view=all")).json.data.map((r) => r.id).sort()).toEqual(
      [rows.quarterly.id, rows.bobs.id].sort(),
    );
    const stranger = await createUser(await createTenant(), ["admin"]);
    expect((await find(stranger, "q=quarterly&view=all")).json.data).toEqual([]);
  });

  it("seed 001's parameters: field filters, sort + direction, page + pageSize, next to ours", async () => {
    const { alice, rows } = await seedFinder();
    const byType = await find(alice, "type=Call");
    expect(byType.json.data.map((r) => r.id)).toEqual([rows.call.id]);
    expect((await find(alice, "lead=john")).json.data.map((r) => r.id)).toEqual([rows.call.id]);
    const newest = await find(alice, "");
    expect(newest.json.data.map((r) => r.id)).toEqual([rows.planning.id, rows.call.id, rows.quarterly.id]);
    expect(newest.json.pagination.total).toBe(3);
    const byTitle = await find(alice, "sort=title&direction=asc");
    expect(byTitle.json.data.map((r) => r.title)).toEqual([
      "Intro call",
      "Planning session",
      "Quarterly business review",
    ]);
    const camel = await find(alice, "sort=startDateTime&direction=asc");
    expect(camel.json.data.map((r) => r.id)).toEqual([rows.quarterly.id, rows.call.id, rows.planning.id]);
    const page2 = await find(alice, "sort=title&direction=desc&page=2&pageSize=2");
    expect(page2.json.data.map((r) => r.title)).toEqual(["Intro call"]);
    expect(page2.json.pagination).toMatchObject({ page: 2, page_size: 2, total: 3 });
    // A keyset walk in a custom sort sees every row once.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof find>> = await find(
        alice,
        `sort=title&page_size=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      walked.push(...page.json.data.map((r) => r.title));
      cursor = page.json.pagination.next_cursor;
    } while (cursor);
    expect(walked).toEqual(["Intro call", "Planning session", "Quarterly business review"]);
    for (const bad of [
      "sort=password",
      "direction=sideways",
      "pageSize=500",
      "relevance=1",
      "sort=relevance",
    ]) {
      const refused = await find(alice, bad);
      expect(refused.status, bad).toBe(400);
      expect((refused.json as unknown as ErrorEnvelope).error.code).toBe("VALIDATION_ERROR");
    }
  });

  it("a common word: ranked (title over type, ties newest id first), exact total, pages that add up", async () => {
    const { admin, alice, bob } = await seedFinder();
    // Three of seedFinder's rows are of type Meeting (weight B); these add title (A) matches.
    const titled = [];
    for (let i = 0; i < 3; i++)
      titled.push(
        await post(alice, "/api/interactions", {
          title: `Board meeting ${i}`,
          type: "Call",
          start_date_time: "2026-08-01T09:00:00Z",
        }),
      );
    const gone = await post(bob, "/api/interactions", {
      title: "Meeting to delete",
      type: "Call",
      start_date_time: "2026-08-01T09:00:00Z",
    });
    expect((await call("DELETE", `/api/interactions/${gone.id}`, { token: bob.token })).status).toBe(204);
    const all = await find(admin, "q=meeting&view=all&page_size=100");
    expect(all.status, all.text).toBe(200);
    // 3 Meeting-type rows + 3 titled; the deleted one is neither listed nor counted.
    expect(all.json.pagination.total).toBe(6);
    const ids = all.json.data.map((r) => r.id);
    expect(ids.slice(0, 3)).toEqual(
      titled
        .map((r) => r.id)
        .sort()
        .reverse(),
    );
    const ranks = all.json.data.map((r) => r.rank ?? 0);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(ranks[0]).toBeGreaterThan(ranks[5] ?? 0);
    // Every page carries the same exact total and the pages are the full list in order.
    const paged: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const one = await find(admin, `q=meeting&view=all&page_size=2&page=${page}`);
      expect(one.json.pagination.total).toBe(6);
      expect(roundTrips(one.headers)).toBe(1);
      paged.push(...one.json.data.map((r) => r.id));
    }
    expect(paged).toEqual(ids);
    // A page past the end: no rows, the total still exact.
    const past = await find(admin, "q=meeting&view=all&page_size=2&page=9");
    expect(past.json).toMatchObject({ data: [], pagination: { total: 6 } });
    // Alice's own view counts only hers.
    expect((await find(alice, "q=meeting&page_size=100")).json.pagination.total).toBe(5);
  });

  it("a stale cache entry is never served: a write in between answers fresh (two round trips)", async () => {
    const { alice, rows } = await seedFinder();
    const first = await find(alice, "q=planning");
    expect(first.json.pagination.total).toBe(1);
    expect((await find(alice, "q=planning")).headers.get("x-cache")).toBe("HIT");
    await post(alice, "/api/interactions", {
      title: "Planning follow-up",
      type: "Call",
      start_date_time: "2026-08-20T09:00:00Z",
    });
    const after = await find(alice, "q=planning");
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(roundTrips(after.headers)).toBe(2);
    expect(after.json.pagination.total).toBe(2);
    expect(after.json.data.map((r) => r.id)).toContain(rows.planning.id);
    expect((await find(alice, "q=planning")).headers.get("x-cache")).toBe("HIT");
  });

  it("the cache is per tenant and caller, and a write is visible in the next search", async () => {
    const { alice, bob, rows } = await seedFinder();
    expect((await find(alice, "q=budget")).json.data).toEqual([]);
    expect((await find(alice, "q=budget")).headers.get("x-cache")).toBe("HIT");
    // The same query by another caller is a miss of its own.
    expect((await find(bob, "q=budget")).headers.get("x-cache")).toBe("MISS");
    const patched = await call("PATCH", `/api/interactions/${rows.call.id}`, {
      token: alice.token,
      body: { description: "Budget approval" },
    });
    expect(patched.status).toBe(200);
    const after = await find(alice, "q=budget");
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(after.json.data.map((r) => r.id)).toEqual([rows.call.id]);
    await call("DELETE", `/api/interactions/${rows.call.id}`, { token: alice.token });
    expect((await find(alice, "q=budget")).json.data).toEqual([]);
  });
});
