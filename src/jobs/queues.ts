/** Queue names as declared in wrangler.jsonc; the consumer dispatches on them. */
export const EVENTS_QUEUE = "sales-sync-events";
export const EVENTS_DLQ = "sales-sync-events-dlq";
/** Messages for the outside world (password-reset mail, ...), and where they go when undeliverable. */
export const OUTBOX_QUEUE = "sales-sync-outbox";
export const OUTBOX_DLQ = "sales-sync-outbox-dlq";
