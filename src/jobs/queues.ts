/** Queue names as declared in wrangler.toml; the consumer dispatches on them. */
export const EVENTS_QUEUE = "sales-sync-events";
export const EVENTS_DLQ = "sales-sync-events-dlq";
