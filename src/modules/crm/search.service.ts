import type { TenantContext } from "../../core/context";
import { pagination } from "../../core/pagination";
import { readContext } from "../../core/resource/view";
import { accountResource } from "./accounts.resource";
import { clientResource } from "./clients.resource";
import { contactResource } from "./contacts.resource";
import { interactionResource } from "./interactions.resource";
import { leadResource } from "./leads.resource";
import { projectResource } from "./projects.resource";
import { searchRows } from "./search.repo";
import { SEARCH_TYPES, type SearchQuery, type SearchType } from "./search.schemas";

const RESOURCES = {
  accounts: accountResource,
  clients: clientResource,
  leads: leadResource,
  projects: projectResource,
  contacts: contactResource,
  interactions: interactionResource,
} as const;

/**
 * Cross-entity search (`GET /api/search`): the same visibility as each type's list (own rows, or
 * the tenant with `view=all` and crm:read_all), ranked, total always.
 */
export async function searchCrm(ctx: TenantContext, query: SearchQuery) {
  const types = [...new Set<SearchType>(query.types ?? SEARCH_TYPES)];
  const contexts = Object.fromEntries(types.map((t) => [t, readContext(ctx, RESOURCES[t], query.view)]));
  const { total, hits } = await searchRows(
    (type) => contexts[type] ?? ctx,
    ctx.db,
    types,
    query.q,
    query.page,
    query.page_size,
  );
  return {
    data: hits,
    pagination: pagination(query, total),
  };
}
