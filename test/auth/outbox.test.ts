import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { deadLetters } from "../../src/db/schema";
import worker from "../../src/index";
import { retryDelaySeconds } from "../../src/jobs/events";
import type { PasswordResetMessage } from "../../src/jobs/outbox-messages";
import { OUTBOX_DLQ, OUTBOX_QUEUE } from "../../src/jobs/queues";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call } from "../helpers/http";
import { login } from "./support";

function message(body: unknown, attempts = 1) {
  return { id: uuidv7(), timestamp: new Date(), attempts, body };
}

function resetMessage(overrides: Partial<PasswordResetMessage> = {}): PasswordResetMessage {
  return {
    type: "password_reset",
    user_id: uuidv7(),
    email: "someone@example.test",
    token: `prt_${"a".repeat(43)}`,
    expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
    ...overrides,
  };
}

async function runQueue(queue: string, messages: ReturnType<typeof message>[], workerEnv: Env = env) {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, workerEnv, ctx);
  return getQueueResult(batch, ctx);
}

/** Every JSON log line written while `spy` was active. */
function logLines(...spies: { mock: { calls: unknown[][] } }[]): Record<string, unknown>[] {
  return spies
    .flatMap((s) => s.mock.calls)
    .map((args) => {
      try {
        return JSON.parse(String(args[0])) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("outbox consumer", () => {
  it("logs the reset link outside production and acks", async () => {
    const info = vi.spyOn(console, "log");
    const msg = message(resetMessage());
    const result = await runQueue(OUTBOX_QUEUE, [msg]);
    expect(result.explicitAcks).toEqual([msg.id]);
    expect(result.retryMessages).toEqual([]);
    const line = logLines(info).find((l) => l.msg === "password reset link (development: not mailed)");
    expect(line).toMatchObject({
      level: "info",
      message_id: msg.id,
      email: "someone@example.test",
      link: `http://localhost:3000/reset-password?token=prt_${"a".repeat(43)}`,
    });
  });

  it("in production without a provider logs that nothing was sent, without the token", async () => {
    const spies = [vi.spyOn(console, "log"), vi.spyOn(console, "warn"), vi.spyOn(console, "error")];
    const prodEnv = { ...env, APP_ENV: "production", APP_BASE_URL: "https://app.example.test" } as Env;
    const body = resetMessage({ token: `prt_${"s".repeat(43)}` });
    const msg = message(body);
    const result = await runQueue(OUTBOX_QUEUE, [msg], prodEnv);
    expect(result.explicitAcks).toEqual([msg.id]);
    const lines = logLines(...spies);
    expect(
      lines.find((l) => l.msg === "email delivery is not configured: password reset mail not sent"),
    ).toMatchObject({ level: "warn", user_id: body.user_id, message_id: msg.id });
    expect(JSON.stringify(lines)).not.toContain(body.token);
  });

  it("drops an already expired reset (acked, no link)", async () => {
    const info = vi.spyOn(console, "log");
    const msg = message(resetMessage({ expires_at: new Date(Date.now() - 1000).toISOString() }));
    const result = await runQueue(OUTBOX_QUEUE, [msg]);
    expect(result.explicitAcks).toEqual([msg.id]);
    expect(logLines(info).some((l) => "link" in l)).toBe(false);
  });

  it("retries a failed delivery with backoff, each message on its own", async () => {
    const ok = message(resetMessage());
    const failing = message(resetMessage(), 3);
    let calls = 0;
    vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      if (
        String(line).includes("password reset link") &&
        String(line).includes(failing.id) &&
        calls++ === 0
      ) {
        throw new Error("provider unavailable");
      }
    });
    const batch = createMessageBatch(OUTBOX_QUEUE, [ok, failing]);
    const retry = vi.spyOn(batch.messages[1] as Message<unknown>, "retry");
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([ok.id]);
    expect(result.retryMessages).toEqual([{ msgId: failing.id }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
  });

  it("dead-letters unknown types and malformed messages at once, secrets redacted", async () => {
    const unknown = message({ type: "sms", token: "secret-sms-token", to: "+100" });
    const untyped = message({ hello: "world" });
    const malformed = message({ type: "password_reset", token: "secret-but-malformed" });
    const result = await runQueue(OUTBOX_QUEUE, [unknown, untyped, malformed]);
    expect(result.explicitAcks.sort()).toEqual([unknown.id, untyped.id, malformed.id].sort());
    expect(result.retryMessages).toEqual([]);
    const rows = await testDb().select().from(deadLetters).where(eq(deadLetters.queue, OUTBOX_QUEUE));
    const byId = new Map(rows.map((r) => [r.messageId, r]));
    expect(byId.get(unknown.id)).toMatchObject({
      reason: "no handler for outbox type sms",
      eventType: "sms",
      body: { type: "sms", token: "[redacted]", to: "+100" },
    });
    expect(byId.get(untyped.id)?.reason).toBe("message has no type");
    expect(byId.get(malformed.id)).toMatchObject({
      reason: "malformed password_reset message",
      body: { type: "password_reset", token: "[redacted]" },
    });
  });

  it("the outbox DLQ stores exhausted messages once, redacted, and acks", async () => {
    const msgs = [message(resetMessage({ token: `prt_${"d".repeat(43)}` }), 6)];
    expect((await runQueue(OUTBOX_DLQ, msgs)).ackAll).toBe(true);
    expect((await runQueue(OUTBOX_DLQ, msgs)).ackAll).toBe(true);
    const rows = await testDb()
      .select()
      .from(deadLetters)
      .where(eq(deadLetters.messageId, msgs[0]?.id ?? ""));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ queue: OUTBOX_QUEUE, attempts: 6, reason: "retries exhausted" });
    expect(JSON.stringify(rows[0]?.body)).not.toContain("ddddd");
  });
});

describe("forgot-password → outbox → reset, end to end", () => {
  it("the queued message reaches the consumer, whose link resets the password", async () => {
    const info = vi.spyOn(console, "log");
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const res = await call("POST", "/api/auth/forgot-password", { body: { email: user.email } });
    expect(res.status).toBe(202);

    const link = await vi.waitFor(
      () => {
        const line = logLines(info).find(
          (l) => l.msg?.toString().startsWith("password reset link") && l.user_id === user.id,
        );
        if (!line) throw new Error("not delivered yet");
        return String(line.link);
      },
      { timeout: 10_000, interval: 100 },
    );
    const token = new URL(link).searchParams.get("token") ?? "";
    expect(token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
    const reset = await call("POST", "/api/auth/reset-password", {
      body: { token, new_password: "Fresh-passw0rd" },
    });
    expect(reset.status).toBe(204);
    expect((await login(user.email, "Fresh-passw0rd")).status).toBe(200);
  });
});
