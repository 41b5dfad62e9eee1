import type { AppContext } from "./context";
import type { DomainEvent } from "./events";
import { log } from "./logger";

export type Emit = (event: DomainEvent) => void;

/**
 * Sends domain events to the EVENTS queue after the response (`waitUntil`), so a write's latency
 * never includes the queue. A lost event costs nothing permanent: the nightly cron rebuilds the
 * rollups from source rows.
 */
export function eventEmitter(c: AppContext): Emit {
  return (event) => {
    c.executionCtx.waitUntil(
      c.env.EVENTS.send(event).catch((err: unknown) =>
        log("error", "event_send_failed", {
          request_id: c.get("requestId"),
          type: event.type,
          error: String(err),
        }),
      ),
    );
  };
}
