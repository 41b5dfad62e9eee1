// @ts-check
/**
 * The pieces every rollup statement shares, as plain SQL text so that both the Worker (the modules'
 * `*.rollups.ts`) and Node scripts (scripts/bench/seed.mjs) run the very same statements: the
 * modules keep their rollup statements in `*.rollups.sql.mjs` files built from these.
 *
 * A rollup statement template holds no parameters and one hole, KEYS, where the caller puts the
 * query that selects the cells to recompute (`withKeys` in ./rollups.ts for drizzle, a string
 * replace in a script).
 */

/** The hole in a statement template for the key query. */
export const KEYS = "/*:keys*/";

/** No shop: rollup keys cannot hold NULL, so visits without a shop count under this id. */
export const NO_SHOP_ID = "00000000-0000-0000-0000-000000000000";

/** `NO_SHOP_ID` as a SQL literal. */
export const NO_SHOP = `'${NO_SHOP_ID}'::uuid`;

/** The tenant's time zone, from a `tenants` row aliased `t`. */
export const TENANT_TZ = `coalesce(nullif(t.settings->>'timezone', ''), 'UTC')`;

/**
 * `ts` lies on local day `day` in zone `tz` (all three SQL expressions): start inclusive, end
 * exclusive, as timestamptz bounds so an index on `ts` serves it.
 * @param {string} ts
 * @param {string} day
 * @param {string} tz
 * @returns {string}
 */
export function onLocalDay(ts, day, tz) {
  return `${ts} >= ((${day})::timestamp at time zone ${tz}) and ${ts} < (((${day}) + 1)::timestamp at time zone ${tz})`;
}

/**
 * A template with its KEYS hole filled by `keys` (SQL text): for scripts, which have no
 * parameters to bind. The Worker uses `withKeys` (./rollups.ts) instead.
 * @param {string} template
 * @param {string} keys
 * @returns {string}
 */
export function fillKeys(template, keys) {
  if (template.split(KEYS).length !== 2) throw new Error("a rollup template has exactly one KEYS hole");
  return template.replace(KEYS, keys);
}
