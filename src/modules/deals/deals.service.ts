import type { TenantContext } from "../../core/context";
import type { Emit } from "../../core/emit";
import { ApiError } from "../../core/errors";
import { preconditionFailed } from "../../core/etag";
import { domainEvent } from "../../core/events";
import { pagination } from "../../core/pagination";
import {
  conflictOnUnique,
  createOne,
  deleteOne,
  referenceNotFound,
  settle,
  type Versioned,
} from "../../core/resource/verbs";
import { DEAL_CHANGED } from "./deals.events";
import { DEAL_ROLLBACK } from "./deals.permissions";
import { activitiesOf, type DealBefore, type DealRow, insertComment, updateDealRow } from "./deals.repo";
import { dealResource } from "./deals.resource";
import type { ActivitiesQuery, ActivityItem, CommentInput } from "./deals.schemas";

type DealInput = Record<string, unknown> & {
  stage?: string;
  status?: string;
  amount?: number;
  owner_id?: string | null;
  closed_at?: string | null;
};

const wonWithoutAmount = () =>
  ApiError.validation("A deal cannot be won with an amount of 0 or less", [
    { field: "amount", message: "Must be greater than 0 for a won deal" },
  ]);

function changed(emit: Emit, ctx: TenantContext, deal: DealRow, before: DealBefore | null): void {
  emit(
    domainEvent(DEAL_CHANGED, ctx.tenantId, {
      deal_id: deal.id,
      previous_owner_id: before?.owner_id ?? null,
      previous_closed_at: before?.closed_at ?? null,
    }),
  );
}

/**
 * A new deal: owned by the caller unless `owner_id` names a member; won or lost imply the closed
 * stage (and stamp `closed_at`); won needs an amount above 0 (400 naming `amount`).
 */
export async function createDeal(
  ctx: TenantContext,
  input: DealInput,
  emit: Emit,
): Promise<Versioned<DealRow>> {
  const closing = input.status === "won" || input.status === "lost";
  if (input.status === "won" && (input.amount ?? 0) <= 0) throw wonWithoutAmount();
  const body: DealInput = {
    ...input,
    owner_id: input.owner_id ?? ctx.userId,
    stage: input.stage ?? (closing ? "closed" : undefined),
    closed_at: input.closed_at ?? (closing ? new Date().toISOString() : undefined),
  };
  const created = await createOne<DealRow>(ctx, dealResource, body);
  changed(emit, ctx, created.data, null);
  return created;
}

/**
 * A partial update with the pipeline's rules, decided in the UPDATE's statement: won with amount
 * ≤ 0 → 400 naming `amount`; an earlier stage (reopening included) without `deals:rollback` →
 * 403; a stage or status change writes its activity in the same statement. Without If-Match, a
 * deal someone else changed meanwhile → 409 (read it again); with a stale If-Match → 412.
 */
export async function updateDeal(
  ctx: TenantContext,
  id: string,
  input: DealInput,
  expectedVersion: number | undefined,
  emit: Emit,
): Promise<Versioned<DealRow>> {
  const outcome = await updateDealRow(
    ctx,
    id,
    input,
    expectedVersion,
    ctx.permissions.has(DEAL_ROLLBACK),
  ).catch((err: unknown) => conflictOnUnique(dealResource, err));
  if (outcome.found && outcome.refusal === null && outcome.row === null) {
    if (expectedVersion !== undefined) throw preconditionFailed();
    throw ApiError.conflict("The deal was changed by someone else meanwhile; read it again and retry", [
      { field: "version", message: "Changed concurrently" },
    ]);
  }
  const row = settle(outcome, expectedVersion, {
    notFound: () => ApiError.notFound("Deal"),
    refused: (reason) => {
      if (reason === "amount") return wonWithoutAmount();
      if (reason === "rollback") {
        return ApiError.forbidden("Only an owner or admin may move a deal to an earlier stage or reopen it");
      }
      return referenceNotFound(reason === "owner_id" ? "User" : "Contact", reason);
    },
  });
  changed(emit, ctx, row, outcome.before);
  return { data: row, version: row.version };
}

/** The kit's soft delete, and the event that takes the deal out of the rollups. */
export async function deleteDeal(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
  emit: Emit,
): Promise<void> {
  await deleteOne(ctx, dealResource, id, expectedVersion);
  emit(
    domainEvent(DEAL_CHANGED, ctx.tenantId, {
      deal_id: id,
      previous_owner_id: null,
      previous_closed_at: null,
    }),
  );
}

/** A deal's activities (changes and comments), newest first, `total` always; 404 unless you may see the deal. */
export async function listActivities(ctx: TenantContext, dealId: string, query: ActivitiesQuery) {
  const { found, total, items } = await activitiesOf(ctx, dealId, query.page, query.page_size);
  if (!found) throw ApiError.notFound("Deal");
  return { data: items, pagination: pagination(query, total) };
}

/** A comment is an activity too (append-only); 404 unless you may see the deal. */
export async function addComment(
  ctx: TenantContext,
  dealId: string,
  input: CommentInput,
): Promise<ActivityItem> {
  const row = await insertComment(ctx, dealId, input.body);
  if (!row) throw ApiError.notFound("Deal");
  return row;
}
