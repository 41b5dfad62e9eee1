import { type SQL, sql } from "drizzle-orm";
import { type AuditInsert, auditInsertSelect, isoSql as iso } from "../../core/audit";
import type { Db } from "../../core/db";

/** An infographic as the JSON the service maps (bigints may arrive as numbers or strings). */
export interface InfographicRecord {
  id: string;
  brand_id: string;
  title: string;
  description: string | null;
  content_type: string;
  declared_size: number | string;
  size_bytes: number | string | null;
  sha256: string | null;
  status: "pending" | "uploaded";
  created_by: string | null;
  created_at: string;
  updated_at: string;
  uploaded_at: string | null;
}

function infographicJson(alias: string): SQL {
  const i = sql.raw(alias);
  return sql`json_build_object(
    'id', ${i}.id, 'brand_id', ${i}.brand_id, 'title', ${i}.title, 'description', ${i}.description,
    'content_type', ${i}.content_type, 'declared_size', ${i}.declared_size, 'size_bytes', ${i}.size_bytes,
    'sha256', ${i}.sha256, 'status', ${i}.status, 'created_by', ${i}.created_by,
    'created_at', ${iso(sql`${i}.created_at`)}, 'updated_at', ${iso(sql`${i}.updated_at`)},
    'uploaded_at', ${iso(sql`${i}.uploaded_at`)})`;
}

/** "A live brand of the tenant" as a CTE body. */
function liveBrand(tenantId: string, brandId: string): SQL {
  return sql`select b.tenant_id, b.id from brands b
    where b.tenant_id = ${tenantId}::uuid and b.id = ${brandId}::uuid and b.deleted_at is null`;
}

export interface NewInfographic {
  tenantId: string;
  id: string;
  brandId: string;
  title: string;
  description: string | null;
  objectKey: string;
  contentType: string;
  declaredSize: number;
  createdBy: string;
}

/**
 * Registers an infographic (status pending) of a live brand of the tenant with its audit row:
 * one statement. No such brand → nothing written (`brandFound` false).
 */
export async function insertInfographicAudited(
  db: Db,
  row: NewInfographic,
  audit: AuditInsert,
): Promise<{ brandFound: boolean; infographic: InfographicRecord | null }> {
  const result = await db.execute<{ brand_found: boolean; infographic: InfographicRecord | null }>(sql`
    with b as (${liveBrand(row.tenantId, row.brandId)}),
    ins as (
      insert into brand_infographics
        (tenant_id, id, brand_id, title, description, object_key, content_type, declared_size, created_by)
      select b.tenant_id, ${row.id}::uuid, b.id, ${row.title}::text, ${row.description}::text,
        ${row.objectKey}::text, ${row.contentType}::text, ${row.declaredSize}::bigint, ${row.createdBy}::uuid
      from b
      returning *
    ),
    aud as (${auditInsertSelect(
      audit,
      {
        old: sql`null::jsonb`,
        new: sql`jsonb_build_object('brand_id', ins.brand_id, 'title', ins.title, 'description', ins.description,
        'content_type', ins.content_type, 'declared_size', ins.declared_size)`,
      },
      sql`from ins`,
    )})
    select exists (select 1 from b) as brand_found, (select ${infographicJson("ins")} from ins) as infographic`);
  const r = result.rows[0];
  return { brandFound: r?.brand_found === true, infographic: r?.infographic ?? null };
}

/** The infographics of a live brand of the tenant, oldest first, and the total when asked: one round trip. */
export async function listInfographics(
  db: Db,
  tenantId: string,
  brandId: string,
  page: { limit: number; offset: number; includeTotal: boolean },
): Promise<{ brandFound: boolean; total: number | null; items: InfographicRecord[] }> {
  const result = await db.execute<{
    brand_found: boolean;
    total: number | null;
    items: InfographicRecord[];
  }>(sql`
    with b as (${liveBrand(tenantId, brandId)}),
    filtered as (
      select i.* from brand_infographics i join b on i.tenant_id = b.tenant_id and i.brand_id = b.id
    )
    select exists (select 1 from b) as brand_found,
      ${page.includeTotal ? sql`(select count(*)::int from filtered)` : sql`null::int`} as total,
      coalesce((
        select json_agg(p.j order by p.created_at, p.id)
        from (
          select ${infographicJson("f")} as j, f.created_at, f.id
          from filtered f order by f.created_at, f.id
          limit ${page.limit} offset ${page.offset}
        ) p
      ), '[]'::json) as items`);
  const r = result.rows[0];
  return { brandFound: r?.brand_found === true, total: r?.total ?? null, items: r?.items ?? [] };
}
