import { uuidv7 } from "../core/ids";
import { deadLetters } from "../db/schema";
import type { JobContext } from "./job-context";
import { EVENTS_QUEUE } from "./queues";

type DeadLetterRow = typeof deadLetters.$inferInsert;

function toRow(queue: string, message: Message<unknown>, reason: string): DeadLetterRow {
  const body = (message.body ?? null) as Record<string, unknown> | null;
  const tenantId = typeof body?.tenant_id === "string" ? body.tenant_id : null;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return {
    id: uuidv7(),
    tenantId: tenantId && uuid.test(tenantId) ? tenantId : null,
    queue,
    messageId: message.id,
    eventType: typeof body?.type === "string" ? body.type.slice(0, 100) : null,
    body: message.body ?? null,
    attempts: message.attempts,
    reason,
  };
}

/** Stores one message that cannot be processed. A redelivery of the same message adds nothing. */
export async function recordDeadLetter(
  jc: JobContext,
  queue: string,
  message: Message<unknown>,
  reason: string,
): Promise<void> {
  await jc.db
    .insert(deadLetters)
    .values(toRow(queue, message, reason))
    .onConflictDoNothing();
}

/**
 * The dead-letter queue's consumer: the whole batch is stored in one round trip, then acked.
 * If the insert fails the batch is retried as a whole.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, jc: JobContext): Promise<void> {
  if (batch.messages.length === 0) return;
  const rows = batch.messages.map((m) => toRow(EVENTS_QUEUE, m, "retries exhausted"));
  await jc.db.insert(deadLetters).values(rows).onConflictDoNothing();
  batch.ackAll();
}
