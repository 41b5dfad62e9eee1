import { domainEvent } from "../../src/core/events";
import { CRM_CHANGED } from "../../src/modules/crm";

export { deliver, runCron } from "../helpers/jobs";

/** The event a CRM write emits. */
export const crmChanged = (tenantId: string, entity: string, id: string) =>
  domainEvent(CRM_CHANGED, tenantId, { entity, id });

/** Johannesburg (UTC+2, no DST): the tenant's calendar day of an instant, computed independently of the SQL. */
export function localDay(iso: string): string {
  return new Date(Date.parse(iso) + 2 * 3_600_000).toISOString().slice(0, 10);
}

export const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round((value + Number.EPSILON) * f) / f;
};
export const pct = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole, 2) : 0);
