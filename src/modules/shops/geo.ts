import { type SQL, sql } from "drizzle-orm";

/** Mean Earth radius (IUGG), metres: the sphere every distance of the API is measured on. */
export const EARTH_RADIUS_M = 6_371_008.8;

export interface Point {
  lat: number;
  lng: number;
}

const toRad = (deg: number) => (deg * Math.PI) / 180;
const toDeg = (rad: number) => (rad * 180) / Math.PI;

/** Great-circle distance in metres (haversine). */
export function haversineMeters(a: Point, b: Point): number {
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The same distance as a SQL expression between a point and two float8 columns/expressions. */
export function haversineSql(from: Point, lat: SQL, lng: SQL): SQL {
  const pLat = sql`${from.lat}::float8`;
  const pLng = sql`${from.lng}::float8`;
  return sql`(2 * ${EARTH_RADIUS_M}::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(${lat} - ${pLat}) / 2), 2)
    + cos(radians(${pLat})) * cos(radians(${lat})) * power(sin(radians(${lng} - ${pLng}) / 2), 2)))))`;
}

/**
 * A predicate that keeps every point within `radiusM` of `center` (and some just outside it): a
 * latitude band, plus a longitude band unless the circle reaches a pole, split in two where it
 * crosses the antimeridian. It lets Postgres range-scan an index on (lat, lng) before the exact
 * haversine test.
 */
export function boundingBoxSql(center: Point, radiusM: number, lat: SQL, lng: SQL): SQL {
  const angular = radiusM / EARTH_RADIUS_M;
  const dLat = toDeg(angular);
  const minLat = center.lat - dLat;
  const maxLat = center.lat + dLat;
  const latBand = sql`${lat} between ${Math.max(-90, minLat)}::float8 and ${Math.min(90, maxLat)}::float8`;
  if (minLat <= -90 || maxLat >= 90) return latBand;
  // The widest longitude offset on the circle (at the latitude where its tangent meets a meridian).
  const dLng = toDeg(Math.asin(Math.min(1, Math.sin(angular) / Math.cos(toRad(center.lat)))));
  const minLng = center.lng - dLng;
  const maxLng = center.lng + dLng;
  if (dLng >= 180 || (minLng < -180 && maxLng > 180)) return latBand;
  if (minLng < -180) {
    return sql`${latBand} and (${lng} >= ${minLng + 360}::float8 or ${lng} <= ${maxLng}::float8)`;
  }
  if (maxLng > 180) {
    return sql`${latBand} and (${lng} >= ${minLng}::float8 or ${lng} <= ${maxLng - 360}::float8)`;
  }
  return sql`${latBand} and ${lng} between ${minLng}::float8 and ${maxLng}::float8`;
}
