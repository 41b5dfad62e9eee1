import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { domainEvent } from "../../src/core/events";
import { uuidv7 } from "../../src/core/ids";
import worker from "../../src/index";
import { EVENTS_QUEUE } from "../../src/jobs/queues";
import type { CRON_NIGHTLY, CRON_REPORTS } from "../../src/jobs/scheduled";
import { CRM_CHANGED } from "../../src/modules/crm";

/** Delivers domain events to the queue consumer as the Workers runtime would. */
export async function deliver(events: ReturnType<typeof domainEvent>[]) {
  const batch = createMessageBatch(
    EVENTS_QUEUE,
    events.map((body) => ({ id: uuidv7(), timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** The event a CRM write emits. */
export const crmChanged = (tenantId: string, entity: string, id: string) =>
  domainEvent(CRM_CHANGED, tenantId, { entity, id });

/** Runs a cron trigger at `scheduledTime`. */
export async function runCron(cron: typeof CRON_NIGHTLY | typeof CRON_REPORTS, scheduledTime: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Johannesburg (UTC+2, no DST): the tenant's calendar day of an instant, computed independently of the SQL. */
export function localDay(iso: string): string {
  return new Date(Date.parse(iso) + 2 * 3_600_000).toISOString().slice(0, 10);
}

export const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round((value + Number.EPSILON) * f) / f;
};
export const pct = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole, 2) : 0);
