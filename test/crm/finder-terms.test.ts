import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call } from "../helpers/http";
import { post } from "./support";

/**
 * The Finder's ranked term index (interaction_terms): a one-word search of the whole tenant in
 * relevance order is answered from it only when the answer is provably the general path's. The
 * general path is reached with the same rows through the admin's own view (they created every row,
 * so both views hold the same rows; only `view=all` has the tenant scope the index answers).
 */

type Found = {
  data: ({ id: string; rank?: number; highlight?: string | null } & Record<string, unknown>)[];
  pagination: { total: number; page: number; page_size: number; next_cursor: string | null };
};

const find = async (user: TestUser, query: string) => {
  const result = await call<Found>("GET", `/api/interactions?${query}`, { token: user.token });
  if (result.status !== 200) throw new Error(`GET ${query} → ${result.status}: ${result.text}`);
  return result.json;
};

/** Index-backed (view=all) and general (own view) answers of the same query. */
async function both(admin: TestUser, query: string) {
  return { fast: await find(admin, `${query}&view=all`), slow: await find(admin, query) };
}

/** Every page, by offset and by cursor, equal between the two paths; the items of the whole walk. */
async function samePages(admin: TestUser, q: string, pageSize: number) {
  const first = await both(admin, `q=${q}&page_size=${pageSize}`);
  expect(first.fast).toEqual(first.slow);
  // Every page by offset, and one past the end.
  const pages = Math.max(1, Math.ceil(first.slow.pagination.total / pageSize));
  for (let page = 2; page <= pages + 1; page++) {
    const p = await both(admin, `q=${q}&page_size=${pageSize}&page=${page}`);
    expect(p.fast).toEqual(p.slow);
  }
  let cursor = first.slow.pagination.next_cursor;
  const byCursor = [...first.slow.data];
  while (cursor) {
    const p = await both(admin, `q=${q}&page_size=${pageSize}&cursor=${encodeURIComponent(cursor)}`);
    expect(p.fast).toEqual(p.slow);
    byCursor.push(...p.slow.data);
    cursor = p.slow.pagination.next_cursor;
  }
  expect(byCursor).toHaveLength(first.slow.pagination.total);
  return { total: first.slow.pagination.total, items: byCursor };
}

/** The index's rows of a tenant against the live interactions' words (score: ts_rank of that word alone). */
async function indexIsExact(tenantId: string) {
  const db = testDb();
  const stored = await db.execute<{ term: string; score: number; id: string }>(sql`
    select term, score::float8 as score, interaction_id::text as id from interaction_terms
    where tenant_id = ${tenantId}::uuid order by 1, 3`);
  const expected = await db.execute<{ term: string; score: number; id: string }>(sql`
    select w as term, ts_rank(i.search_vector, (quote_literal(w))::tsquery)::float8 as score, i.id::text as id
    from interactions i, unnest(tsvector_to_array(i.search_vector)) w
    where i.tenant_id = ${tenantId}::uuid and i.deleted_at is null order by 1, 3`);
  expect(stored.rows).toEqual(expected.rows);
  const counts = await db.execute<{ term: string; n: number }>(sql`
    select term, n from interaction_term_counts where tenant_id = ${tenantId}::uuid and n <> 0 order by 1`);
  const perTerm = new Map<string, number>();
  for (const r of expected.rows) perTerm.set(r.term, (perTerm.get(r.term) ?? 0) + 1);
  expect(counts.rows).toEqual(
    [...perTerm].sort(([a], [b]) => (a < b ? -1 : 1)).map(([term, n]) => ({ term, n })),
  );
  // The bucket counts: per word, stored score and the id's first 20 bits (its first five hex digits).
  const buckets = await db.execute<{ term: string; score: number; bucket: number; n: number }>(sql`
    select term, score::float8 as score, bucket, n from interaction_term_buckets
    where tenant_id = ${tenantId}::uuid and n <> 0 order by 1, 2, 3`);
  const perBucket = new Map<string, { term: string; score: number; bucket: number; n: number }>();
  for (const r of expected.rows) {
    const bucket = Number.parseInt(r.id.slice(0, 5), 16);
    const key = JSON.stringify([r.term, r.score, bucket]);
    const entry = perBucket.get(key) ?? { term: r.term, score: r.score, bucket, n: 0 };
    entry.n += 1;
    perBucket.set(key, entry);
  }
  expect(buckets.rows).toEqual(
    [...perBucket.values()].sort(
      (a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0) || a.score - b.score || a.bucket - b.bucket,
    ),
  );
}

/** Sets every stored score of `term` in the tenant: an answer that shows it came from the index. */
async function tamper(tenantId: string, term: string, score: number) {
  await testDb().execute(
    sql`update interaction_terms set score = ${score}::real where tenant_id = ${tenantId}::uuid and term = ${term}`,
  );
}

async function seedTerms() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  const make = (title: string, extra: Record<string, unknown> = {}) =>
    post(admin, "/api/interactions", {
      title,
      type: "Call",
      start_date_time: "2026-08-15T09:00:00Z",
      ...extra,
    });
  const rows = [
    await make("Budget meeting 1", { type: "Meeting" }),
    await make("Budget meeting 2", { type: "Meeting" }),
    await make("Budget meeting 3"),
    await make("Intro call", { description: "A meeting about pricing" }),
    await make("Intro call", { description: "A meeting about pricing" }),
    await make("Planning session", { notes: "meeting notes, meeting again" }),
    await make("Site visit", { lead: "Jane Meeting" }),
    await make("Quarterly business review", { location: "Conference Room A" }),
    await make("Site visit", { description: "see http://example.com/path &amp; more" }),
    await make("Contract negotiation", { notes: "Meets the buyer" }),
  ];
  return { tenant, admin, rows };
}

describe("the Finder's term index", () => {
  it("answers a one-word search exactly as the general path: items, order, ranks, totals, pages, cursors", async () => {
    const { tenant, admin } = await seedTerms();
    await indexIsExact(tenant.id);
    const meeting = await samePages(admin, "meeting", 3);
    expect(meeting.total).toBe(7);
    // Ranks are the general path's, rounded; ties keep their id order (descending).
    const ranks = meeting.items.map((r) => r.rank ?? -1);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    // A prefix of one word only ("meeti" → "meeting") and the typo path with one correction.
    expect((await samePages(admin, "meeti", 4)).total).toBe(7);
    expect((await samePages(admin, "quartrly", 2)).total).toBe(1);
    expect((await samePages(admin, "budget", 2)).total).toBe(3);

    // Those answers came from the index: a changed stored score shows in view=all only.
    await tamper(tenant.id, "meeting", 42);
    const tampered = await both(admin, "q=meeting&page_size=4");
    expect(tampered.fast.data.every((r) => r.rank === 42)).toBe(true);
    expect(tampered.slow.data.every((r) => r.rank !== 42)).toBe(true);
    await tamper(tenant.id, "quarterly", 42);
    expect((await find(admin, "q=quartrly&view=all&page_size=3")).data[0]?.rank).toBe(42);

    // Not provable → the general path: a word inside two dictionary words ("meet": meeting,
    // meets), a substring that is not a prefix ("eeting"), a word reaching a row through text
    // that is not a word of it ("http", "amp"), filters, another sort, two words.
    for (const q of [
      "meet",
      "eeting",
      "http",
      "amp",
      "meeting&type=Meeting",
      "meeting&sort=title",
      "budget%20meeting",
    ]) {
      const p = await both(admin, `q=${q}&page_size=4`);
      expect(
        p.fast.data.some((r) => r.rank === 42),
        q,
      ).toBe(false);
      expect(p.fast, q).toEqual(p.slow);
    }
    expect((await find(admin, "q=http&view=all")).pagination.total).toBe(1);
  });

  it("pages by offset through many buckets of one word's order (ids far apart, the last bucket too) exactly", async () => {
    const { tenant, admin } = await seedTerms();
    // Rows with ids across the id space (the buckets are the ids' first 20 bits), two per bucket,
    // some with the same score as the API's rows, inserted as they are (the triggers keep the index).
    const prefixes = ["00000", "00001", "7ffff", "80000", "c0ffe", "ffffe", "fffff"];
    const ids = prefixes.flatMap((p) => [
      `${p}000-0000-7000-8000-00000000000${1}`,
      `${p}fff-ffff-7fff-bfff-ffffffffffff`,
    ]);
    await testDb().execute(sql`
      insert into interactions (tenant_id, id, title, type, start_date_time, created_by, assigned_to, notes)
      select ${tenant.id}::uuid, x.id::uuid, 'Imported meeting ' || x.n, case when x.n % 2 = 0 then 'Meeting' else 'Call' end,
        '2026-08-15T09:00:00Z', ${admin.user.id}::uuid, ${admin.user.id}::uuid, case when x.n % 3 = 0 then 'meeting' end
      from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) with ordinality x(id, n)`);
    await indexIsExact(tenant.id);
    for (const pageSize of [1, 2, 5]) {
      const walk = await samePages(admin, "meeting", pageSize);
      expect(walk.total).toBe(7 + ids.length);
    }
    // A deleted one leaves its bucket.
    await testDb().execute(
      sql`update interactions set deleted_at = now() where tenant_id = ${tenant.id}::uuid and id = ${ids[5]}::uuid`,
    );
    await indexIsExact(tenant.id);
    expect((await samePages(admin, "meeting", 3)).total).toBe(6 + ids.length);
  });

  it("stays exact through inserts, text updates, soft deletes, restores and purges; other tenants never appear", async () => {
    const { tenant, admin, rows } = await seedTerms();
    const other = await createUser(await createTenant(), ["admin"]);
    const theirs = await post(other, "/api/interactions", {
      title: "Their meeting",
      type: "Meeting",
      start_date_time: "2026-08-15T09:00:00Z",
    });
    const [a, b, c] = [rows[0], rows[1], rows[7]]; // c: the quarterly review, no meeting yet
    if (!a || !b || !c) throw new Error("rows");

    const check = async (total: number) => {
      await indexIsExact(tenant.id);
      const walk = await samePages(admin, "meeting", 4);
      expect(walk.total).toBe(total);
      expect(walk.items.some((r) => r.id === theirs.id)).toBe(false);
    };
    await check(7);
    // A text update: the word leaves one row and arrives in another; a non-text update changes nothing.
    expect(
      (
        await call("PATCH", `/api/interactions/${a.id}`, {
          token: admin.token,
          body: { title: "Budget review 1", type: "Call" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call("PATCH", `/api/interactions/${c.id}`, {
          token: admin.token,
          body: { notes: "A meeting, really" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call("PATCH", `/api/interactions/${b.id}`, { token: admin.token, body: { done: true } })).status,
    ).toBe(200);
    await check(7);
    // Soft delete leaves the index; restore brings it back; purge removes it for good.
    expect((await call("DELETE", `/api/interactions/${b.id}`, { token: admin.token })).status).toBe(204);
    await check(6);
    expect(
      (await call("POST", `/api/trash/interaction/${b.id}/restore`, { token: admin.token })).status,
    ).toBe(200);
    await check(7);
    expect((await call("DELETE", `/api/interactions/${b.id}`, { token: admin.token })).status).toBe(204);
    expect((await call("DELETE", `/api/trash/interaction/${b.id}`, { token: admin.token })).status).toBe(204);
    await check(6);
    // An insert.
    await post(admin, "/api/interactions", {
      title: "Late meeting",
      type: "Call",
      start_date_time: "2026-08-16T09:00:00Z",
    });
    await check(7);
    // The other tenant's index holds only its own row.
    const theirSearch = await find(other, "q=meeting&view=all");
    expect(theirSearch.data.map((r) => r.id)).toEqual([theirs.id]);
    expect(theirSearch.pagination.total).toBe(1);
  });
});
