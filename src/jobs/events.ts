import { type DomainEvent, domainEventSchema } from "../core/events";
import { log } from "../core/logger";
import { recordDeadLetter } from "./dead-letters";
import type { JobContext } from "./job-context";
import { EVENTS_QUEUE } from "./queues";

/** A rollup or side effect for one event type. Must be idempotent (see processed_events). */
export type EventHandler = (event: DomainEvent, jc: JobContext) => Promise<void>;

export type EventHandlers = Readonly<Record<string, EventHandler>>;

/** Exponential backoff for a failed handler: 5 s, 10 s, 20 s … capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Consumes a batch of domain events: each message is acknowledged or retried on its own, so one
 * bad event never replays its neighbours. A message that can never succeed (not an event, or a
 * type nobody handles) goes straight to dead_letters instead of burning its retries; a handler
 * failure is retried with backoff and, after max_retries, lands in the dead-letter queue.
 */
export async function consumeEvents(
  batch: MessageBatch<unknown>,
  jc: JobContext,
  handlers: EventHandlers,
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = domainEventSchema.safeParse(message.body);
      const handler = parsed.success ? handlers[parsed.data.type] : undefined;
      if (!parsed.success || !handler) {
        const reason = parsed.success
          ? `no handler for event type ${parsed.data.type}`
          : "message is not a domain event";
        await recordDeadLetter(jc, EVENTS_QUEUE, message, reason);
        message.ack();
        return;
      }
      try {
        await handler(parsed.data, jc);
        message.ack();
      } catch (err) {
        log("warn", "event handler failed", {
          event_id: parsed.data.id,
          type: parsed.data.type,
          attempts: message.attempts,
          error: err instanceof Error ? err.message : String(err),
        });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}
