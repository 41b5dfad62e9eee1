import { getTableName, type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { containsPattern } from "../../core/resource/declaration";
import { projection, visible } from "../../core/resource/sql";
import { accounts, clients, contacts, interactions, leads, projects, searchTextOf } from "../../db/schema";
import { accountResource } from "./accounts.resource";
import { clientResource } from "./clients.resource";
import { contactResource } from "./contacts.resource";
import { DICTIONARY_THRESHOLD, prefixQuery, queryWords, typoQuery } from "./interactions.repo";
import { interactionResource } from "./interactions.resource";
import { leadResource } from "./leads.resource";
import { projectResource } from "./projects.resource";
import type { SearchHitDto, SearchType } from "./search.schemas";

/** Word similarity threshold of `<%` (a word of the text close to the query: typos). */
const TYPO_THRESHOLD = "0.45";

/**
 * Each searchable type: its declaration, the text it matches (the expression its GIN pg_trgm index
 * is built on; the table's own name is the alias, so the expression matches the index) and its label.
 */
const TYPES = {
  accounts: { res: accountResource, text: searchTextOf.accounts(accounts), label: sql`accounts.name` },
  clients: { res: clientResource, text: searchTextOf.clients(clients), label: sql`clients.name` },
  leads: { res: leadResource, text: searchTextOf.leads(leads), label: sql`leads.name` },
  projects: { res: projectResource, text: searchTextOf.projects(projects), label: sql`projects.name` },
  contacts: {
    res: contactResource,
    text: searchTextOf.contacts(contacts),
    label: sql`trim(contacts.first_name || ' ' || coalesce(contacts.last_name, ''))`,
  },
  interactions: {
    res: interactionResource,
    text: sql`${interactions.searchText}`,
    label: sql`interactions.title`,
  },
} as const;

/**
 * Interactions are many and long: they match like the Finder (words and prefixes, or the typo
 * dictionary's close words, through the full-text index; or the text contains the query) and
 * rank by their title, so word similarity never runs over every row's whole text.
 */
function interactionHits(needle: string): { match: SQL; rank: SQL } {
  const title = sql`lower(interactions.title)`;
  return {
    match: sql`(interactions.search_vector @@ (select q from search_q)
      or interactions.search_text like ${containsPattern(needle)}::text)`,
    rank: sql`(word_similarity(${needle}::text, ${title})
      + case when ${title} like ${`${containsPattern(needle).slice(1)}`}::text then 1 else 0 end)::float8`,
  };
}

/** The interactions' query: the prefixes of the words or, for typos, the dictionary's close words (either may be null). */
function searchQuery(ctx: TenantContext, text: string): SQL {
  const tsq = prefixQuery(text);
  const prefix = tsq ? sql`to_tsquery('simple', ${tsq}::text)` : sql`null::tsquery`;
  return sql`search_q as materialized (
    select case when p.t is null then y.t when y.t is null then p.t else p.t || y.t end as q
    from (select ${prefix} as t) p, (select ${typoQuery(ctx, queryWords(text))} as t) y
  )`;
}

/**
 * One page of hits across `types`, best first (ties: type, id), and their total, in one round
 * trip: the text contains the query (LIKE) or a word of it is close (`<%`, typos). Each type is
 * read with its own context (`contextOf`: the caller's visibility for that resource).
 */
export async function searchRows(
  contextOf: (type: SearchType) => TenantContext,
  db: TenantContext["db"],
  types: readonly SearchType[],
  text: string,
  page: number,
  pageSize: number,
): Promise<{ total: number; hits: SearchHitDto[] }> {
  const needle = text.toLowerCase();
  const parts: SQL[] = types.map((type) => {
    const { res, text: expr, label } = TYPES[type];
    const alias = getTableName(res.table);
    const { match, rank } =
      type === "interactions"
        ? interactionHits(needle)
        : {
            match: sql`(${expr} like ${containsPattern(needle)}::text or ${needle}::text <% ${expr})`,
            rank: sql`(word_similarity(${needle}::text, ${expr}) + case when ${expr} like ${`${containsPattern(needle).slice(1)}`}::text then 1 else 0 end)::float8`,
          };
    return sql`select ${type}::text as type, ${sql.raw(alias)}.id, ${label} as label, ${rank} as rank
      from ${sql.identifier(alias)}
      where ${visible(contextOf(type), res, alias)} and ${sql.raw(alias)}.deleted_at is null and ${match}`;
  });
  // The hits stay narrow (type, id, label, rank) for the count and the sort; only the page's
  // rows are read whole, by primary key, for their item.
  const items = types.map((type) => {
    const { res } = TYPES[type];
    const alias = getTableName(res.table);
    return sql`when ${type}::text then (select ${projection(res, alias)} from ${sql.identifier(alias)}
      where ${sql.raw(alias)}.tenant_id = ${contextOf(type).tenantId}::uuid and ${sql.raw(alias)}.id = h.id)`;
  });
  const [, result] = await db.batch([
    db.execute(
      sql`select set_config('pg_trgm.word_similarity_threshold', ${TYPO_THRESHOLD}::text, true),
        set_config('pg_trgm.similarity_threshold', ${DICTIONARY_THRESHOLD}::text, true), set_config('jit', 'off', true)`,
    ),
    db.execute<{ total: number; hits: SearchHitDto[] }>(sql`
      with ${types.includes("interactions") ? sql`${searchQuery(contextOf("interactions"), text)}, ` : sql``}hits as (${sql.join(parts, sql` union all `)})
      select (select count(*)::int from hits) as total,
        coalesce((select json_agg(json_build_object('type', h.type, 'id', h.id, 'label', h.label,
            'rank', round(h.rank::numeric, 4), 'item', h.item) order by h.rank desc, h.type, h.id)
          from (
            select h.*, case h.type ${sql.join(items, sql` `)} end as item
            from (select * from hits order by rank desc, type, id limit ${pageSize} offset ${(page - 1) * pageSize}) h
          ) h),
          '[]'::json) as hits`),
  ]);
  const row = result.rows[0];
  return { total: row?.total ?? 0, hits: row?.hits ?? [] };
}
