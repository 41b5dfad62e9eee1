import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { domainEvent } from "../../src/core/events";
import { uuidv7 } from "../../src/core/ids";
import worker from "../../src/index";
import { EVENTS_QUEUE } from "../../src/jobs/queues";
import type { CRON_NIGHTLY, CRON_REPORTS } from "../../src/jobs/scheduled";

/** Delivers domain events to the queue consumer as the Workers runtime would (acks and retries observable). */
export async function deliver(events: ReturnType<typeof domainEvent>[]) {
  const batch = createMessageBatch(
    EVENTS_QUEUE,
    events.map((body) => ({ id: uuidv7(), timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** Runs a cron trigger at `scheduledTime` and waits for everything it started. */
export async function runCron(cron: typeof CRON_NIGHTLY | typeof CRON_REPORTS, scheduledTime: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/**
 * Reads until `ok` holds or 15 s pass, and returns the last value: for what the local queue
 * delivers by itself after a request (its events go out after the response).
 */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
