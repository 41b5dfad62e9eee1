import { and, isNotNull, isNull, lt, or } from "drizzle-orm";
import {
  deadLetters,
  emailChanges,
  idempotencyRecords,
  loginAttempts,
  passwordResetTokens,
  processedEvents,
  refreshTokens,
} from "../db/schema";
import type { JobContext } from "./job-context";

/** How long bookkeeping rows are kept. Redeliveries arrive within minutes; 30 days is generous. */
export const RETENTION_DAYS = 30;
/** Failure counters with no failure for a day are forgotten (lockouts last far less). */
const LOGIN_ATTEMPTS_DAYS = 1;

export interface PurgeCounts {
  processedEvents: number;
  deadLetters: number;
  refreshTokens: number;
  passwordResetTokens: number;
  emailChanges: number;
  idempotencyRecords: number;
  loginAttempts: number;
}

/** Purges expired bookkeeping and auth rows in one atomic round trip. Safe to run any number of times. */
export async function purgeExpired(jc: JobContext, now: Date): Promise<PurgeCounts> {
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
  const attemptsCutoff = new Date(now.getTime() - LOGIN_ATTEMPTS_DAYS * 86_400_000);
  const { db } = jc;
  const [events, letters, refresh, resets, emails, idempotency, attempts] = await db.batch([
    db
      .delete(processedEvents)
      .where(lt(processedEvents.processedAt, cutoff))
      .returning({ id: processedEvents.eventId }),
    db.delete(deadLetters).where(lt(deadLetters.receivedAt, cutoff)).returning({ id: deadLetters.id }),
    db
      .delete(refreshTokens)
      .where(
        or(
          lt(refreshTokens.expiresAt, now),
          and(isNotNull(refreshTokens.revokedAt), lt(refreshTokens.revokedAt, cutoff)),
        ),
      )
      .returning({ id: refreshTokens.id }),
    db
      .delete(passwordResetTokens)
      .where(lt(passwordResetTokens.expiresAt, now))
      .returning({ id: passwordResetTokens.id }),
    db.delete(emailChanges).where(lt(emailChanges.expiresAt, now)).returning({ id: emailChanges.id }),
    db
      .delete(idempotencyRecords)
      .where(lt(idempotencyRecords.expiresAt, now))
      .returning({ key: idempotencyRecords.key }),
    db
      .delete(loginAttempts)
      .where(
        and(
          lt(loginAttempts.lastFailureAt, attemptsCutoff),
          or(isNull(loginAttempts.lockedUntil), lt(loginAttempts.lockedUntil, now)),
        ),
      )
      .returning({ subject: loginAttempts.subject }),
  ]);
  return {
    processedEvents: events.length,
    deadLetters: letters.length,
    refreshTokens: refresh.length,
    passwordResetTokens: resets.length,
    emailChanges: emails.length,
    idempotencyRecords: idempotency.length,
    loginAttempts: attempts.length,
  };
}
