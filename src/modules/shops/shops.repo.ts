import { sql } from "drizzle-orm";
import type { ListOptions } from "../../core/resource/statements";
import { boundingBoxSql, haversineSql, type Point } from "./geo";

/**
 * The extra parts of "shops near a point" for the kit's list statement: a bounding box on
 * (lat, lng) narrows the rows (shops_tenant_lat_lng_idx) before the exact haversine test, the
 * distance becomes a column, the sort key and `distance_m` of each item.
 */
export function nearOptions(center: Point, radiusM: number): ListOptions {
  return {
    where: [boundingBoxSql(center, radiusM, sql`t.lat`, sql`t.lng`)],
    columns: { distance_m: haversineSql(center, sql`t.lat`, sql`t.lng`) },
    having: sql`t.distance_m <= ${radiusM}::float8`,
    sort: { key: (alias) => sql`${sql.raw(alias)}.distance_m`, type: "double precision" },
    extra: { distance_m: sql`round(f.distance_m::numeric, 1)` },
  };
}
