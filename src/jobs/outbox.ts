import { uuidv7 } from "../core/ids";
import { log } from "../core/logger";
import { deadLetters } from "../db/schema";
import { retryDelaySeconds } from "./events";
import type { JobContext } from "./job-context";
import {
  type EmailChangeConfirmMessage,
  type EmailChangeNoticeMessage,
  emailChangeConfirmMessageSchema,
  emailChangeNoticeMessageSchema,
  type PasswordResetMessage,
  passwordResetMessageSchema,
  SECRET_FIELDS,
} from "./outbox-messages";
import { OUTBOX_QUEUE } from "./queues";

/** A message that no retry can deliver: it goes to dead_letters at once. */
class Undeliverable extends Error {}

/**
 * Delivers one outbox message of a type. Throwing `Undeliverable` dead-letters it; any other
 * error means "try again later" (retried with backoff, then the dead-letter queue).
 */
type OutboxHandler = (body: unknown, jc: JobContext, meta: { messageId: string }) => Promise<void>;

/** The link the user opens: the web app's reset page with the token in the query. */
export function passwordResetLink(baseUrl: string, token: string): string {
  return `${baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
}

/**
 * The integration point for an email provider. Until one is configured: outside production the
 * link is logged (so a developer can click it), in production only the fact that nothing was
 * sent is logged — never the token, never the link. An already expired token is not sent at all.
 */
async function deliverPasswordReset(
  message: PasswordResetMessage,
  jc: JobContext,
  meta: { messageId: string },
): Promise<void> {
  if (Date.parse(message.expires_at) <= Date.now()) {
    log("info", "password reset expired before delivery; dropped", {
      message_id: meta.messageId,
      user_id: message.user_id,
    });
    return;
  }
  if (jc.config.isDev) {
    log("info", "password reset link (development: not mailed)", {
      message_id: meta.messageId,
      user_id: message.user_id,
      email: message.email,
      link: passwordResetLink(jc.config.APP_BASE_URL, message.token),
      expires_at: message.expires_at,
    });
    return;
  }
  log("warn", "email delivery is not configured: password reset mail not sent", {
    message_id: meta.messageId,
    user_id: message.user_id,
  });
}

/** The link that confirms an email change, opened from the new address. */
export function emailChangeLink(baseUrl: string, token: string): string {
  return `${baseUrl}/confirm-email?token=${encodeURIComponent(token)}`;
}

/** Like the reset mail: the confirmation link is logged outside production, never in it. */
async function deliverEmailChangeConfirm(
  message: EmailChangeConfirmMessage,
  jc: JobContext,
  meta: { messageId: string },
): Promise<void> {
  if (Date.parse(message.expires_at) <= Date.now()) return;
  if (jc.config.isDev) {
    log("info", "email change confirmation link (development: not mailed)", {
      message_id: meta.messageId,
      user_id: message.user_id,
      email: message.email,
      link: emailChangeLink(jc.config.APP_BASE_URL, message.token),
      expires_at: message.expires_at,
    });
    return;
  }
  log("warn", "email delivery is not configured: email change confirmation not sent", {
    message_id: meta.messageId,
    user_id: message.user_id,
  });
}

async function deliverEmailChangeNotice(
  message: EmailChangeNoticeMessage,
  jc: JobContext,
  meta: { messageId: string },
): Promise<void> {
  log(jc.config.isDev ? "info" : "warn", "email change notice to the old address (not mailed)", {
    message_id: meta.messageId,
    user_id: message.user_id,
    stage: message.stage,
  });
}

/** Outbox message type → its delivery. New message types add a line here. */
const handlers: Readonly<Record<string, OutboxHandler>> = {
  password_reset: async (body, jc, meta) => {
    const parsed = passwordResetMessageSchema.safeParse(body);
    if (!parsed.success) throw new Undeliverable("malformed password_reset message");
    await deliverPasswordReset(parsed.data, jc, meta);
  },
  email_change_confirm: async (body, jc, meta) => {
    const parsed = emailChangeConfirmMessageSchema.safeParse(body);
    if (!parsed.success) throw new Undeliverable("malformed email_change_confirm message");
    await deliverEmailChangeConfirm(parsed.data, jc, meta);
  },
  email_change_notice: async (body, jc, meta) => {
    const parsed = emailChangeNoticeMessageSchema.safeParse(body);
    if (!parsed.success) throw new Undeliverable("malformed email_change_notice message");
    await deliverEmailChangeNotice(parsed.data, jc, meta);
  },
};

/** The message without its secrets, for storage and logs. */
export function redactSecrets(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? "[redacted]" : v]),
  );
}

function deadLetterRow(message: Message<unknown>, reason: string): typeof deadLetters.$inferInsert {
  const body = message.body as { type?: unknown } | null | undefined;
  return {
    id: uuidv7(),
    tenantId: null,
    queue: OUTBOX_QUEUE,
    messageId: message.id,
    eventType: typeof body?.type === "string" ? body.type.slice(0, 100) : null,
    body: redactSecrets(message.body ?? null) ?? null,
    attempts: message.attempts,
    reason,
  };
}

/**
 * Consumes a batch of outbox messages, each acknowledged or retried on its own. A message that
 * can never be delivered (no `type`, an unknown type, a malformed body) is stored in dead_letters
 * straight away — with its secrets redacted — and acked instead of burning its retries; a
 * delivery failure is retried with backoff.
 */
export async function consumeOutbox(batch: MessageBatch<unknown>, jc: JobContext): Promise<void> {
  const undeliverable: { message: Message<unknown>; reason: string }[] = [];
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body as { type?: unknown } | null | undefined;
      const type = typeof body?.type === "string" ? body.type : undefined;
      const handler = type ? handlers[type] : undefined;
      if (!handler) {
        undeliverable.push({
          message,
          reason: type ? `no handler for outbox type ${type.slice(0, 100)}` : "message has no type",
        });
        return;
      }
      try {
        await handler(message.body, jc, { messageId: message.id });
        message.ack();
      } catch (err) {
        if (err instanceof Undeliverable) {
          undeliverable.push({ message, reason: err.message });
          return;
        }
        log("warn", "outbox delivery failed", {
          message_id: message.id,
          type,
          attempts: message.attempts,
          error: err instanceof Error ? err.message : String(err),
        });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
  if (undeliverable.length === 0) return;
  try {
    await jc.db
      .insert(deadLetters)
      .values(undeliverable.map((u) => deadLetterRow(u.message, u.reason)))
      .onConflictDoNothing();
    for (const u of undeliverable) u.message.ack();
  } catch (err) {
    log("error", "outbox dead-letter insert failed", {
      error: err instanceof Error ? err.message : String(err),
    });
    for (const u of undeliverable) u.message.retry({ delaySeconds: retryDelaySeconds(u.message.attempts) });
  }
}

/**
 * The outbox dead-letter queue's consumer: messages whose delivery kept failing are stored (secrets
 * redacted) in one round trip, then acked. If the insert fails the batch is retried as a whole.
 */
export async function consumeOutboxDeadLetters(batch: MessageBatch<unknown>, jc: JobContext): Promise<void> {
  if (batch.messages.length === 0) return;
  await jc.db
    .insert(deadLetters)
    .values(batch.messages.map((m) => deadLetterRow(m, "retries exhausted")))
    .onConflictDoNothing();
  batch.ackAll();
}
