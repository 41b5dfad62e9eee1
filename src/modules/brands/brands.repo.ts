import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import type { BrandDto } from "./brands.schemas";
import {
  type AuditInsert,
  auditInsertFrom,
  containsPattern,
  iso,
  type PatchBuilder,
  selectPage,
  updateVersioned,
  type VersionedWriteOutcome,
} from "./catalog-sql";

/** A brand row (under `alias`) as the API's JSON. */
export function brandJson(alias: string): SQL {
  const b = sql.raw(alias);
  return sql`json_build_object(
    'id', ${b}.id, 'name', ${b}.name, 'slug', ${b}.slug, 'description', ${b}.description,
    'logo_url', ${b}.logo_url, 'is_active', ${b}.is_active, 'version', ${b}.version,
    'created_by', ${b}.created_by,
    'created_at', ${iso(sql`${b}.created_at`)}, 'updated_at', ${iso(sql`${b}.updated_at`)})`;
}

/** The audited fields of a brand row (under `alias`). */
function brandValues(alias: string): SQL {
  const b = sql.raw(alias);
  return sql`jsonb_build_object('name', ${b}.name, 'slug', ${b}.slug, 'description', ${b}.description,
    'logo_url', ${b}.logo_url, 'is_active', ${b}.is_active)`;
}

export interface NewBrand {
  tenantId: string;
  id: string;
  name: string;
  slug: string;
  description: string | null;
  logoUrl: string | null;
  isActive: boolean;
  createdBy: string;
}

/**
 * Inserts a brand and its audit row in one statement. A duplicate live name (any case) or slug
 * raises `brands_tenant_name_key` / `brands_tenant_slug_key` and writes nothing.
 */
export async function insertBrandAudited(db: Db, brand: NewBrand, audit: AuditInsert): Promise<BrandDto> {
  const result = await db.execute<{ brand: BrandDto }>(sql`
    with ins as (
      insert into brands (tenant_id, id, name, slug, description, logo_url, is_active, created_by)
      values (${brand.tenantId}::uuid, ${brand.id}::uuid, ${brand.name}::text, ${brand.slug}::text,
        ${brand.description}::text, ${brand.logoUrl}::text, ${brand.isActive}::boolean, ${brand.createdBy}::uuid)
      returning *
    ),
    aud as (${auditInsertFrom(audit, sql`ins`, { old: sql`null::jsonb`, new: brandValues("ins") })})
    select ${brandJson("ins")} as brand from ins`);
  const row = result.rows[0];
  if (!row) throw new Error("brand insert returned nothing");
  return row.brand;
}

/** A live brand of the tenant. */
export async function findBrand(db: Db, tenantId: string, id: string): Promise<BrandDto | undefined> {
  const result = await db.execute<{ brand: BrandDto }>(sql`
    select ${brandJson("b")} as brand from brands b
    where b.tenant_id = ${tenantId}::uuid and b.id = ${id}::uuid and b.deleted_at is null`);
  return result.rows[0]?.brand;
}

export interface BrandFilter {
  nameContains?: string;
  isActive?: boolean;
  limit: number;
  offset: number;
  includeTotal: boolean;
}

/** One page of live brands by name (case-insensitive), and the total when asked: one round trip. */
export async function listBrands(
  db: Db,
  tenantId: string,
  filter: BrandFilter,
): Promise<{ total: number | null; items: BrandDto[] }> {
  const conditions: SQL[] = [sql`b.tenant_id = ${tenantId}::uuid`, sql`b.deleted_at is null`];
  if (filter.nameContains !== undefined) {
    conditions.push(sql`b.name ilike ${containsPattern(filter.nameContains)}::text`);
  }
  if (filter.isActive !== undefined) conditions.push(sql`b.is_active = ${filter.isActive}::boolean`);
  return selectPage<BrandDto>(db, {
    source: sql`select b.* from brands b where ${sql.join(conditions, sql` and `)}`,
    item: brandJson("f"),
    sortKey: sql`lower(f.name)`,
    limit: filter.limit,
    offset: filter.offset,
    includeTotal: filter.includeTotal,
  });
}

/** An audited partial update of a live brand, version-checked when `expectedVersion` is set. */
export function updateBrandAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: PatchBuilder,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<VersionedWriteOutcome<BrandDto>> {
  return updateVersioned<BrandDto>(db, {
    table: "brands",
    tenantId,
    id,
    patch,
    expectedVersion,
    audit,
    json: brandJson,
  });
}

/** Soft-deletes a live brand (its name and slug become free again), audited, version-checked. */
export function softDeleteBrandAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: PatchBuilder,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<VersionedWriteOutcome<BrandDto>> {
  return updateVersioned<BrandDto>(db, {
    table: "brands",
    tenantId,
    id,
    patch,
    expectedVersion,
    audit,
    auditValues: { old: brandValues("cur"), new: sql`jsonb_build_object('deleted_at', upd.deleted_at)` },
    json: brandJson,
  });
}
