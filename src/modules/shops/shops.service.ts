import { sql } from "drizzle-orm";
import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { pagination } from "../../core/pagination";
import { PatchBuilder, softDeletePatch } from "../brands/catalog-sql";
import { conflictOnUnique, settleWrite } from "../brands/catalog-write";
import {
  findShop,
  insertShopAudited,
  listShops as listShopRows,
  softDeleteShopAudited,
  updateShopAudited,
} from "./shops.repo";
import type { CreateShopInput, ListShopsQuery, ShopDto, UpdateShopInput } from "./shops.schemas";

export interface Versioned<T> {
  data: T;
  version: number;
}

const shopNotFound = () => ApiError.notFound("Shop");

function duplicate(err: unknown): never {
  conflictOnUnique(err, {
    shops_tenant_external_code_key: {
      field: "external_code",
      message: "A shop with this external code already exists",
    },
  });
}

export async function createShop(ctx: TenantContext, input: CreateShopInput): Promise<Versioned<ShopDto>> {
  const id = uuidv7();
  const audit = auditRow(ctx, { action: "shop.create", entityType: "shop", entityId: id });
  const shop = await insertShopAudited(
    ctx.db,
    {
      tenantId: ctx.tenantId,
      id,
      name: input.name,
      address: input.address ?? null,
      lat: input.lat,
      lng: input.lng,
      channel: input.channel ?? null,
      region: input.region ?? null,
      externalCode: input.external_code ?? null,
      isActive: input.is_active ?? true,
      createdBy: ctx.userId,
    },
    audit,
  ).catch(duplicate);
  return { data: shop, version: shop.version };
}

export async function getShop(ctx: TenantContext, id: string): Promise<Versioned<ShopDto>> {
  const shop = await findShop(ctx.db, ctx.tenantId, id);
  if (!shop) throw shopNotFound();
  return { data: shop, version: shop.version };
}

/** Live shops by name, or within `radius_m` of `near`, nearest first. */
export async function listShops(ctx: TenantContext, query: ListShopsQuery) {
  const { total, items } = await listShopRows(ctx.db, ctx.tenantId, {
    ...(query.q !== undefined ? { nameContains: query.q } : {}),
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
    ...(query.region !== undefined ? { region: query.region } : {}),
    ...(query.is_active !== undefined ? { isActive: query.is_active } : {}),
    ...(query.near !== undefined && query.radius_m !== undefined
      ? { near: { center: query.near, radiusM: query.radius_m } }
      : {}),
    limit: query.page_size,
    offset: (query.page - 1) * query.page_size,
    includeTotal: query.include_total,
  });
  return { data: items, pagination: pagination(query, total) };
}

export async function updateShop(
  ctx: TenantContext,
  id: string,
  input: UpdateShopInput,
  expectedVersion: number | undefined,
): Promise<Versioned<ShopDto>> {
  const patch = new PatchBuilder();
  if (input.name !== undefined) patch.set("name", sql`${input.name}::text`);
  if (input.address !== undefined) patch.set("address", sql`${input.address}::text`);
  if (input.lat !== undefined) patch.set("lat", sql`${input.lat}::float8`);
  if (input.lng !== undefined) patch.set("lng", sql`${input.lng}::float8`);
  if (input.channel !== undefined) patch.set("channel", sql`${input.channel}::text`);
  if (input.region !== undefined) patch.set("region", sql`${input.region}::text`);
  if (input.external_code !== undefined) patch.set("external_code", sql`${input.external_code}::text`);
  if (input.is_active !== undefined) patch.set("is_active", sql`${input.is_active}::boolean`);
  const audit = auditRow(ctx, { action: "shop.update", entityType: "shop", entityId: id });
  const outcome = await updateShopAudited(ctx.db, ctx.tenantId, id, patch, expectedVersion, audit).catch(
    duplicate,
  );
  const shop = settleWrite(outcome, expectedVersion, { notFound: shopNotFound });
  return { data: shop, version: shop.version };
}

/** Soft delete: 404 afterwards, gone from lists, external code free again; visits keep their shop. */
export async function deleteShop(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const audit = auditRow(ctx, { action: "shop.delete", entityType: "shop", entityId: id });
  const outcome = await softDeleteShopAudited(
    ctx.db,
    ctx.tenantId,
    id,
    softDeletePatch(),
    expectedVersion,
    audit,
  );
  settleWrite(outcome, expectedVersion, { notFound: shopNotFound });
}
