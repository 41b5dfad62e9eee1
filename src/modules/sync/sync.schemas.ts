import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import type { AnyResource } from "../../core/resource/declaration";
import { todayCallSchema } from "../call-cycles";
import { goalProgressSchema } from "../goals";
import { resources } from "../resources";

/** The kit resources offline sync carries (declared with `offline`), in a fixed order. */
export const syncedResources: readonly AnyResource[] = resources.filter((r) => r.offline !== undefined);

/** Where a walk of the change feed stands: every row up to (t, k, i) in (updated_at, type, id) order was sent. */
export interface SyncPosition {
  /** updated_at of the last row sent, RFC 3339 UTC with microseconds. */
  t: string;
  /** Its type (the resource name). */
  k: string;
  /** Its id. */
  i: string;
  /** During a full snapshot: when it began (rows deleted before then are not sent as tombstones). */
  f?: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const position = z.strictObject({
  t: z.string().regex(TIMESTAMP),
  k: z.string().max(64),
  i: z.string().regex(UUID),
  f: z.string().regex(TIMESTAMP).optional(),
});

/** The opaque cursor: base64url of the position's JSON. */
export function encodeCursor(p: SyncPosition): string {
  return btoa(JSON.stringify(p)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(text: string): SyncPosition | null {
  try {
    const json = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const parsed = position.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const MAX_SYNC_LIMIT = 2000;

export const syncQuery = z.strictObject({
  since: z
    .string()
    .max(400)
    .transform((text, ctx) => {
      const p = decodeCursor(text);
      if (!p) {
        ctx.addIssue({
          code: "custom",
          message: "Not a cursor this API returned (use the last response's `cursor`)",
        });
        return z.NEVER;
      }
      return p;
    })
    .optional()
    .describe("The `cursor` of the previous response; omit for a full snapshot"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SYNC_LIMIT)
    .default(500)
    .describe(`Changed rows per page, 1..${MAX_SYNC_LIMIT} (default 500)`),
});

export type SyncQuery = z.infer<typeof syncQuery>;

/** A synced resource's rows as sync sends them: its API representation plus its declared offline values. */
function syncedItem(res: AnyResource) {
  const extra = Object.fromEntries(
    Object.entries(res.offline?.with ?? {}).map(([key, c]) => [key, c.output]),
  );
  return res.schemas.item.extend(extra);
}

/** The key a resource's changes are listed under: its path without the slash ("brands"). */
export function changeKey(res: AnyResource): string {
  return res.path.replace(/^\//, "");
}

const typeName = z.enum(syncedResources.map((r) => r.name) as [string, ...string[]]);

const syncSchema = z
  .object({
    changes: z
      .object(Object.fromEntries(syncedResources.map((r) => [changeKey(r), z.array(syncedItem(r))])))
      .describe("Rows created or changed since the cursor, per type (only types you may read)"),
    tombstones: z
      .array(z.object({ type: typeName, id: z.uuid(), deleted_at: z.iso.datetime() }))
      .describe("Rows deleted since the cursor: remove them from the phone"),
    goals: z
      .array(goalProgressSchema)
      .describe(
        "Every page: the goals assigned to you (directly or through a team) active today, each with your own progress only",
      ),
    planned_calls: z
      .array(todayCallSchema)
      .describe(
        "Every page: your planned calls for today and the next 7 days (tenant's time zone), by day, with their state",
      ),
    cursor: z.string().describe("Send it as `since` next time"),
    has_more: z.boolean().describe("More changes are waiting: ask again at once with the new cursor"),
    server_time: z.iso.datetime(),
  })
  .openapi("SyncPage");

export const syncResponse = dataEnvelope(syncSchema);
export type SyncPage = z.infer<typeof syncSchema>;
