import { auditRow } from "../../core/audit";
import { systemRoleRows } from "../../core/auth/permissions";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import { pagination } from "../../core/pagination";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import {
  findTenantById,
  insertTenant,
  listSitesOfUser,
  listTenants,
  type MySite,
  type TenantRow,
  updateTenantAudited,
} from "./tenants.repo";
import {
  ATTENDANCE_DEFAULTS,
  type CreateTenantInput,
  DEFAULT_GEOFENCE_RADIUS_M,
  DEFAULT_TRASH_RETENTION_DAYS,
  type ListTenantsQuery,
  type SiteDto,
  type TenantDto,
  type UpdateTenantInput,
} from "./tenants.schemas";

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
      face_check_in: row.settings.face_check_in ?? ATTENDANCE_DEFAULTS.face_check_in,
      face_match_threshold: row.settings.face_match_threshold ?? ATTENDANCE_DEFAULTS.face_match_threshold,
      face_embedding_dimension:
        row.settings.face_embedding_dimension ?? ATTENDANCE_DEFAULTS.face_embedding_dimension,
      offline_check_in_limit_hours:
        row.settings.offline_check_in_limit_hours ?? ATTENDANCE_DEFAULTS.offline_check_in_limit_hours,
      attendance_geofence_required:
        row.settings.attendance_geofence_required ?? ATTENDANCE_DEFAULTS.attendance_geofence_required,
      trash_retention_days: row.settings.trash_retention_days ?? DEFAULT_TRASH_RETENTION_DAYS,
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

/** Platform administrators list every tenant; anyone else with tenants:read sees their own. */
export async function listTenantsFor(ctx: TenantContext, query: ListTenantsQuery) {
  const { rows, total } = await listTenants(ctx.db, query, ctx.isSuperAdmin ? undefined : ctx.tenantId);
  return { data: rows.map(toTenantDto), pagination: pagination(query, total) };
}

/**
 * A platform administrator creates a tenant with its default roles; members are then added with
 * `POST /api/organizations/:id/members` (acting in it with X-Tenant-ID). One round trip.
 */
export async function createTenant(ctx: TenantContext, input: CreateTenantInput): Promise<TenantDto> {
  if (!ctx.isSuperAdmin) throw ApiError.forbidden("Only platform administrators create tenants");
  const id = uuidv7();
  const tenant = { id, name: input.name, slug: input.subdomain, settings: input.settings ?? {} };
  const audit = {
    ...auditRow(ctx, { action: "tenant.create", entityType: "tenant", entityId: id, newValues: input }),
    tenantId: id,
  };
  try {
    return toTenantDto(await insertTenant(ctx.db, tenant, systemRoleRows(id, uuidv7), audit));
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint === "tenants_slug_key") {
      throw ApiError.conflict("This subdomain is taken", [{ field: "subdomain", message: "Already taken" }]);
    }
    throw err;
  }
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

function toSiteDto(ctx: TenantContext, site: MySite): SiteDto {
  return { ...site, role: site.roles[0] ?? null, is_active: site.id === ctx.tenantId };
}

/** The caller's tenants (seed 001 "sites", seed 004 "organizations") with their roles: one round trip. */
export async function listMySites(ctx: TenantContext): Promise<SiteDto[]> {
  return (await listSitesOfUser(ctx.db, ctx.userId)).map((s) => toSiteDto(ctx, s));
}

/** One of the caller's tenants; any other id is "not found". */
export async function getMySite(ctx: TenantContext, id: string): Promise<SiteDto> {
  const [site] = await listSitesOfUser(ctx.db, ctx.userId, id);
  if (!site) throw ApiError.notFound("Site");
  return toSiteDto(ctx, site);
}
