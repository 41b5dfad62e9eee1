import { z } from "zod";
import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import type { Emit } from "../../core/emit";
import { ApiError } from "../../core/errors";
import { domainEvent } from "../../core/events";
import { uuidv7 } from "../../core/ids";
import { keysetPage, pageRequest } from "../../core/pagination";
import { downloadUrl, type UploadSite } from "../../core/uploads";
import {
  completeVisitChecked,
  findVisitByClientId,
  insertVisit,
  selectVisitDetail,
  selectVisitPhotos,
  selectVisits,
} from "./visits.repo";
import type { CompleteVisitInput, ListVisitsQuery, StartVisitInput, VisitDto } from "./visits.schemas";

export const VISIT_COMPLETED = "visit.completed";
export const VISIT_STARTED = "visit.started";

/**
 * Starts a visit (one round trip). A resent start with the same client_id returns the visit it
 * already created (`created: false`), never a duplicate. A new visit emits `visit.started` for the
 * activity rollups.
 */
export async function startVisit(
  ctx: TenantContext,
  input: StartVisitInput,
  emit: Emit,
): Promise<{ visit: VisitDto; created: boolean }> {
  const id = uuidv7();
  const result = await insertVisit(
    ctx.db,
    ctx,
    {
      id,
      clientId: input.client_id ?? null,
      surveyId: input.survey_id,
      shopId: input.shop_id ?? null,
      visitType: input.visit_type ?? null,
      lat: input.lat,
      lng: input.lng,
      accuracyM: input.accuracy_m ?? null,
      startedAt: new Date(input.started_at ?? Date.now()).toISOString(),
      notes: input.notes ?? null,
    },
    auditRow(ctx, { action: "visit.start", entityType: "visit", entityId: id }),
  );
  if (result.created) {
    emit(domainEvent(VISIT_STARTED, ctx.tenantId, { visit_id: id }));
    return { visit: result.created, created: true };
  }
  if (result.existing) return { visit: result.existing, created: false };
  if (!result.surveyFound) throw ApiError.notFound("Survey");
  if (!result.shopFound) throw ApiError.notFound("Shop");
  // Lost a race with a concurrent resend of the same start: that one created it.
  const raced = input.client_id ? await findVisitByClientId(ctx.db, ctx, input.client_id) : null;
  if (raced) return { visit: raced, created: false };
  throw new Error("visit start wrote nothing and found nothing");
}

/**
 * Completes a visit with its answers: only the visit's own agent (403), only once (409 after that —
 * a retry with the same Idempotency-Key replays the first answer instead), answers checked against
 * the survey with every problem on its own field (400). One statement does the checks and the
 * write with its audit row (`completeVisitChecked`); the rollups follow through `visit.completed`.
 */
export async function completeVisit(
  ctx: TenantContext,
  id: string,
  input: CompleteVisitInput,
  emit: Emit,
): Promise<VisitDto> {
  const outcome = await completeVisitChecked(
    ctx.db,
    ctx,
    id,
    {
      completedAt: new Date(input.completed_at ?? Date.now()).toISOString(),
      notes: input.notes ?? null,
      answers: input.answers,
      photoIds: input.photo_ids,
    },
    auditRow(ctx, { action: "visit.complete", entityType: "visit", entityId: id }),
  );
  switch (outcome.kind) {
    case "not_found":
      throw ApiError.notFound("Visit");
    case "not_own":
      throw ApiError.forbidden("Only the visit's own agent can complete it");
    case "already_completed":
      throw ApiError.conflict("This visit is already completed");
    case "invalid":
      throw ApiError.validation("The answers do not fit the survey", outcome.problems);
    case "before_start":
      throw ApiError.validation("Invalid completion", [
        { field: "completed_at", message: "Must not be before started_at" },
      ]);
    case "completed":
      emit(domainEvent(VISIT_COMPLETED, ctx.tenantId, { visit_id: id }));
      return outcome.visit;
  }
}

/** started_at and id of the last visit of the page. */
const visitKey = z.tuple([z.iso.datetime(), z.uuid()]);

/** A keyset page of visits in the caller's scope (one round trip). */
export async function listVisits(ctx: TenantContext, query: ListVisitsQuery) {
  const request = pageRequest(query, visitKey);
  const { rows, total } = await selectVisits(ctx.db, ctx, {
    agentId: query.agent_id,
    shopId: query.shop_id,
    surveyId: query.survey_id,
    status: query.status,
    from: query.from,
    to: query.to,
    after: request.after && { startedAt: request.after[0], id: request.after[1] },
    limit: request.limit,
    // With a cursor the window count would cover only the rows after it: the total is a first-page figure.
    includeTotal: query.include_total && !query.cursor,
  });
  const page = keysetPage(rows, request, total, (row) => [row.started_at, row.id] as [string, string]);
  return { data: page.items, pagination: page.pagination };
}

/** One visit in scope, with answers and photos (one round trip). */
export async function getVisit(ctx: TenantContext, id: string) {
  const row = await selectVisitDetail(ctx.db, ctx, id);
  if (!row) throw ApiError.notFound("Visit");
  return {
    ...row.visit,
    answers: row.answers,
    photos: row.photos.map(({ object_key: _key, ...photo }) => photo),
  };
}

/**
 * The photos of a visit in scope (one round trip), each uploaded one with a short-lived signed
 * download URL. A photo still pending has none (with R2 presigned uploads, GET /api/photos/:id
 * confirms a landed upload).
 */
export async function listVisitPhotos(ctx: TenantContext, site: UploadSite, id: string) {
  const rows = await selectVisitPhotos(ctx.db, ctx, id);
  if (!rows) throw ApiError.notFound("Visit");
  return Promise.all(
    rows.map(async ({ object_key: _key, ...photo }) => ({
      ...photo,
      download:
        photo.status === "uploaded"
          ? await downloadUrl(site, { kind: "photo", tenantId: ctx.tenantId, id: photo.id })
          : null,
    })),
  );
}
