import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import type { Emit } from "../../core/emit";
import { ApiError } from "../../core/errors";
import { type DomainEvent, domainEvent } from "../../core/events";
import { uuidv7 } from "../../core/ids";
import { scopePredicate } from "../../core/scope";
import {
  checkUploadable,
  objectKey,
  readableFile,
  type UploadSite,
  type UploadTarget,
  uploadColumns,
  uploadInstructions,
} from "../../core/uploads";
import { photos, visits } from "../../db/schema";
import {
  findPhoto,
  findPhotoByClientId,
  type NewQuadrant,
  type PhotoRecord,
  registerPhoto as registerPhotoRow,
  replaceQuadrants,
} from "./photos.repo";
import type {
  PhotoDetailDto,
  PhotoDto,
  RegisteredPhotoDto,
  RegisterPhotoInput,
  ShelfQuadrantsInput,
  ShelfQuadrantsResultDto,
} from "./photos.schemas";
import { shelfShares } from "./shelf-share";

export const SHELF_QUADRANTS_SUBMITTED = "shelf_quadrants.submitted";
export const PHOTO_REGISTERED = "photo.registered";

function target(ctx: TenantContext, id: string): UploadTarget {
  return { kind: "photo", tenantId: ctx.tenantId, id };
}

function toPhotoDto(row: PhotoRecord): PhotoDto {
  return {
    id: row.id,
    visit_id: row.visit_id,
    question_id: row.question_id,
    client_id: row.client_id,
    purpose: row.purpose,
    ...uploadColumns(row),
    taken_at: row.taken_at,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    uploaded_at: row.uploaded_at,
  };
}

/** Photos belong to the visit's agent; their taker always sees them too. */
const photoScope = (ctx: TenantContext) => scopePredicate(ctx, [visits.agentId, photos.createdBy]);

/**
 * Registers a photo of a visit and returns upload instructions (DESIGN §4). The visit must be in
 * the caller's tenant and data scope — checked inside the insert itself, so a visit the caller may
 * not see answers 404 with nothing written. A resend with the same `client_id` returns the
 * existing photo with fresh instructions (`created: false`), never a duplicate; the same
 * client_id for another visit is a 409. One round trip.
 */
export async function registerPhoto(
  ctx: TenantContext,
  site: UploadSite,
  input: RegisterPhotoInput,
  emit: Emit,
): Promise<{ photo: RegisteredPhotoDto; created: boolean }> {
  const contentType = checkUploadable(site.config, { contentType: input.content_type, size: input.size });
  const id = uuidv7();
  const row = {
    tenantId: ctx.tenantId,
    id,
    clientId: input.client_id ?? null,
    visitId: input.visit_id,
    questionId: input.question_id ?? null,
    purpose: input.purpose,
    objectKey: objectKey(target(ctx, id)),
    contentType,
    declaredSize: input.size,
    takenAt: input.taken_at ?? null,
    createdBy: ctx.userId,
  };
  const audit = auditRow(ctx, {
    action: "photo.create",
    entityType: "photo",
    entityId: id,
    newValues: { ...input, content_type: contentType },
  });
  const outcome = await registerPhotoRow(ctx.db, row, scopePredicate(ctx, [visits.agentId]), audit);
  let photo = outcome.created ?? outcome.existing;
  if (!photo) {
    if (!outcome.visitFound) throw ApiError.notFound("Visit");
    if (!outcome.questionOk) {
      throw ApiError.validation("Invalid request body", [
        { field: "question_id", message: "Not a question of the visit's survey" },
      ]);
    }
    // Only a concurrent resend, inserted after this statement's snapshot, leaves no row.
    if (row.clientId !== null)
      photo = await findPhotoByClientId(ctx.db, ctx.tenantId, ctx.userId, row.clientId);
    if (!photo) throw new Error("photo registration returned no row");
  }
  const created = outcome.created !== null;
  if (created)
    emit(domainEvent(PHOTO_REGISTERED, ctx.tenantId, { photo_id: photo.id, visit_id: photo.visit_id }));
  if (!created && photo.visit_id !== input.visit_id) {
    throw ApiError.conflict("This client_id already names a photo of another visit", [
      { field: "client_id", message: "Already used for another visit" },
    ]);
  }
  const dto = toPhotoDto(photo);
  const upload = await uploadInstructions(site, {
    ...target(ctx, dto.id),
    contentType: dto.content_type,
    size: dto.declared_size,
  });
  return { photo: { ...dto, upload }, created };
}

/**
 * A photo the caller may see, with its shelf quadrants and, once uploaded, a short-lived download
 * URL. One round trip; with presigned R2 uploads (mode a) a pending photo is first confirmed
 * against R2, which costs one more the first time.
 */
export async function getPhoto(ctx: TenantContext, site: UploadSite, id: string): Promise<PhotoDetailDto> {
  const found = await findPhoto(ctx.db, ctx.tenantId, id, photoScope(ctx));
  if (!found) throw ApiError.notFound("Photo");
  const photo = await readableFile(site, ctx, target(ctx, id), toPhotoDto(found.photo));
  return { ...photo, shelf_quadrants: found.quadrants };
}

/**
 * Replaces the brand rectangles of a photo and stores each brand's shelf share (shelf-share.ts)
 * on its rectangles. The photo must be visible to the caller (404) and every brand a live brand
 * of the tenant (400 naming each bad one); checks, delete, insert and audit are one atomic round
 * trip. Returns the event to publish for the rollups.
 */
export async function submitShelfQuadrants(
  ctx: TenantContext,
  photoId: string,
  input: ShelfQuadrantsInput,
): Promise<{ result: ShelfQuadrantsResultDto; event: DomainEvent }> {
  const { shares, markedArea } = shelfShares(
    input.quadrants.map((q) => ({ brandId: q.brand_id, x: q.x, y: q.y, width: q.width, height: q.height })),
  );
  const shareOf = new Map(shares.map((s) => [s.brandId, s.percentage]));
  // uuidv7 is only millisecond-ordered: sorting the fresh ids keeps the request's order by id.
  const ids = input.quadrants.map(() => uuidv7()).sort();
  const quadrants: NewQuadrant[] = input.quadrants.map((q, ord) => ({
    ord,
    id: ids[ord] ?? uuidv7(),
    brand_id: q.brand_id,
    x: q.x,
    y: q.y,
    width: q.width,
    height: q.height,
    area_percentage: shareOf.get(q.brand_id) ?? 0,
    marked_area: markedArea,
  }));
  const shareDtos = shares.map((s) => ({ brand_id: s.brandId, area_percentage: s.percentage }));
  const audit = auditRow(ctx, {
    action: "photo.shelf_quadrants",
    entityType: "photo",
    entityId: photoId,
    newValues: {
      quadrants: quadrants.map(({ ord: _ord, id: _id, marked_area: _m, ...q }) => q),
      shares: shareDtos,
    },
  });
  const outcome = await replaceQuadrants(
    ctx.db,
    ctx.tenantId,
    photoId,
    photoScope(ctx),
    quadrants,
    ctx.userId,
    audit,
  );
  if (!outcome.visitId) throw ApiError.notFound("Photo");
  if (outcome.missingBrands.length > 0) {
    throw ApiError.validation(
      "Unknown brands",
      outcome.missingBrands.map((i) => ({
        field: `quadrants.${i}.brand_id`,
        message: "Not a brand of this tenant",
      })),
    );
  }
  return {
    result: {
      photo_id: photoId,
      visit_id: outcome.visitId,
      quadrants: quadrants.map(({ ord: _ord, marked_area: _m, ...q }) => q),
      shares: shareDtos,
    },
    event: domainEvent(SHELF_QUADRANTS_SUBMITTED, ctx.tenantId, {
      photo_id: photoId,
      visit_id: outcome.visitId,
    }),
  };
}
