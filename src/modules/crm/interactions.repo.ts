import { type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { containsPattern } from "../../core/resource/declaration";
import { visible } from "../../core/resource/sql";
import type { ListOptions } from "../../core/resource/statements";
import { interactionResource } from "./interactions.resource";
import type { FinderSort } from "./interactions.schemas";

/**
 * The Finder's SQL parts for the kit's list statement. A search matches a row when its words
 * match as prefixes (`search_vector`, GIN) or the text contains the query (`search_text` LIKE,
 * GIN pg_trgm), ranked by ts_rank. When no row you may see matches so, the query is taken as a
 * typo: each query word becomes the tenant's most similar words (`interaction_words`, pg_trgm
 * similarity ≥ 0.3, at most five), and rows with all of them (one of each word's) are found with
 * the full-text index and ranked the same way. The choice is made once per query (`finder_q`).
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

export function finderOptions(
  ctx: TenantContext,
  text: string | undefined,
  sort: FinderSort | undefined,
  direction: "asc" | "desc" | undefined,
): ListOptions {
  const options: ListOptions = {};
  const chosen = sort ?? (text ? "relevance" : undefined);
  if (text) {
    const tsq = prefixQuery(text);
    const prefix = tsq ? sql`to_tsquery('simple', ${tsq}::text)` : sql`null::tsquery`;
    const contains = containsPattern(text.toLowerCase());
    // Typos are the fallback: only when no visible row matches the words exactly, so a common
    // word never pays for the dictionary. `finder_q` is evaluated once for the whole statement.
    options.with = sql`finder_q as materialized (
      select case when exists (
        select 1 from interactions e
        where ${visible(ctx, interactionResource, "e")} and e.deleted_at is null
          and (e.search_vector @@ ${prefix} or e.search_text like ${contains}::text)
      ) then ${prefix} else ${typoQuery(ctx, queryWords(text))} end as q,
      ${prefix} as prefix
    )`;
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
