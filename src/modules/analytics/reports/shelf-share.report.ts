import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { checkRange, rangeQuery, rangeSchema } from "../range";
import { defineReport } from "../report";
import { agentInScope, percent, rangeCte } from "../sql-parts";

const brandShareSchema = z.object({
  brand_id: z.uuid(),
  name: z.string().nullable(),
  share: z.number().nullable().describe("Percent of the marked shelf area, weighted by marked area"),
  photos: z.number().int().describe("Shelf photos that mark this brand"),
});

const groupSchema = z.object({
  shop_id: z.uuid().nullable().optional().describe("With group_by=shop (null: visits without a shop)"),
  shop_name: z.string().nullable().optional(),
  region: z.string().nullable().optional().describe("With group_by=region (null: shops without a region)"),
  shelf_photos: z.number().int(),
  brands: z.array(brandShareSchema),
});

type BrandRow = { g: string | null; brand_id: string; name: string | null; area: number; photos: number };
type DenRow = { g: string | null; label: string | null; area: number; photos: number };
type ShelfRow = {
  start_date: string;
  end_date: string;
  timezone: string;
  brands: BrandRow[];
  dens: DenRow[];
};

/** The grouping key and label of a rollup row joined to its shop `sh` (one group without group_by). */
function groupKey(by: "shop" | "region" | undefined): { key: SQL; label: SQL } {
  if (by === "shop") return { key: sql.raw(`sh.id::text`), label: sql.raw("sh.name") };
  if (by === "region") return { key: sql.raw("sh.region"), label: sql.raw("sh.region") };
  return { key: sql.raw(`null::text`), label: sql.raw(`null::text`) };
}

interface BrandShare {
  brand_id: string;
  name: string | null;
  share: number | null;
  photos: number;
}

/** Brand shares of one group (or of all groups together: the groups partition the photos). */
function shares(brands: BrandRow[], shelfArea: number): BrandShare[] {
  const byBrand = new Map<string, BrandShare & { area: number }>();
  for (const b of brands) {
    const entry = byBrand.get(b.brand_id) ?? {
      brand_id: b.brand_id,
      name: b.name,
      share: null,
      photos: 0,
      area: 0,
    };
    entry.area += b.area;
    entry.photos += b.photos;
    byBrand.set(b.brand_id, entry);
  }
  return [...byBrand.values()]
    .sort((x, y) => y.area - x.area || x.brand_id.localeCompare(y.brand_id))
    .map(({ area, ...b }) => ({ ...b, share: percent(area, shelfArea) }));
}

function shape(row: ShelfRow, by: "shop" | "region" | undefined) {
  const range = { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone };
  const totalArea = row.dens.reduce((sum, d) => sum + d.area, 0);
  const shelfPhotos = row.dens.reduce((sum, d) => sum + d.photos, 0);
  const overall = { range, shelf_photos: shelfPhotos, brands: shares(row.brands, totalArea) };
  if (!by) return overall;
  const groups = row.dens.map((d) => ({
    ...(by === "shop" ? { shop_id: d.g, shop_name: d.label } : { region: d.g }),
    shelf_photos: d.photos,
    brands: shares(
      row.brands.filter((b) => b.g === d.g),
      d.area,
    ),
  }));
  return { ...overall, groups };
}

export const shelfShareReport = defineReport({
  path: "/shelf_share",
  summary: "Shelf share by brand",
  description:
    "Each brand's share of the marked shelf area over `start_date`..`end_date` (ISO dates, inclusive, tenant's time zone; default the last 30 days), in your data scope: the brand's marked area summed over the shelf photos, divided by the photos' marked area (so a photo with more marked shelf weighs more). With `group_by=shop` or `group_by=region`, the same per shop or per region of the shop. A photo counts on the day its visit started. Read from the rollup tables in one round trip.",
  permission: "analytics:read",
  query: z
    .strictObject({
      ...rangeQuery,
      group_by: z.enum(["shop", "region"]).optional().describe("Break the shares down per shop or region"),
    })
    .superRefine(checkRange),
  response: z.object({
    data: z.object({
      range: rangeSchema,
      shelf_photos: z.number().int(),
      brands: z.array(brandShareSchema),
      groups: z.array(groupSchema).optional().describe("With group_by: one entry per shop or region"),
    }),
  }),
  async run(ctx, query) {
    const group = groupKey(query.group_by);
    const result = await ctx.db.execute<ShelfRow>(sql`
      with ${rangeCte(ctx, query)},
      num as (
        select ${group.key} as g, b.brand_id, sum(b.brand_area)::float8 as area, sum(b.photos)::float8 as photos
        from rng join brand_shelf_daily_rollups b on b.tenant_id = ${ctx.tenantId} and b.day between rng.s and rng.e
        left join shops sh on sh.tenant_id = b.tenant_id and sh.id = b.shop_id
        where ${agentInScope(ctx, "b")}
        group by 1, 2
      ),
      den as (
        select ${group.key} as g, min(${group.label}) as label, sum(a.shelf_area)::float8 as area,
          sum(a.shelf_photos)::float8 as photos
        from rng join visit_activity_daily_rollups a on a.tenant_id = ${ctx.tenantId} and a.day between rng.s and rng.e
        left join shops sh on sh.tenant_id = a.tenant_id and sh.id = a.shop_id
        where ${agentInScope(ctx, "a")} and a.shelf_photos > 0
        group by 1
      )
      select rng.s::text as start_date, rng.e::text as end_date, rng.tz as timezone,
        coalesce((select json_agg(json_build_object('g', num.g, 'brand_id', num.brand_id, 'name', br.name,
            'area', num.area, 'photos', num.photos))
          from num left join brands br on br.tenant_id = ${ctx.tenantId} and br.id = num.brand_id), '[]'::json) as brands,
        coalesce((select json_agg(json_build_object('g', den.g, 'label', den.label, 'area', den.area,
            'photos', den.photos) order by den.label nulls last, den.g nulls last) from den), '[]'::json) as dens
      from rng`);
    const row = result.rows[0];
    if (!row) throw new Error("the shelf share statement returned no row");
    return { data: shape(row, query.group_by) };
  },
});
