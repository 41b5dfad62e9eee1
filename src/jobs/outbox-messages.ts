import { z } from "zod";

/**
 * What producers put on the OUTBOX queue. Every message has a `type`; the consumer
 * (src/jobs/outbox.ts) is the one place that turns them into mail (or whatever channel).
 */
export const passwordResetMessageSchema = z.object({
  type: z.literal("password_reset"),
  user_id: z.uuid(),
  email: z.string().min(3).max(254),
  /** The plaintext single-use token: only its SHA-256 is in the database. Never log it in production. */
  token: z.string().min(16).max(256),
  expires_at: z.iso.datetime({ offset: true }),
});

export type PasswordResetMessage = z.infer<typeof passwordResetMessageSchema>;

/** Fields never stored or logged as they are (dead letters keep the rest of the message). */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["token", "password", "secret"]);
