import { getTableName, type SQL, sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { containsPattern } from "../../core/resource/declaration";
import { projection, visible } from "../../core/resource/sql";
import { accounts, clients, contacts, interactions, leads, projects, searchTextOf } from "../../db/schema";
import { accountResource } from "./accounts.resource";
import { clientResource } from "./clients.resource";
import { contactResource } from "./contacts.resource";
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
    return sql`select ${type}::text as type, ${sql.raw(alias)}.id, ${label} as label,
        (word_similarity(${needle}::text, ${expr}) + case when ${expr} like ${`${containsPattern(needle).slice(1)}`}::text then 1 else 0 end)::float8 as rank,
        ${projection(res, alias)} as item
      from ${sql.identifier(alias)}
      where ${visible(contextOf(type), res, alias)} and ${sql.raw(alias)}.deleted_at is null
        and (${expr} like ${containsPattern(needle)}::text or ${needle}::text <% ${expr})`;
  });
  const [, result] = await db.batch([
    db.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${TYPO_THRESHOLD}::text, true)`),
    db.execute<{ total: number; hits: SearchHitDto[] }>(sql`
      with hits as (${sql.join(parts, sql` union all `)})
      select (select count(*)::int from hits) as total,
        coalesce((select json_agg(json_build_object('type', h.type, 'id', h.id, 'label', h.label,
            'rank', round(h.rank::numeric, 4), 'item', h.item) order by h.rank desc, h.type, h.id)
          from (select * from hits order by rank desc, type, id limit ${pageSize} offset ${(page - 1) * pageSize}) h),
          '[]'::json) as hits`),
  ]);
  const row = result.rows[0];
  return { total: row?.total ?? 0, hits: row?.hits ?? [] };
}
