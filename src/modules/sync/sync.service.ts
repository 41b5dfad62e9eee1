import type { TenantContext } from "../../core/context";
import { myGoalProgressQuery, myGoalProgressRows } from "../goals";
import { changesQuery, feedPage } from "./sync.repo";
import {
  changeKey,
  encodeCursor,
  type SyncPage,
  type SyncPosition,
  type SyncQuery,
  syncedResources,
} from "./sync.schemas";

/** Before every row: the position of a walk from the beginning. */
const ORIGIN: SyncPosition = {
  t: "1970-01-01T00:00:00.000000Z",
  k: "",
  i: "00000000-0000-0000-0000-000000000000",
};

function compare(a: SyncPosition, b: SyncPosition): number {
  for (const key of ["t", "k", "i"] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}

/**
 * One page of offline sync for the caller, in one round trip: the rows of every synced resource
 * they may read (DESIGN §3) changed after the cursor — or, without one, a full snapshot — as
 * changes per type and tombstones, with the next cursor; and, on every page, the goals assigned
 * to the caller that are active today with the caller's own progress (a snapshot, not a change).
 *
 * Cursor rules: while `has_more`, the cursor is the last row sent. Once caught up, it stops at
 * most at "now − 1 s" (`settled`): a write stamped just before the read may still have been
 * committing, so it is sent next time rather than skipped — a row changed in the last second
 * before a sync may therefore come again on the next one; phones apply changes by id.
 */
export async function syncPage(ctx: TenantContext, query: SyncQuery): Promise<SyncPage> {
  const from = query.since ?? ORIGIN;
  const full = query.since === undefined || from.f !== undefined;
  const types = syncedResources.filter((r) => ctx.permissions.has(r.permissions.read));
  const feedQuery = changesQuery(ctx, types, from, full, query.limit + 1);
  // One round trip: the change feed and the caller's goals with their own progress in one batch.
  let feed: ReturnType<typeof feedPage>;
  let goals: SyncPage["goals"] = [];
  if (ctx.permissions.has("goals:read")) {
    const [changed, mine] = await ctx.db.batch([feedQuery, myGoalProgressQuery(ctx, undefined)]);
    feed = feedPage(changed);
    goals = myGoalProgressRows(mine);
  } else {
    feed = feedPage(await feedQuery);
  }
  const hasMore = feed.rows.length > query.limit;
  const rows = feed.rows.slice(0, query.limit);

  const changed: Record<string, unknown[]> = Object.fromEntries(
    syncedResources.map((r) => [changeKey(r), []]),
  );
  const keyOf = new Map(syncedResources.map((r) => [r.name, changeKey(r)]));
  const tombstones: SyncPage["tombstones"] = [];
  for (const row of rows) {
    if (row.data) changed[keyOf.get(row.type) ?? row.type]?.push(row.data);
    else if (row.deleted_at) tombstones.push({ type: row.type, id: row.id, deleted_at: row.deleted_at });
  }

  const last = rows.at(-1);
  const lastPosition = last ? { t: last.at, k: last.type, i: last.id } : from;
  let next: SyncPosition;
  if (hasMore) {
    next = full ? { ...lastPosition, f: from.f ?? feed.now } : lastPosition;
  } else {
    const settled = { t: feed.settled, k: "", i: ORIGIN.i };
    const caughtUp = compare(lastPosition, settled) < 0 ? lastPosition : settled;
    const { f: _snapshotStart, ...previous } = from;
    next = compare(caughtUp, previous) > 0 ? caughtUp : previous;
  }
  return {
    changes: changed as SyncPage["changes"],
    tombstones,
    goals,
    cursor: encodeCursor(next),
    has_more: hasMore,
    server_time: feed.server_time,
  };
}
