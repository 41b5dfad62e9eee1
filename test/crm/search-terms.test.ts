import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, roundTrips } from "../helpers/http";
import { post } from "./support";

/**
 * The cross-entity search's interactions come from the Finder's term index when a one-word search
 * of the whole tenant provably has the general path's answer (a typo with one close dictionary
 * word, or a prefix of exactly one word). Both paths are compared on the same rows (the admin's own
 * view reaches the general path: they created every row of the first tenant), and both against
 * hits computed here from the database rows: interactions by ts_rank of the query's one word, the
 * other types by word similarity, best first, ties by type and id ascending.
 */

type Hit = { type: string; id: string; label: string; rank: number; item: Record<string, unknown> };
type Hits = { data: Hit[]; pagination: { total: number; page: number; page_size: number } };

const search = async (user: TestUser, query: string) => {
  const result = await call<Hits>("GET", `/api/search?${query}`, { token: user.token });
  if (result.status !== 200) throw new Error(`GET /api/search?${query} → ${result.status}: ${result.text}`);
  expect(roundTrips(result.headers)).toBe(1);
  return result.json;
};

/**
 * The expected hits of a one-word query `needle` whose interactions match `word` (the typo's one
 * close word, or the one word the prefix matches): live rows of the tenant, `owner` (when given)
 * restricting them to what that user created or is assigned.
 */
async function expected(tenantId: string, needle: string, word: string, owner?: string) {
  const own = (created: string, assigned: string) =>
    owner ? sql`and (${sql.raw(created)} = ${owner}::uuid or ${sql.raw(assigned)} = ${owner}::uuid)` : sql``;
  const result = await testDb().execute<{ type: string; id: string; label: string; rank: number }>(sql`
    select type, id, label, round(r::numeric, 4)::float8 as rank from (
      select 'interactions' as type, id, title as label,
        ts_rank(search_vector, quote_literal(${word}::text)::tsquery)::float8 as r
      from interactions
      where tenant_id = ${tenantId}::uuid and deleted_at is null
        and search_vector @@ quote_literal(${word}::text)::tsquery ${own("created_by", "assigned_to")}
      union all
      select 'clients', id, name, (word_similarity(${needle}::text, s)
        + case when s like ${`${needle}%`}::text then 1 else 0 end)::float8
      from (select *, lower(name || ' ' || coalesce(email, '')) as s from clients) c
      where tenant_id = ${tenantId}::uuid and deleted_at is null ${own("created_by", "assigned_to")}
        and (s like ${`%${needle}%`}::text or word_similarity(${needle}::text, s) >= 0.45)
    ) x order by r desc, type, id`);
  // The order is decided on the unrounded ranks; rounding keeps it.
  return result.rows.map((r) => ({ type: r.type, id: String(r.id), label: r.label, rank: Number(r.rank) }));
}

/** Every page of `query` at `pageSize` (and one past the end): the hits in order and the total each page answers. */
async function walk(user: TestUser, query: string, pageSize: number) {
  const first = await search(user, `${query}&page_size=${pageSize}`);
  const hits = [...first.data];
  const pages = Math.max(1, Math.ceil(first.pagination.total / pageSize));
  for (let page = 2; page <= pages + 1; page++) {
    const next = await search(user, `${query}&page_size=${pageSize}&page=${page}`);
    expect(next.pagination.total).toBe(first.pagination.total);
    hits.push(...next.data);
  }
  return { total: first.pagination.total, hits };
}

const brief = (hits: Hit[]) => hits.map((h) => ({ type: h.type, id: h.id, label: h.label, rank: h.rank }));

/** Sets every stored score of `term` in the tenant: answers that carry it came from the term index. */
async function tamper(tenantId: string, term: string, score: number) {
  await testDb().execute(
    sql`update interaction_terms set score = ${score}::real where tenant_id = ${tenantId}::uuid and term = ${term}`,
  );
}

async function seed(admin: TestUser, member: TestUser) {
  const make = (user: TestUser, title: string, extra: Record<string, unknown> = {}) =>
    post(user, "/api/interactions", {
      title,
      type: "Call",
      start_date_time: "2026-08-15T09:00:00Z",
      ...extra,
    });
  // "quarterly" at different weights and counts (several rows per score, so ties break by id).
  const rows = [
    await make(admin, "Quarterly business review 1"),
    await make(admin, "Quarterly business review 2"),
    await make(admin, "Quarterly review, quarterly numbers"),
    await make(admin, "Intro call", { location: "Quarterly offsite" }),
    await make(admin, "Intro call", { description: "The quarterly figures" }),
    await make(admin, "Planning", { notes: "quarterly" }),
    await make(admin, "Planning", { notes: "quarterly" }),
    await make(admin, "Site visit", { lead: "Quarterly Jones" }),
    await make(admin, "Budget meeting"),
  ];
  // Clients that match the typo: one contains it, one is a near miss, one does not match.
  await post(admin, "/api/clients", { name: "Quartrly Foods" });
  await post(admin, "/api/clients", { name: "Quarterly Partners" });
  await post(admin, "/api/clients", { name: "Northwind" });
  return { rows, make: (title: string, extra?: Record<string, unknown>) => make(member, title, extra) };
}

describe("GET /api/search: interactions from the term index", () => {
  it("answers a typo exactly as the general path and as the rows say: items, order, ranks, totals, every page", async () => {
    const tenant = await createTenant();
    const [admin, member] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
    ]);
    const { rows } = await seed(admin, member);
    const want = await expected(tenant.id, "quartrly", "quarterly");
    expect(want.filter((h) => h.type === "interactions")).toHaveLength(8);
    expect(want.filter((h) => h.type === "clients").map((h) => h.label)).toEqual([
      "Quartrly Foods",
      "Quarterly Partners",
    ]);
    for (const pageSize of [1, 3, 4, 25]) {
      const fast = await walk(admin, "q=quartrly&view=all", pageSize);
      const slow = await walk(admin, "q=quartrly", pageSize);
      expect(fast).toEqual(slow);
      expect(fast.total).toBe(want.length);
      expect(brief(fast.hits)).toEqual(want);
    }
    // Only interactions; and the items are the rows as their own routes answer them.
    const only = await search(admin, "q=quartrly&types=interactions&view=all&page_size=2");
    expect(only.pagination.total).toBe(8);
    const one = await call<{ data: Record<string, unknown> }>(
      "GET",
      `/api/interactions/${only.data[0]?.id}`,
      {
        token: admin.token,
      },
    );
    expect(only.data[0]?.item).toEqual(one.json.data);
    expect(rows.map((r) => r.id)).toContain(only.data[0]?.id);
    // A prefix of one word only ("quarte" → quarterly) is the other case the index answers.
    const prefix = await walk(admin, "q=quarte&view=all", 3);
    expect(prefix).toEqual(await walk(admin, "q=quarte", 3));
    expect(brief(prefix.hits)).toEqual(await expected(tenant.id, "quarte", "quarterly"));

    // Those answers came from the index: a changed stored score shows with view=all only.
    await tamper(tenant.id, "quarterly", 0.99);
    const tampered = await search(admin, "q=quartrly&types=interactions&view=all");
    expect(tampered.data.map((h) => h.rank)).toEqual(Array(8).fill(0.99));
    expect((await search(admin, "q=quartrly&types=interactions")).data.some((h) => h.rank === 0.99)).toBe(
      false,
    );
    // Not provable → the general path (the tampered score never shows): two words, a word inside
    // two dictionary words ("quar": quarterly, quartz), a substring that is not a prefix.
    await post(admin, "/api/interactions", {
      title: "Quartz",
      type: "Call",
      start_date_time: "2026-08-15T09:00:00Z",
    });
    for (const q of ["quartrly%20review", "quar", "uarterl"]) {
      const all = await search(admin, `q=${q}&types=interactions&view=all`);
      expect(all.data.length, q).toBeGreaterThan(0);
      expect(
        all.data.some((h) => h.rank === 0.99),
        q,
      ).toBe(false);
      expect(all, q).toEqual(await search(admin, `q=${q}&types=interactions`));
    }
  });

  it("never shows another tenant's rows, deleted rows, or (without view=all) rows outside the caller's visibility; a write shows in the next search", async () => {
    const tenant = await createTenant();
    const [admin, member, other] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
      createUser(tenant, ["member"]),
    ]);
    const { rows, make } = await seed(admin, member);
    const stranger = await createUser(await createTenant(), ["admin"]);
    const theirs = await post(stranger, "/api/interactions", {
      title: "Quarterly review elsewhere",
      type: "Call",
      start_date_time: "2026-08-15T09:00:00Z",
    });
    const members = [await make("Quarterly plan of the member"), await make("Quarterly again")];
    const gone = rows[0];
    if (!gone) throw new Error("rows");
    expect((await call("DELETE", `/api/interactions/${gone.id}`, { token: admin.token })).status).toBe(204);

    const all = await walk(admin, "q=quartrly&view=all", 4);
    const want = await expected(tenant.id, "quartrly", "quarterly");
    expect(brief(all.hits)).toEqual(want);
    expect(all.total).toBe(want.length);
    const ids = all.hits.map((h) => h.id);
    for (const m of members) expect(ids).toContain(m.id);
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(theirs.id);

    // Own views (the general path): each caller sees only what they created or are assigned.
    const mine = await walk(admin, "q=quartrly", 4);
    expect(brief(mine.hits)).toEqual(await expected(tenant.id, "quartrly", "quarterly", admin.user.id));
    for (const m of members) expect(mine.hits.map((h) => h.id)).not.toContain(m.id);
    const theirsOnly = await walk(member, "q=quartrly", 4);
    expect(brief(theirsOnly.hits)).toEqual(
      await expected(tenant.id, "quartrly", "quarterly", member.user.id),
    );
    expect(theirsOnly.hits.map((h) => h.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect((await search(other, "q=quartrly")).data).toEqual([]);
    expect((await call("GET", "/api/search?q=quartrly&view=all", { token: member.token })).status).toBe(403);
    // The other tenant sees only its own row.
    const elsewhere = await search(stranger, "q=quartrly&view=all");
    expect(elsewhere.data.map((h) => h.id)).toEqual([theirs.id]);
    expect(elsewhere.pagination.total).toBe(1);

    // A write is seen by the next search: an insert, an update that removes the word, a restore.
    const added = await make("Quarterly wrap-up");
    const second = rows[1];
    if (!second) throw new Error("rows");
    expect(
      (
        await call("PATCH", `/api/interactions/${second.id}`, {
          token: admin.token,
          body: { title: "Yearly review" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call("POST", `/api/trash/interaction/${gone.id}/restore`, { token: admin.token })).status,
    ).toBe(200);
    const after = await walk(admin, "q=quartrly&view=all", 25);
    expect(brief(after.hits)).toEqual(await expected(tenant.id, "quartrly", "quarterly"));
    const afterIds = after.hits.map((h) => h.id);
    expect(afterIds).toContain(added.id);
    expect(afterIds).toContain(gone.id);
    expect(afterIds).not.toContain(second.id);
    expect(after.total).toBe(all.total + 1);
  });
});
