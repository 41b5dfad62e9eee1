import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { pagination } from "../../core/pagination";
import {
  checkUploadable,
  objectKey,
  readableFile,
  type UploadSite,
  type UploadTarget,
  uploadColumns,
  uploadInstructions,
} from "../../core/uploads";
import {
  type InfographicRecord,
  insertInfographicAudited,
  listInfographics as listRows,
} from "./infographics.repo";
import type {
  InfographicDto,
  InfographicListItemDto,
  ListInfographicsQuery,
  RegisteredInfographicDto,
  RegisterInfographicInput,
} from "./infographics.schemas";

function target(ctx: TenantContext, id: string): UploadTarget {
  return { kind: "infographic", tenantId: ctx.tenantId, id };
}

function toDto(row: InfographicRecord): InfographicDto {
  return {
    id: row.id,
    brand_id: row.brand_id,
    title: row.title,
    description: row.description,
    ...uploadColumns(row),
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    uploaded_at: row.uploaded_at,
  };
}

/**
 * Registers an infographic image of a live brand and returns upload instructions, exactly like
 * photos (src/core/uploads): content type checked (415), declared size checked against the
 * upload limit (413), row + audit in one round trip, then a short-lived signed upload URL.
 */
export async function registerInfographic(
  ctx: TenantContext,
  site: UploadSite,
  brandId: string,
  input: RegisterInfographicInput,
): Promise<RegisteredInfographicDto> {
  const contentType = checkUploadable(site.config, { contentType: input.content_type, size: input.size });
  const id = uuidv7();
  const audit = auditRow(ctx, {
    action: "brand_infographic.create",
    entityType: "brand_infographic",
    entityId: id,
  });
  const result = await insertInfographicAudited(
    ctx.db,
    {
      tenantId: ctx.tenantId,
      id,
      brandId,
      title: input.title,
      description: input.description ?? null,
      objectKey: objectKey(target(ctx, id)),
      contentType,
      declaredSize: input.size,
      createdBy: ctx.userId,
    },
    audit,
  );
  if (!result.brandFound || !result.infographic) throw ApiError.notFound("Brand");
  const dto = toDto(result.infographic);
  const upload = await uploadInstructions(site, { ...target(ctx, id), contentType, size: dto.declared_size });
  return { ...dto, upload };
}

/**
 * The infographics of a live brand, oldest first, each uploaded one with a short-lived download
 * URL. One round trip; with presigned R2 uploads (mode a) each still-pending row is first
 * confirmed against R2 (R2 does not call back), which costs a round trip per pending row.
 */
export async function listInfographics(
  ctx: TenantContext,
  site: UploadSite,
  brandId: string,
  query: ListInfographicsQuery,
) {
  const result = await listRows(ctx.db, ctx.tenantId, brandId, {
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
    includeTotal: query.include_total,
  });
  if (!result.brandFound) throw ApiError.notFound("Brand");
  const data: InfographicListItemDto[] = await Promise.all(
    result.items.map((row) => readableFile(site, ctx, target(ctx, row.id), toDto(row))),
  );
  return { data, pagination: pagination(query, result.total) };
}
