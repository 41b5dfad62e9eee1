import { createApp } from "./app";
import { handleQueueBatch } from "./jobs/queue";
import { handleScheduled } from "./jobs/scheduled";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
