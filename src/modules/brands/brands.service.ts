import { sql } from "drizzle-orm";
import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { pagination } from "../../core/pagination";
import {
  findBrand,
  insertBrandAudited,
  listBrands as listBrandRows,
  softDeleteBrandAudited,
  updateBrandAudited,
} from "./brands.repo";
import {
  type BrandDto,
  type CreateBrandInput,
  type ListBrandsQuery,
  slugify,
  type UpdateBrandInput,
} from "./brands.schemas";
import { PatchBuilder, softDeletePatch } from "./catalog-sql";
import { conflictOnUnique, settleWrite } from "./catalog-write";

/** A DTO with the version its ETag carries. */
export interface Versioned<T> {
  data: T;
  version: number;
}

const brandNotFound = () => ApiError.notFound("Brand");

/**
 * The live-row unique indexes of brands as 409s naming the field. `derivedSlug`: the slug was made
 * from the name, so the message says so (the client never sent one).
 */
function duplicate(err: unknown, derivedSlug?: string): never {
  conflictOnUnique(err, {
    brands_tenant_name_key: { field: "name", message: "A brand with this name already exists" },
    brands_tenant_slug_key: {
      field: "slug",
      message:
        derivedSlug === undefined
          ? "A brand with this slug already exists"
          : `The slug derived from the name, "${derivedSlug}", belongs to another brand: send a slug`,
    },
  });
}

/** Creates a brand; the slug is derived from the name when omitted. One round trip. */
export async function createBrand(ctx: TenantContext, input: CreateBrandInput): Promise<Versioned<BrandDto>> {
  const slug = input.slug ?? slugify(input.name);
  if (!slug) {
    throw ApiError.validation("Invalid request body", [
      { field: "slug", message: "The name has no letters or digits to make a slug from: send a slug" },
    ]);
  }
  const id = uuidv7();
  const audit = auditRow(ctx, { action: "brand.create", entityType: "brand", entityId: id });
  const brand = await insertBrandAudited(
    ctx.db,
    {
      tenantId: ctx.tenantId,
      id,
      name: input.name,
      slug,
      description: input.description ?? null,
      logoUrl: input.logo_url ?? null,
      isActive: input.is_active ?? true,
      createdBy: ctx.userId,
    },
    audit,
  ).catch((err: unknown) => duplicate(err, input.slug === undefined ? slug : undefined));
  return { data: brand, version: brand.version };
}

export async function getBrand(ctx: TenantContext, id: string): Promise<Versioned<BrandDto>> {
  const brand = await findBrand(ctx.db, ctx.tenantId, id);
  if (!brand) throw brandNotFound();
  return { data: brand, version: brand.version };
}

/** Live brands by name, filtered by name and active flag. */
export async function listBrands(ctx: TenantContext, query: ListBrandsQuery) {
  const { total, items } = await listBrandRows(ctx.db, ctx.tenantId, {
    ...(query.q !== undefined ? { nameContains: query.q } : {}),
    ...(query.is_active !== undefined ? { isActive: query.is_active } : {}),
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
    includeTotal: query.include_total,
  });
  return { data: items, pagination: pagination(query, total) };
}

/** Partial update (PUT and PATCH alike). A renamed brand keeps its slug unless one is sent. */
export async function updateBrand(
  ctx: TenantContext,
  id: string,
  input: UpdateBrandInput,
  expectedVersion: number | undefined,
): Promise<Versioned<BrandDto>> {
  const patch = new PatchBuilder();
  if (input.name !== undefined) patch.set("name", sql`${input.name}::text`);
  if (input.slug !== undefined) patch.set("slug", sql`${input.slug}::text`);
  if (input.description !== undefined) patch.set("description", sql`${input.description}::text`);
  if (input.logo_url !== undefined) patch.set("logo_url", sql`${input.logo_url}::text`);
  if (input.is_active !== undefined) patch.set("is_active", sql`${input.is_active}::boolean`);
  const audit = auditRow(ctx, { action: "brand.update", entityType: "brand", entityId: id });
  const outcome = await updateBrandAudited(ctx.db, ctx.tenantId, id, patch, expectedVersion, audit).catch(
    (err: unknown) => duplicate(err),
  );
  const brand = settleWrite(outcome, expectedVersion, { notFound: brandNotFound });
  return { data: brand, version: brand.version };
}

/**
 * Soft delete: the brand answers 404 and leaves the lists; its name and slug are free again.
 * Surveys, infographics and shelf marks that point at it keep their reference.
 */
export async function deleteBrand(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const audit = auditRow(ctx, { action: "brand.delete", entityType: "brand", entityId: id });
  const outcome = await softDeleteBrandAudited(
    ctx.db,
    ctx.tenantId,
    id,
    softDeletePatch(),
    expectedVersion,
    audit,
  );
  settleWrite(outcome, expectedVersion, { notFound: brandNotFound });
}
