import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Events a consumer has applied, so a redelivered message changes nothing: the handler inserts
 * here with ON CONFLICT DO NOTHING in the same batch as its rollup update and skips the update
 * when the row already existed.
 */
export const processedEvents = pgTable(
  "processed_events",
  {
    tenantId: uuid("tenant_id").notNull(),
    eventId: uuid("event_id").notNull(),
    type: text("type").notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId] }),
    index("processed_events_processed_at_idx").on(t.processedAt),
  ],
);

/** Messages that exhausted their retries (or could never be handled), kept for inspection. */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id"),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    eventType: text("event_type"),
    body: jsonb("body").notNull(),
    attempts: integer("attempts").notNull(),
    reason: text("reason").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("dead_letters_queue_message_key").on(t.queue, t.messageId),
    index("dead_letters_tenant_received_idx").on(t.tenantId, t.receivedAt),
    index("dead_letters_received_at_idx").on(t.receivedAt),
  ],
);
