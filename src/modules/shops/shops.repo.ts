import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import {
  type AuditInsert,
  auditInsertFrom,
  containsPattern,
  iso,
  type PatchBuilder,
  selectPage,
  updateVersioned,
  type VersionedWriteOutcome,
} from "../brands/catalog-sql";
import { boundingBoxSql, haversineSql, type Point } from "./geo";
import type { ShopDto, ShopListItemDto } from "./shops.schemas";

/** A shop row (under `alias`) as the API's JSON, plus `extra` key/value pairs. */
function shopJson(alias: string, extra?: SQL): SQL {
  const s = sql.raw(alias);
  return sql`json_build_object(
    'id', ${s}.id, 'name', ${s}.name, 'address', ${s}.address, 'lat', ${s}.lat, 'lng', ${s}.lng,
    'channel', ${s}.channel, 'region', ${s}.region, 'external_code', ${s}.external_code,
    'is_active', ${s}.is_active, 'version', ${s}.version, 'created_by', ${s}.created_by,
    'created_at', ${iso(sql`${s}.created_at`)}, 'updated_at', ${iso(sql`${s}.updated_at`)}
    ${extra ? sql`, ${extra}` : sql``})`;
}

/** The audited fields of a shop row (under `alias`). */
function shopValues(alias: string): SQL {
  const s = sql.raw(alias);
  return sql`jsonb_build_object('name', ${s}.name, 'address', ${s}.address, 'lat', ${s}.lat, 'lng', ${s}.lng,
    'channel', ${s}.channel, 'region', ${s}.region, 'external_code', ${s}.external_code, 'is_active', ${s}.is_active)`;
}

export interface NewShop {
  tenantId: string;
  id: string;
  name: string;
  address: string | null;
  lat: number;
  lng: number;
  channel: string | null;
  region: string | null;
  externalCode: string | null;
  isActive: boolean;
  createdBy: string;
}

/** Inserts a shop and its audit row in one statement; a duplicate live external code raises. */
export async function insertShopAudited(db: Db, shop: NewShop, audit: AuditInsert): Promise<ShopDto> {
  const result = await db.execute<{ shop: ShopDto }>(sql`
    with ins as (
      insert into shops (tenant_id, id, name, address, lat, lng, channel, region, external_code, is_active, created_by)
      values (${shop.tenantId}::uuid, ${shop.id}::uuid, ${shop.name}::text, ${shop.address}::text,
        ${shop.lat}::float8, ${shop.lng}::float8, ${shop.channel}::text, ${shop.region}::text,
        ${shop.externalCode}::text, ${shop.isActive}::boolean, ${shop.createdBy}::uuid)
      returning *
    ),
    aud as (${auditInsertFrom(audit, sql`ins`, { old: sql`null::jsonb`, new: shopValues("ins") })})
    select ${shopJson("ins")} as shop from ins`);
  const row = result.rows[0];
  if (!row) throw new Error("shop insert returned nothing");
  return row.shop;
}

export async function findShop(db: Db, tenantId: string, id: string): Promise<ShopDto | undefined> {
  const result = await db.execute<{ shop: ShopDto }>(sql`
    select ${shopJson("s")} as shop from shops s
    where s.tenant_id = ${tenantId}::uuid and s.id = ${id}::uuid and s.deleted_at is null`);
  return result.rows[0]?.shop;
}

export interface ShopFilter {
  nameContains?: string;
  channel?: string;
  region?: string;
  isActive?: boolean;
  near?: { center: Point; radiusM: number };
  limit: number;
  offset: number;
  includeTotal: boolean;
}

/**
 * One page of live shops and the total when asked, in one round trip. By name, or — with `near`
 * — the shops within the radius, nearest first, each with `distance_m`: a bounding box on
 * (lat, lng) narrows the rows (shops_tenant_lat_lng_idx) before the exact haversine test.
 * A name filter can use the trigram index shops_name_trgm_idx.
 */
export async function listShops(
  db: Db,
  tenantId: string,
  filter: ShopFilter,
): Promise<{ total: number | null; items: ShopListItemDto[] }> {
  const conditions: SQL[] = [sql`s.tenant_id = ${tenantId}::uuid`, sql`s.deleted_at is null`];
  if (filter.nameContains !== undefined) {
    conditions.push(sql`s.name ilike ${containsPattern(filter.nameContains)}::text`);
  }
  if (filter.channel !== undefined) conditions.push(sql`s.channel = ${filter.channel}::text`);
  if (filter.region !== undefined) conditions.push(sql`s.region = ${filter.region}::text`);
  if (filter.isActive !== undefined) conditions.push(sql`s.is_active = ${filter.isActive}::boolean`);
  const near = filter.near;
  let source: SQL;
  let item: SQL;
  let sortKey: SQL;
  if (near) {
    conditions.push(boundingBoxSql(near.center, near.radiusM, sql`s.lat`, sql`s.lng`));
    source = sql`
      select * from (
        select s.*, ${haversineSql(near.center, sql`s.lat`, sql`s.lng`)} as distance_m
        from shops s where ${sql.join(conditions, sql` and `)}
      ) d where d.distance_m <= ${near.radiusM}::float8`;
    item = shopJson("f", sql`'distance_m', round(f.distance_m::numeric, 1)`);
    sortKey = sql`f.distance_m`;
  } else {
    source = sql`select s.* from shops s where ${sql.join(conditions, sql` and `)}`;
    item = shopJson("f");
    sortKey = sql`lower(f.name)`;
  }
  return selectPage<ShopListItemDto>(db, {
    source,
    item,
    sortKey,
    limit: filter.limit,
    offset: filter.offset,
    includeTotal: filter.includeTotal,
  });
}

export function updateShopAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: PatchBuilder,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<VersionedWriteOutcome<ShopDto>> {
  return updateVersioned<ShopDto>(db, {
    table: "shops",
    tenantId,
    id,
    patch,
    expectedVersion,
    audit,
    json: shopJson,
  });
}

/** Soft-deletes a live shop (its external code becomes free again); visits keep pointing at it. */
export function softDeleteShopAudited(
  db: Db,
  tenantId: string,
  id: string,
  patch: PatchBuilder,
  expectedVersion: number | undefined,
  audit: AuditInsert,
): Promise<VersionedWriteOutcome<ShopDto>> {
  return updateVersioned<ShopDto>(db, {
    table: "shops",
    tenantId,
    id,
    patch,
    expectedVersion,
    audit,
    auditValues: { old: shopValues("cur"), new: sql`jsonb_build_object('deleted_at', upd.deleted_at)` },
    json: shopJson,
  });
}
