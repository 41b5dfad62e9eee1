import { z } from "zod";
import { uuidv7 } from "./ids";

/**
 * Every domain event has this envelope. `id` is unique per event (a UUID), so consumers can apply
 * each event exactly once whatever the queue's at-least-once delivery does. Services build events
 * (`domainEvent`), the request emits them (./emit.ts), src/jobs consumes them.
 */
export const domainEventSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(100),
  tenant_id: z.uuid(),
  occurred_at: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
});

export type DomainEvent = z.infer<typeof domainEventSchema>;

/** Builds an event ready for `env.EVENTS.send(...)`. */
export function domainEvent(type: string, tenantId: string, payload: Record<string, unknown>): DomainEvent {
  return { id: uuidv7(), type, tenant_id: tenantId, occurred_at: new Date().toISOString(), payload };
}
