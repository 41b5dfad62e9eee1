import { log } from "../core/logger";
import { consumeDeadLetters } from "./dead-letters";
import { consumeEvents, type EventHandlers } from "./events";
import { createJobContext } from "./job-context";
import { consumeOutbox, consumeOutboxDeadLetters } from "./outbox";
import { EVENTS_DLQ, EVENTS_QUEUE, OUTBOX_DLQ, OUTBOX_QUEUE } from "./queues";
import { rollupEventHandlers } from "./rollups";

/** Event type → handler. Modules add their rollup handlers in ./rollups.ts. */
const eventHandlers: EventHandlers = { ...rollupEventHandlers };

/** The Worker's `queue` export: dispatches each batch by the queue it came from. */
export async function handleQueueBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const jc = createJobContext(env, ctx);
  const started = Date.now();
  switch (batch.queue) {
    case EVENTS_QUEUE:
      await consumeEvents(batch, jc, eventHandlers);
      break;
    case EVENTS_DLQ:
      await consumeDeadLetters(batch, jc);
      break;
    case OUTBOX_QUEUE:
      await consumeOutbox(batch, jc);
      break;
    case OUTBOX_DLQ:
      await consumeOutboxDeadLetters(batch, jc);
      break;
    default:
      // A queue bound to this Worker but unknown to the code: retry, so nothing is lost silently.
      log("error", "unknown queue", { queue: batch.queue, messages: batch.messages.length });
      batch.retryAll();
      return;
  }
  log("info", "queue batch", {
    queue: batch.queue,
    messages: batch.messages.length,
    duration_ms: Date.now() - started,
    db_round_trips: jc.meter.roundTrips,
  });
}
