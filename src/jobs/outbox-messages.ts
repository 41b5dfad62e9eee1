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

/** Sent to the NEW address: the link that confirms an email change. */
export const emailChangeConfirmMessageSchema = z.object({
  type: z.literal("email_change_confirm"),
  user_id: z.uuid(),
  email: z.string().min(3).max(254),
  /** The plaintext single-use token (only its SHA-256 is stored). Never log it in production. */
  token: z.string().min(16).max(256),
  expires_at: z.iso.datetime({ offset: true }),
});

export type EmailChangeConfirmMessage = z.infer<typeof emailChangeConfirmMessageSchema>;

/** Sent to the OLD address: a change of the login email was requested, or has happened. */
export const emailChangeNoticeMessageSchema = z.object({
  type: z.literal("email_change_notice"),
  user_id: z.uuid(),
  email: z.string().min(3).max(254),
  new_email: z.string().min(3).max(254),
  stage: z.enum(["requested", "completed"]),
});

export type EmailChangeNoticeMessage = z.infer<typeof emailChangeNoticeMessageSchema>;

/** Fields never stored or logged as they are (dead letters keep the rest of the message). */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["token", "password", "secret"]);
