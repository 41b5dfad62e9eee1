import { lt } from "drizzle-orm";
import { deadLetters, processedEvents } from "../db/schema";
import type { JobContext } from "./job-context";

/** How long bookkeeping rows are kept. Redeliveries arrive within minutes; 30 days is generous. */
export const RETENTION_DAYS = 30;

/** Purges expired bookkeeping in one atomic round trip. Safe to run any number of times. */
export async function purgeExpired(
  jc: JobContext,
  now: Date,
): Promise<{ processedEvents: number; deadLetters: number }> {
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
  const [events, letters] = await jc.db.batch([
    jc.db
      .delete(processedEvents)
      .where(lt(processedEvents.processedAt, cutoff))
      .returning({ id: processedEvents.eventId }),
    jc.db.delete(deadLetters).where(lt(deadLetters.receivedAt, cutoff)).returning({ id: deadLetters.id }),
  ]);
  return { processedEvents: events.length, deadLetters: letters.length };
}
