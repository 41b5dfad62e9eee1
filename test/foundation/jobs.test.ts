import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { type DomainEvent, domainEvent } from "../../src/core/events";
import { uuidv7 } from "../../src/core/ids";
import { deadLetters, processedEvents } from "../../src/db/schema";
import worker from "../../src/index";
import { consumeEvents, retryDelaySeconds } from "../../src/jobs/events";
import { createJobContext } from "../../src/jobs/job-context";
import { EVENTS_DLQ, EVENTS_QUEUE } from "../../src/jobs/queues";
import { CRON_NIGHTLY, CRON_REPORTS } from "../../src/jobs/scheduled";
import { testDb } from "../helpers/db";
import { createTenant } from "../helpers/factories";

function message(body: unknown, attempts = 1) {
  return { id: uuidv7(), timestamp: new Date(), attempts, body };
}

async function runQueue(queue: string, messages: ReturnType<typeof message>[]) {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("queue consumer", () => {
  it("dead-letters messages that are not events or have no handler, and acks them", async () => {
    const tenant = await createTenant();
    const notEvent = message({ hello: "world" });
    const unknown = message(domainEvent("nobody.handles.this", tenant.id, { x: 1 }));
    const result = await runQueue(EVENTS_QUEUE, [notEvent, unknown]);
    expect(result.explicitAcks.sort()).toEqual([notEvent.id, unknown.id].sort());
    expect(result.retryMessages).toEqual([]);
    const rows = await testDb()
      .select()
      .from(deadLetters)
      .where(inArray(deadLetters.messageId, [notEvent.id, unknown.id]));
    expect(rows.map((r) => r.reason).sort()).toEqual([
      "message is not a domain event",
      "no handler for event type nobody.handles.this",
    ]);
    expect(rows.find((r) => r.messageId === unknown.id)?.tenantId).toBe(tenant.id);
  });

  it("acks handled events and retries a failing one with backoff, each on its own", async () => {
    const tenant = await createTenant();
    const seen: string[] = [];
    const handlers = {
      "test.ok": async (event: DomainEvent) => {
        seen.push(event.id);
      },
      "test.fail": async () => {
        throw new Error("transient");
      },
    };
    const ok = message(domainEvent("test.ok", tenant.id, {}));
    const fail = message(domainEvent("test.fail", tenant.id, {}), 3);
    const batch = createMessageBatch(EVENTS_QUEUE, [ok, fail]);
    const retry = vi.spyOn(batch.messages[1] as Message<unknown>, "retry");
    const ctx = createExecutionContext();
    await consumeEvents(batch, createJobContext(env, ctx), handlers);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([ok.id]);
    expect(result.retryMessages).toEqual([{ msgId: fail.id }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
    expect(seen).toEqual([(ok.body as DomainEvent).id]);
    expect(retryDelaySeconds(1)).toBe(5);
    expect(retryDelaySeconds(20)).toBe(300);
  });

  it("stores dead-lettered messages once even when the DLQ batch is delivered twice", async () => {
    const tenant = await createTenant();
    const msgs = [message(domainEvent("x.failed", tenant.id, { n: 1 }), 6)];
    const first = await runQueue(EVENTS_DLQ, msgs);
    expect(first.ackAll).toBe(true);
    const second = await runQueue(EVENTS_DLQ, msgs);
    expect(second.ackAll).toBe(true);
    const rows = await testDb().select().from(deadLetters).where(eq(deadLetters.tenantId, tenant.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ queue: EVENTS_QUEUE, attempts: 6, reason: "retries exhausted" });
  });

  it("retries every message of a queue the code does not know", async () => {
    const result = await runQueue("some-other-queue", [message({})]);
    expect(result.retryBatch.retry).toBe(true);
  });
});

describe("cron", () => {
  async function runCron(cron: string, scheduledTime: number) {
    const controller = createScheduledController({ scheduledTime, cron });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it("nightly housekeeping purges expired bookkeeping only, and is safe to run twice", async () => {
    const tenant = await createTenant();
    const db = testDb();
    const now = Date.now();
    const old = new Date(now - 40 * 86_400_000);
    const recent = new Date(now - 86_400_000);
    const [oldEvent, newEvent] = [uuidv7(), uuidv7()];
    await db.insert(processedEvents).values([
      { tenantId: tenant.id, eventId: oldEvent, type: "t", processedAt: old },
      { tenantId: tenant.id, eventId: newEvent, type: "t", processedAt: recent },
    ]);
    await runCron(CRON_NIGHTLY, now);
    await runCron(CRON_NIGHTLY, now);
    const left = await db.select().from(processedEvents).where(eq(processedEvents.tenantId, tenant.id));
    expect(left.map((r) => r.eventId)).toEqual([newEvent]);
  });

  it("knows the report-refresh trigger and refuses an unknown expression", async () => {
    await expect(runCron(CRON_REPORTS, Date.now())).resolves.toBeUndefined();
    await expect(runCron("0 0 1 1 *", Date.now())).rejects.toThrow(/No jobs registered/);
  });
});
