import type { TenantContext } from "../../core/context";
import { visibleUserIds } from "../../core/scope";
import { plannedCallsFrom, plannedCallsQuery, shopLinksOfCaller } from "../call-cycles";
import { myGoalProgressQuery, myGoalProgressRows } from "../goals";
import { shopResource } from "../shops";
import { changesQuery, feedPage } from "./sync.repo";
import {
  changeKey,
  encodeCursor,
  type SyncPage,
  type SyncPosition,
  type SyncQuery,
  syncedResources,
} from "./sync.schemas";

/** Planned calls sent: today and the next 7 days. */
const CALL_DAYS = 8;

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
 * changes per type and tombstones, with the next cursor; and, on every page, snapshots (not
 * changes) of the goals assigned to the caller active today with their own progress, and of their
 * planned calls for today and the next 7 days. A caller without the tenant scope gets the shops
 * of the call cycles in their scope (added when a location is, a tombstone when the last goes),
 * not the whole registry.
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
  // Scoped callers keep the shops of the call cycles in their scope, not the tenant's registry.
  const links = new Map(
    visibleUserIds(ctx) === null ? [] : [[shopResource, shopLinksOfCaller(ctx)] as const],
  );
  const feedQuery = changesQuery(ctx, types, from, full, query.limit + 1, links);
  const goalsQuery = ctx.permissions.has("goals:read") ? myGoalProgressQuery(ctx, undefined) : undefined;
  const callsQuery = ctx.permissions.has("call_cycles:read")
    ? plannedCallsQuery(ctx, undefined, CALL_DAYS)
    : undefined;
  // One round trip: the change feed, the caller's goals and planned calls in one batch.
  const queries = [feedQuery, goalsQuery, callsQuery].filter((q) => q !== undefined);
  const results = await ctx.db.batch(queries as [typeof feedQuery, ...(typeof feedQuery)[]]);
  const [changedRows, ...rest] = results as unknown as [Parameters<typeof feedPage>[0], ...unknown[]];
  const feed = feedPage(changedRows);
  const goals = goalsQuery
    ? myGoalProgressRows(rest.shift() as Parameters<typeof myGoalProgressRows>[0])
    : [];
  const plannedCalls = callsQuery
    ? plannedCallsFrom(rest.shift() as Parameters<typeof plannedCallsFrom>[0])
    : [];
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
    planned_calls: plannedCalls,
    cursor: encodeCursor(next),
    has_more: hasMore,
    server_time: feed.server_time,
  };
}
