import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { createOne, getOne, referenceNotFound, updateOne, type Versioned } from "../../core/resource/verbs";
import { insertLocations, newIds, softDeleteLocation, withLocations } from "./call-cycles.repo";
import {
  type CallCycleDto,
  type CreateCallCycleInput,
  callCycleResource,
  type UpdateCallCycleInput,
} from "./call-cycles.resource";
import type {
  AddLocationsBody,
  LocationDto,
  LocationInput,
  PlannedCall,
  StatusDto,
  StatusQuery,
  TodayCall,
} from "./call-cycles.schemas";
import { plannedCallsFrom, plannedCallsQuery, selectCycleStatus } from "./call-cycles.status.repo";

const res = callCycleResource;
const CHECK_VIOLATION = "23514";

const endDateError = () =>
  ApiError.validation("Invalid request body", [
    { field: "end_date", message: "Must be on or after start_date" },
  ]);

/** `end_date` before `start_date` on the stored row (an update sending one of them): 400 naming `end_date`. */
function datesRefused(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === CHECK_VIOLATION && pg.constraint === "call_cycles_dates_check") throw endDateError();
  throw err;
}

/** Creates a cycle; `owner_id` defaults to the caller. One statement with its audit row. */
export function createCallCycle(
  ctx: TenantContext,
  input: CreateCallCycleInput,
): Promise<Versioned<CallCycleDto>> {
  return createOne<CallCycleDto>(
    ctx,
    res,
    { ...input, owner_id: input.owner_id ?? ctx.userId },
    withLocations,
  ).catch(datesRefused);
}

/** A live cycle in the caller's scope with its live locations: one round trip. */
export function getCallCycle(ctx: TenantContext, id: string): Promise<Versioned<CallCycleDto>> {
  return getOne<CallCycleDto>(ctx, res, id, withLocations);
}

/** The kit's partial update; the date rule is checked by the database against the stored row too. */
export function updateCallCycle(
  ctx: TenantContext,
  id: string,
  input: UpdateCallCycleInput,
  expectedVersion: number | undefined,
): Promise<Versioned<CallCycleDto>> {
  if (input.start_date && input.end_date && input.end_date < input.start_date) throw endDateError();
  return updateOne<CallCycleDto>(ctx, res, id, input, expectedVersion, withLocations).catch(datesRefused);
}

const ENTITY_OF = { shop_id: "Shop", agent_id: "User", team_id: "Team" } as const;

/**
 * Adds one location or `{locations}` to a cycle in one statement (audited, the cycle's version
 * bumped): 404 for the cycle, 404 naming the first shop/agent/team not in the tenant, 409 naming
 * the first shop already in the cycle; nothing written on any refusal.
 */
export async function addLocations(
  ctx: TenantContext,
  cycleId: string,
  body: AddLocationsBody,
): Promise<LocationDto[]> {
  const list = body.locations !== undefined;
  const inputs: LocationInput[] = body.locations ?? [body];
  const fieldName = (ord: number, field: string) => (list ? `locations.${ord}.${field}` : field);
  const { ids, auditIds } = newIds(inputs.length);
  const items = inputs.map((l, ord) => {
    if (l.shop_id === undefined || l.frequency === undefined) {
      throw ApiError.validation("Invalid request body", [
        { field: fieldName(ord, "shop_id"), message: "Required" },
      ]);
    }
    return {
      ord,
      id: ids[ord] ?? "",
      audit_id: auditIds[ord] ?? "",
      shop_id: l.shop_id,
      frequency: l.frequency,
      weekdays: l.weekdays ? [...l.weekdays].sort((a, b) => a - b) : null,
      interval_weeks: l.interval_weeks ?? null,
      month_day: l.month_day ?? null,
      window_start: l.window_start ?? null,
      window_end: l.window_end ?? null,
      agent_id: l.agent_id ?? null,
      team_id: l.team_id ?? null,
    };
  });
  const outcome = await insertLocations(ctx, cycleId, items).catch((err: unknown) => {
    if (pgErrorOf(err)?.code === UNIQUE_VIOLATION) {
      throw ApiError.conflict("A shop is already in this call cycle", [
        { field: list ? "locations" : "shop_id", message: "Already in the cycle" },
      ]);
    }
    throw err;
  });
  if (!outcome.found) throw ApiError.notFound(res.entity);
  if (outcome.refusal) {
    const { ord, field } = outcome.refusal;
    throw referenceNotFound(ENTITY_OF[field], fieldName(ord, field));
  }
  if (outcome.taken !== null) {
    throw ApiError.conflict("This shop is already in the call cycle", [
      { field: fieldName(outcome.taken, "shop_id"), message: "Already in the cycle" },
    ]);
  }
  return outcome.rows;
}

/** Removes a location (soft delete, audited): 404 for the cycle or the location. */
export async function removeLocation(ctx: TenantContext, cycleId: string, locationId: string): Promise<void> {
  const outcome = await softDeleteLocation(ctx, cycleId, locationId);
  if (!outcome.cycle) throw ApiError.notFound(res.entity);
  if (!outcome.deleted) throw ApiError.notFound("Call cycle location");
}

type Tally = StatusDto["summary"];

/** (done + late) ÷ (done + late + missed) × 100 with 2 decimals; null when nothing was due. */
export function adherencePercent(doneOrLate: number, missed: number): number | null {
  const due = doneOrLate + missed;
  return due > 0 ? Math.round((10_000 * doneOrLate) / due) / 100 : null;
}

function tally(calls: PlannedCall[]): Tally {
  const count = (state: PlannedCall["state"]) => calls.filter((c) => c.state === state).length;
  const done = count("done");
  const late = count("late");
  const missed = count("missed");
  return {
    planned: calls.length,
    done,
    late,
    missed,
    upcoming: count("upcoming"),
    adherence: adherencePercent(done + late, missed),
  };
}

function groupBy(calls: PlannedCall[], key: (c: PlannedCall) => string | null): [string, PlannedCall[]][] {
  const groups = new Map<string, PlannedCall[]>();
  for (const call of calls) {
    const k = key(call);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), call]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * A cycle's status over a range (default the current ISO week, tenant-local): every planned call
 * with its state, the tally and adherence overall, per assigned agent and per assigned team, and
 * the schedule of the next 14 days. One round trip.
 */
export async function cycleStatus(
  ctx: TenantContext,
  cycleId: string,
  query: StatusQuery,
): Promise<StatusDto> {
  const row = await selectCycleStatus(ctx, cycleId, query);
  if (!row.found) throw ApiError.notFound(res.entity);
  return {
    call_cycle_id: cycleId,
    range: { start_date: row.start_date, end_date: row.end_date, timezone: row.timezone },
    today: row.today,
    summary: tally(row.calls),
    by_agent: groupBy(row.calls, (c) => (c.team_id === null ? c.agent_id : null)).map(
      ([agent_id, calls]) => ({
        agent_id,
        ...tally(calls),
      }),
    ),
    by_team: groupBy(row.calls, (c) => c.team_id).map(([team_id, calls]) => ({ team_id, ...tally(calls) })),
    calls: row.calls,
    upcoming: row.upcoming,
  };
}

/** The caller's planned calls of one tenant-local day (default today) with their states. One round trip. */
export async function todaysCalls(ctx: TenantContext, date: string | undefined): Promise<TodayCall[]> {
  return plannedCallsFrom(await plannedCallsQuery(ctx, date, 1));
}
