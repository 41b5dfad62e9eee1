import { and, eq } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import type { Emit } from "../../core/emit";
import { ApiError } from "../../core/errors";
import { domainEvent } from "../../core/events";
import { createOne, listPage, updateOne, type Versioned } from "../../core/resource/verbs";
import { interactions } from "../../db/schema";
import { CRM_CHANGED } from "./crm.events";
import { zonedToUtc } from "./crm.schemas";
import { cachedSearch } from "./interactions.cache";
import { finderOptions, versionSql } from "./interactions.repo";
import { interactionResource } from "./interactions.resource";
import type { FinderQuery } from "./interactions.schemas";

/**
 * The Finder (seed 001): filters, search, sort and paging over the interactions in your view,
 * total always. A search costs one round trip, hit or miss (two only for an entry a write made stale).
 */
export async function findInteractions(ctx: TenantContext, query: FinderQuery) {
  const { q, search, sort, direction, pageSize, page_size, ...rest } = query;
  const text = q ?? search;
  const paging = { ...rest, page_size: page_size ?? pageSize ?? 25, include_total: true };
  const filtered = Object.keys(interactionResource.filters ?? {}).some(
    (key) => (rest as Record<string, unknown>)[key] !== undefined,
  );
  const options = finderOptions(ctx, text, sort, direction, filtered);
  // Plain lists are one indexed query already; searches go through the tenant-safe cache, the
  // data version its answer is cached under read in the search's own round trip (listRows `also`).
  if (!text) return listPage(ctx, interactionResource, paging, options);
  return cachedSearch(ctx, query, async () => {
    const { data, pagination, also } = await listPage(ctx, interactionResource, paging, {
      ...options,
      also: { version: versionSql(ctx) },
    });
    return { body: { data, pagination }, version: String(also?.version ?? "0") };
  });
}

const TIMES = ["start_date_time", "end_date_time", "follow_up_at"] as const;
type InteractionInput = Record<string, unknown> & { timezone?: string };
type Row = { id: string; version: number; client_id?: string | null; lead_id?: string | null };

/** Seed 001's local date-times (no offset) as UTC, read in `timezone`. */
function toUtc(input: InteractionInput, timeZone: string): InteractionInput {
  const out: InteractionInput = { ...input };
  for (const key of TIMES) {
    const value = input[key];
    if (typeof value === "string") out[key] = zonedToUtc(value, timeZone);
  }
  return out;
}

const isLocal = (value: unknown) => typeof value === "string" && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value);

/** Create: local date-times are read in the body's `timezone` (default UTC). */
export function createInteraction(ctx: TenantContext, input: InteractionInput): Promise<Versioned<Row>> {
  return createOne<Row>(ctx, interactionResource, toUtc(input, input.timezone ?? "UTC"));
}

/**
 * Update: a local date-time needs `timezone` in the same body (the zone it is read in). A body
 * that sets `client_id` or `lead_id` reads the current links first (one round trip more, only
 * then): when the interaction moves, its `crm.changed` names the client and lead it left
 * (`previous_client_id`, `previous_lead_id`), so the consumer corrects their last interaction too.
 */
export async function updateInteraction(
  ctx: TenantContext,
  id: string,
  input: InteractionInput,
  expectedVersion: number | undefined,
  emit: Emit,
): Promise<Versioned<Row>> {
  const local = TIMES.find((key) => isLocal(input[key]));
  if (local && input.timezone === undefined) {
    throw ApiError.validation("Invalid request body", [
      { field: "timezone", message: `Required with a local ${local} (one without an offset)` },
    ]);
  }
  const before =
    input.client_id === undefined && input.lead_id === undefined
      ? undefined
      : (
          await ctx.db
            .select({ clientId: interactions.clientId, leadId: interactions.leadId })
            .from(interactions)
            .where(and(eq(interactions.tenantId, ctx.tenantId), eq(interactions.id, id)))
        )[0];
  const updated = await updateOne<Row>(
    ctx,
    interactionResource,
    id,
    toUtc(input, input.timezone ?? "UTC"),
    expectedVersion,
  );
  const row = updated.data;
  if (before && (before.clientId !== (row.client_id ?? null) || before.leadId !== (row.lead_id ?? null))) {
    emit(
      domainEvent(CRM_CHANGED, ctx.tenantId, {
        entity: "interaction",
        id,
        previous_client_id: before.clientId === (row.client_id ?? null) ? null : before.clientId,
        previous_lead_id: before.leadId === (row.lead_id ?? null) ? null : before.leadId,
      }),
    );
  }
  return updated;
}
