import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { containsPattern } from "../../core/resource/declaration";
import { visible } from "../../core/resource/sql";
import type { ListOptions, ListSource } from "../../core/resource/statements";
import { interactionResource } from "./interactions.resource";
import type { FinderSort } from "./interactions.schemas";

/**
 * The Finder's SQL parts for the kit's list statement. A search matches a row when its words
 * match as prefixes (`search_vector`, GIN) or the text contains the query (`search_text` LIKE,
 * GIN pg_trgm), ranked by ts_rank. When no row you may see matches so, the query is taken as a
 * typo: each query word becomes the tenant's most similar words (`interaction_words`, pg_trgm
 * similarity ≥ 0.3, at most five), and rows with all of them (one of each word's) are found with
 * the full-text index and ranked the same way. The choice is made once per query (`finder_q`).
 * A one-word search of the whole tenant in relevance order whose matches are provably one word's
 * rows is answered from the ranked term index instead (`termParts`, the kit's `source`): the page by
 * an index range, the total from the word's count, the same items, ranks and order.
 */

/** The tenant's interaction data version as SQL text: the newest `updated_at` (µs), deleted rows included. */
export function versionSql(ctx: TenantContext): SQL {
  return sql`(select coalesce((extract(epoch from max(v.updated_at)) * 1000000)::bigint::text, '0')
    from interactions v where v.tenant_id = ${ctx.tenantId}::uuid)`;
}

/** The tenant's interaction data version (see versionSql): what a cached search entry must match. */
export async function interactionsVersion(ctx: TenantContext): Promise<string> {
  const result = await ctx.db.execute<{ v: string }>(sql`select ${versionSql(ctx)} as v`);
  return result.rows[0]?.v ?? "0";
}

/** Similarity threshold of `%` between a query word and the dictionary's (transaction-local, same round trip). */
export const DICTIONARY_THRESHOLD = "0.3";
/** How many dictionary words stand in for one mistyped query word. */
const TYPO_CANDIDATES = 5;

/** The query's words: letters and digits only, lowercased, at most eight. */
export function queryWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? []
  );
}

/** `w1:* & w2:*` from the query's words (never raw tsquery syntax), or null. */
export function prefixQuery(text: string): string | null {
  const words = queryWords(text);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

/**
 * The typo query: for each query word its most similar dictionary words, OR-ed, the words
 * AND-ed; null when some word has no similar word. Lexemes are quoted, so a word is never syntax.
 */
export function typoQuery(ctx: TenantContext, words: string[]): SQL {
  if (!words.length) return sql`null::tsquery`;
  return sql`(select to_tsquery('simple', string_agg(x.alts, ' & ' order by x.n)) from (
      select q.n, '(' || string_agg('''' || replace(replace(d.word, '\\', ''), '''', '''''') || '''', ' | ') || ')' as alts
      from jsonb_array_elements_text(${JSON.stringify(words)}::jsonb) with ordinality q(w, n)
      cross join lateral (
        select d.word from interaction_words d where d.tenant_id = ${ctx.tenantId}::uuid and d.word % q.w
        order by similarity(d.word, q.w) desc, d.word limit ${TYPO_CANDIDATES}
      ) d
      group by q.n
    ) x having count(*) = ${words.length})`;
}

type Key = { key: (alias: string) => SQL; type: string; text?: boolean };
const column = (name: string, fallback: string, type: string): Key => ({
  key: (a) => sql`coalesce(${sql.raw(a)}.${sql.identifier(name)}, ${sql.raw(fallback)})`,
  type,
});
/** `lower(column)` (NOT NULL columns: the expression of their tenant index) or `lower(coalesce(column, ''))`. */
const lowerText = (name: string, notNull = false): Key => ({
  key: (a) =>
    notNull
      ? sql`lower(${sql.raw(a)}.${sql.identifier(name)})`
      : sql`lower(coalesce(${sql.raw(a)}.${sql.identifier(name)}, ''))`,
  type: "text",
  text: true,
});
const SORT_KEYS: Record<Exclude<FinderSort, "relevance">, Key> = {
  title: lowerText("title", true),
  type: lowerText("type", true),
  lead: lowerText("lead"),
  location: lowerText("location"),
  start_date_time: column("start_date_time", "'-infinity'::timestamptz", "timestamp with time zone"),
  end_date_time: column("end_date_time", "'-infinity'::timestamptz", "timestamp with time zone"),
  follow_up_at: column("follow_up_at", "'-infinity'::timestamptz", "timestamp with time zone"),
  created_at: column("created_at", "'-infinity'::timestamptz", "timestamp with time zone"),
  updated_at: column("updated_at", "'-infinity'::timestamptz", "timestamp with time zone"),
};

/** The shortest query word the term index answers (shorter ones match too many words to look up cheaply). */
const TERM_MIN_LENGTH = 3;

/**
 * The one word of `text` when the ranked term index (`interaction_terms`) may answer the search:
 * the whole text is one word of ASCII letters and digits (so the substring pattern, the prefix
 * query and the dictionary all see the same word), at least three long (trigram lookups), and
 * the caller reads the whole tenant in relevance order, descending, with no other filter.
 */
export function termCandidate(
  ctx: TenantContext,
  text: string | undefined,
  sort: FinderSort | undefined,
  direction: "asc" | "desc" | undefined,
  filtered: boolean,
): string | null {
  if (!text || filtered || ctx.scope !== "tenant" || (sort ?? "relevance") !== "relevance") return null;
  if (direction === "asc") return null;
  const word = text.toLowerCase();
  return word.length >= TERM_MIN_LENGTH && /^[a-z0-9]+$/.test(word) ? word : null;
}

/**
 * The term index's CTEs for one candidate word: `finder_d` (up to two dictionary words containing
 * it; whether a gap word — a run of letters and digits of some row's text that is not a word of its
 * vector — contains it) and, after `finder_q`, `finder_term`: the one word whose rows are provably
 * exactly the search's matches, with their ranks the word's stored scores, or null:
 * - an exact search: the word is inside exactly one dictionary word and no gap word, and that word
 *   starts with it. Every row matching the prefix has a word starting with it (in the dictionary, so
 *   that word); every row whose text contains it has it inside a run that is a word of its vector
 *   (that word again) or a gap (there is none). ts_rank of the prefix query then matches that one
 *   entry of the row's vector: the word's score;
 * - a typo: the word is inside no dictionary word and no gap word (so no row matches it exactly:
 *   the exact-match probe is skipped) and it has exactly one similar dictionary word, whose
 *   tsquery is the typo query itself.
 * The exact-match probe is skipped too when the one dictionary word has live rows (they match).
 */
function termParts(ctx: TenantContext, word: string) {
  const pattern = `%${word}%`;
  const dictionary = sql`finder_d as materialized (
      select array(select d.word from interaction_words d
          where d.tenant_id = ${ctx.tenantId}::uuid and d.word like ${pattern}::text limit 2) as words,
        exists(select 1 from interaction_term_gaps g
          where g.tenant_id = ${ctx.tenantId}::uuid and g.word like ${pattern}::text) as gap
    )`;
  const term = sql`finder_term as materialized (
      select case
        when d.gap then null
        when cardinality(d.words) = 1 then case
          when starts_with(d.words[1], ${word}::text) and fq.prefix::text = ${`'${word}':*`}::text then d.words[1] end
        when cardinality(d.words) = 0 then (
          select case when count(*) = 1 and fq.q = interaction_term_query(min(s.word)) then min(s.word) end
          from (select w.word from interaction_words w where w.tenant_id = ${ctx.tenantId}::uuid and w.word % ${word}::text
            order by similarity(w.word, ${word}::text) desc, w.word limit 2) s)
      end as term
      from finder_d d, finder_q fq
    )`;
  const noExactMatch = sql`(select cardinality(words) = 0 and not gap from finder_d)`;
  // A live row has a word starting with it (the whole tenant is visible): it matches exactly.
  const exactMatch = sql`(select cardinality(d.words) = 1 and starts_with(d.words[1], ${word}::text)
      and exists(select 1 from interaction_term_counts c
        where c.tenant_id = ${ctx.tenantId}::uuid and c.term = d.words[1] and c.n > 0)
    from finder_d d)`;
  const chosen = sql`(select term from finder_term)`;
  const source: ListSource = {
    when: sql`${chosen} is not null`,
    total: sql`coalesce((select c.n from interaction_term_counts c
      where c.tenant_id = ${ctx.tenantId}::uuid and c.term = ${chosen}), 0)`,
    // interaction_terms_page (migration 0038): a backward range of the primary key, planned with
    // index scans on (this statement turns them off for the full-text probes). Past the end: nothing read.
    page: ({ limit, offset, after }) => sql`
      select p.interaction_id as id, p.score::float8 as k, p.score::float8 as rank
      from interaction_terms_page(${ctx.tenantId}::uuid, ${chosen}, ${after ? after[0] : null}::float8,
        ${after ? after[1] : null}::uuid, ${limit}::int, ${offset}::int) p
      ${offset > 0 ? sql`where ${offset}::int < (select c.n from interaction_term_counts c where c.tenant_id = ${ctx.tenantId}::uuid and c.term = ${chosen})` : sql``}`,
  };
  // The search's order within the word (rank desc, id ascending): interaction_terms_top (migration 0042).
  const top = (n: number) => sql`
      select p.interaction_id as id, p.score::float8 as rank
      from interaction_terms_top(${ctx.tenantId}::uuid, ${chosen}, ${n}::int) p`;
  return { dictionary, term, noExactMatch, exactMatch, source, top };
}

/**
 * The cross-entity search's interactions (`GET /api/search`), matched and ranked as the Finder's
 * whole search (`q` alone, relevance order): the Finder's CTEs (`with`), its condition and rank over
 * `t`, its settings and, when the term index may answer (a one-word search of the whole tenant, see
 * termParts), `fast`: when it answers, the matches' count and their first `n` in the search's
 * order (rank descending, then id ascending), each `id` and `rank`.
 */
export function finderSearch(
  ctx: TenantContext,
  text: string,
): {
  with: SQL;
  where: SQL;
  rank: SQL;
  settings: Record<string, string>;
  fast: { when: SQL; total: SQL; top: (n: number) => SQL } | null;
} {
  const options = finderOptions(ctx, text, undefined, undefined);
  const candidate = termCandidate(ctx, text, undefined, undefined, false);
  const terms = candidate ? termParts(ctx, candidate) : null;
  return {
    with: options.with ?? sql`finder_q as (select null::tsquery as q, null::tsquery as prefix)`,
    where: sql.join(options.where ?? [sql`false`], sql` and `),
    rank: options.columns?.rank ?? sql`0::float8`,
    settings: options.settings ?? {},
    fast: terms ? { when: terms.source.when, total: terms.source.total, top: terms.top } : null,
  };
}

export function finderOptions(
  ctx: TenantContext,
  text: string | undefined,
  sort: FinderSort | undefined,
  direction: "asc" | "desc" | undefined,
  filtered = false,
): ListOptions {
  const options: ListOptions = {};
  const chosen = sort ?? (text ? "relevance" : undefined);
  if (text) {
    const tsq = prefixQuery(text);
    const prefix = tsq ? sql`to_tsquery('simple', ${tsq}::text)` : sql`null::tsquery`;
    const contains = containsPattern(text.toLowerCase());
    const typo = typoQuery(ctx, queryWords(text));
    const candidate = termCandidate(ctx, text, sort, direction, filtered);
    const terms = candidate ? termParts(ctx, candidate) : null;
    // Typos are the fallback: only when no visible row matches the words exactly, so a common
    // word never pays for the dictionary. `finder_q` is evaluated once for the whole statement.
    // With a term candidate the dictionary may decide without the probe (evaluated left to right,
    // each part only when needed); the typo query appears once (planning time).
    options.with = sql`${terms ? sql`${terms.dictionary}, ` : sql``}finder_q as materialized (
      select case when ${terms ? sql`not ${terms.noExactMatch} and (${terms.exactMatch} or ` : sql``}exists (
        select 1 from interactions e
        where ${visible(ctx, interactionResource, "e")} and e.deleted_at is null
          and (e.search_vector @@ ${prefix} or e.search_text like ${contains}::text)
      )${terms ? sql`)` : sql``} then ${prefix} else ${typo} end as q,
      ${prefix} as prefix
    )${terms ? sql`, ${terms.term}` : sql``}`;
    if (terms) options.source = terms.source;
    const q = sql`(select q from finder_q)`;
    // The LIKE arm only matters when the prefix query was chosen (else nothing matches it).
    options.where = [
      sql`(t.search_vector @@ ${q} or (${q} is not distinct from (select prefix from finder_q) and t.search_text like ${contains}::text))`,
    ];
    options.columns = { rank: sql`coalesce(ts_rank(t.search_vector, ${q}), 0)::float8` };
    // Bitmap scans of the tenant-led GIN indexes only: the planner would otherwise walk the
    // tenant's rows looking for the first exact match of a word that has none. No JIT: those
    // settings inflate the cost estimates past the JIT threshold, and compiling costs more than
    // the query.
    options.settings = {
      "pg_trgm.similarity_threshold": DICTIONARY_THRESHOLD,
      enable_seqscan: "off",
      enable_indexscan: "off",
      jit: "off",
      // A common word's prefix match collects its postings into one bitmap: with room for it the
      // bitmap stays exact (no lossy pages, whose every row is rechecked).
      work_mem: "32MB",
    };
    options.extra = {
      rank: sql`round(f.rank::numeric, 4)`,
      highlight: sql`case when ${q} is null then null::text else ts_headline('simple',
        coalesce(f.title, '') || ' — ' || coalesce(f.description, ''), ${q},
        'StartSel=<b>, StopSel=</b>, MaxFragments=1, MaxWords=20, MinWords=5') end`,
    };
  }
  if (chosen === "relevance") {
    options.sort = {
      key: (a) => sql`${sql.raw(a)}.rank`,
      type: "double precision",
      descending: direction !== "asc",
    };
  } else if (chosen) {
    const key = SORT_KEYS[chosen];
    options.sort = { key: key.key, type: key.type, descending: direction ? direction === "desc" : !key.text };
  } else if (direction === "asc") {
    options.sort = { key: SORT_KEYS.start_date_time.key, type: SORT_KEYS.start_date_time.type };
  }
  return options;
}
