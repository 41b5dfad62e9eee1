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
 * GIN pg_trgm), ranked by ts_rank; when no row you may see matches so, the query is taken as a
 * typo: rows with a word close to it (`<%`, word similarity ≥ 0.45; the same GIN index), ranked
 * by word similarity.
 */

/** The tenant's interaction data version: the newest `updated_at` (µs), deleted rows included; the cache key's last part. */
export async function interactionsVersion(ctx: TenantContext): Promise<string> {
  const result = await ctx.db.execute<{ v: string | null }>(sql`
    select (extract(epoch from max(updated_at)) * 1000000)::bigint::text as v
    from interactions where tenant_id = ${ctx.tenantId}::uuid`);
  return result.rows[0]?.v ?? "0";
}

/** Word similarity threshold of `<%` for this query (transaction-local, same round trip). */
export const TYPO_THRESHOLD = "0.45";

/** `w1:* & w2:*` from the query's letters and digits only (never raw tsquery syntax), or null. */
export function prefixQuery(text: string): string | null {
  const words =
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
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
    const needle = text.toLowerCase();
    const tsq = prefixQuery(text);
    const query = tsq ? sql`to_tsquery('simple', ${tsq}::text)` : sql`null::tsquery`;
    const exact = (a: string) =>
      sql`(${tsq ? sql`${sql.raw(a)}.search_vector @@ ${query} or ` : sql``}${sql.raw(a)}.search_text like ${containsPattern(needle)}::text)`;
    // Typos are the fallback: only when no visible row matches the words exactly (an uncorrelated
    // subquery, evaluated once), so a common word never pays for trigram similarity on every row.
    const anyExact = sql`exists (select 1 from interactions e
      where ${visible(ctx, interactionResource, "e")} and e.deleted_at is null and ${exact("e")})`;
    options.where = [sql`(${exact("t")} or (not ${anyExact} and ${needle}::text <% t.search_text))`];
    options.columns = {
      rank: sql`(case when ${anyExact} then coalesce(ts_rank(t.search_vector, ${query}), 0)
        else word_similarity(${needle}::text, t.search_text) end)::float8`,
    };
    options.settings = { "pg_trgm.word_similarity_threshold": TYPO_THRESHOLD };
    options.extra = {
      rank: sql`round(f.rank::numeric, 4)`,
      highlight: tsq
        ? sql`ts_headline('simple', coalesce(f.title, '') || ' — ' || coalesce(f.description, ''), ${query},
            'StartSel=<b>, StopSel=</b>, MaxFragments=1, MaxWords=20, MinWords=5')`
        : sql`null::text`,
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
