import { getTableName, type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { containsPattern } from "../../core/resource/declaration";
import { flat, projection, visible } from "../../core/resource/sql";
import { accounts, clients, contacts, leads, projects, searchTextOf } from "../../db/schema";
import { accountResource } from "./accounts.resource";
import { clientResource } from "./clients.resource";
import { contactResource } from "./contacts.resource";
import { DICTIONARY_THRESHOLD, finderSearch } from "./interactions.repo";
import { interactionResource } from "./interactions.resource";
import { leadResource } from "./leads.resource";
import { projectResource } from "./projects.resource";
import type { SearchHitDto, SearchType } from "./search.schemas";

/** Word similarity threshold of `<%` (a word of the text close to the query: typos). */
const TYPO_THRESHOLD = "0.45";

/**
 * Each searchable type: its declaration, the text it matches (the expression its GIN pg_trgm index
 * is built on; the table's own name is the alias, so the expression matches the index) and its label
 * (read for the page's rows only).
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
    text: sql`interactions.search_text`, // unused: interactions match as the Finder (finderSearch)
    label: sql`interactions.title`,
  },
} as const;

/**
 * One page of hits across `types`, best first (ties: type, id), and their total, in one round
 * trip: the text contains the query (LIKE) or a word of it is close (`<%`, typos). Interactions
 * are many and long: they match and rank as the Finder's search (words and prefixes or, for typos,
 * the dictionary's close words, through the full-text index; ts_rank), and a one-word search of
 * the whole tenant reads them from the Finder's term index when that is provably the same answer
 * (`finderSearch`): their count, and their first rows in this order. Each type is read with its
 * own context (`contextOf`: the caller's visibility for that resource).
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
  const finder = types.includes("interactions") ? finderSearch(contextOf("interactions"), text) : null;
  const fast = finder?.fast ?? null;
  const parts: SQL[] = types.map((type) => {
    if (type === "interactions" && finder) {
      // The general path, unless the term index answers (a one-time filter either way).
      return sql`select ${type}::text as type, t.id, ${finder.rank} as rank
        from interactions t
        where ${visible(contextOf(type), interactionResource, "t")} and t.deleted_at is null and ${finder.where}
          ${fast ? sql`and not (${fast.when})` : sql``}`;
    }
    const { res, text: expr } = TYPES[type];
    const alias = getTableName(res.table);
    const match = sql`(${expr} like ${containsPattern(needle)}::text or ${needle}::text <% ${expr})`;
    const rank = sql`(word_similarity(${needle}::text, ${expr}) + case when ${expr} like ${`${containsPattern(needle).slice(1)}`}::text then 1 else 0 end)::float8`;
    return sql`select ${type}::text as type, ${sql.raw(alias)}.id, ${rank} as rank
      from ${sql.identifier(alias)}
      where ${visible(contextOf(type), res, alias)} and ${sql.raw(alias)}.deleted_at is null and ${match}`;
  });
  const offset = (page - 1) * pageSize;
  // The hits stay narrow (type, id, rank) for the count and the sort; only the page's rows are
  // read whole, by primary key, for their label and item.
  const items = types.map((type) => {
    const { res, label } = TYPES[type];
    const alias = getTableName(res.table);
    return sql`when ${type}::text then (select json_build_object('label', ${label}, 'item', ${projection(res, alias)})
      from ${sql.identifier(alias)}
      where ${sql.raw(alias)}.tenant_id = ${contextOf(type).tenantId}::uuid and ${sql.raw(alias)}.id = h.id)`;
  });
  const settings: Record<string, string> = {
    ...(finder?.settings ?? {}),
    "pg_trgm.word_similarity_threshold": TYPO_THRESHOLD,
    "pg_trgm.similarity_threshold": DICTIONARY_THRESHOLD,
    jit: "off",
  };
  const [, result] = await db.batch([
    db.execute(
      sql`select ${sql.join(
        Object.entries(settings).map(([name, value]) => sql`set_config(${name}::text, ${value}::text, true)`),
        sql`, `,
      )}`,
    ),
    db.execute<{ total: number; hits: SearchHitDto[] }>(
      flat(sql`
      with ${finder ? sql`${finder.with}, ` : sql``}hits as (${sql.join(parts, sql` union all `)}),
      fast as (${
        fast
          ? sql`select 'interactions'::text as type, s.id, s.rank from (${fast.top(offset + pageSize)}) s where ${fast.when}`
          : sql`select null::text as type, null::uuid as id, null::float8 as rank where false`
      })
      select ((select count(*)::int from hits)${fast ? sql` + case when ${fast.when} then (${fast.total}) else 0 end` : sql``}) as total,
        coalesce((select json_agg(json_build_object('type', h.type, 'id', h.id, 'label', h.x->'label',
            'rank', round(h.rank::numeric, 4), 'item', h.x->'item') order by h.rank desc, h.type, h.id)
          from (
            select h.*, case h.type ${sql.join(items, sql` `)} end as x
            from (select * from (select type, id, rank from hits union all select type, id, rank from fast) a
              order by rank desc, type, id limit ${pageSize} offset ${offset}) h
            offset 0 -- read each row once (x is used twice above)
          ) h),
          '[]'::json) as hits`),
    ),
  ]);
  const row = result.rows[0];
  return { total: row?.total ?? 0, hits: row?.hits ?? [] };
}
