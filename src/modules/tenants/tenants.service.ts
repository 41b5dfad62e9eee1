import { auditRow } from "../../core/audit";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { findTenantById, type TenantRow, updateTenantAudited } from "./tenants.repo";
import { DEFAULT_GEOFENCE_RADIUS_M, type TenantDto, type UpdateTenantInput } from "./tenants.schemas";

export function toTenantDto(row: TenantRow): TenantDto {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    status: row.status,
    settings: {
      timezone: row.settings.timezone ?? "UTC",
      locale: row.settings.locale ?? "en",
      geofence_radius_m: row.settings.geofence_radius_m ?? DEFAULT_GEOFENCE_RADIUS_M,
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Tenant admins see only their own tenant; another tenant's id is "not found", never "forbidden". */
function assertVisible(ctx: TenantContext, id: string): void {
  if (id !== ctx.tenantId && !ctx.isSuperAdmin) throw ApiError.notFound("Tenant");
}

export async function getTenant(ctx: TenantContext, id: string): Promise<TenantDto> {
  assertVisible(ctx, id);
  const row = await findTenantById(ctx.db, id);
  if (!row) throw ApiError.notFound("Tenant");
  return toTenantDto(row);
}

export async function updateTenant(
  ctx: TenantContext,
  id: string,
  input: UpdateTenantInput,
): Promise<TenantDto> {
  assertVisible(ctx, id);
  const audit = auditRow(
    { ...ctx, tenantId: id },
    { action: "tenant.update", entityType: "tenant", entityId: id, newValues: input },
  );
  const row = await updateTenantAudited(ctx.db, id, input, audit);
  if (!row) throw ApiError.notFound("Tenant");
  return toTenantDto(row);
}
