/**
 * What the analytics module offers other modules on purpose (`npm run check` refuses imports of
 * any other file of this module from outside it): the report declaration, its mount and the
 * shared date range, so a module that owns its data can own its reports (deals' summary, funnel).
 */
export { mountReport } from "./analytics.routes";
export { checkRange, rangeQuery, rangeSchema } from "./range";
export { defineReport } from "./report";
export { percent, rangeCte } from "./sql-parts";
