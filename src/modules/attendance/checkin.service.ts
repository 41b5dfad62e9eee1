import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { pgErrorOf, UNIQUE_VIOLATION } from "../../core/pg-errors";
import { checkInStatement, checkOutStatement, type Punch, type PunchOutcome } from "./checkin.repo";
import type { AttendanceRecordDto, PunchInput } from "./records.schemas";

/** Devices' clocks drift: a `taken_at` up to this far ahead of the server is "now", not the future. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** A descriptor scaled to unit length, so the stored cosine is a dot product; a zero vector is refused. */
export function unitVector(values: readonly number[], field = "embedding"): number[] {
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw ApiError.validation("Invalid face descriptor", [{ field, message: "Must not be all zeros" }]);
  }
  return values.map((v) => v / norm);
}

/** The body as a punch: a kiosk names the employee, anyone else punches for themselves. */
function punchOf(ctx: TenantContext, input: PunchInput): Punch {
  if (input.employee_id !== undefined && !ctx.permissions.has("attendance:kiosk")) {
    throw ApiError.forbidden("Only a kiosk (attendance:kiosk) may punch for another employee");
  }
  if (input.taken_at !== undefined && Date.parse(input.taken_at) > Date.now() + CLOCK_SKEW_MS) {
    throw ApiError.validation("Invalid request body", [
      { field: "taken_at", message: "Must not be in the future" },
    ]);
  }
  return {
    employeeId: input.employee_id ?? null,
    vector: input.embedding ? unitVector(input.embedding) : null,
    lat: input.lat,
    lng: input.lng,
    accuracyM: input.accuracy_m ?? null,
    clientId: input.client_id,
    takenAt: input.taken_at ?? null,
  };
}

const unprocessable = (message: string, field: string, detail: string) =>
  new ApiError("VALIDATION_ERROR", message, { status: 422, details: [{ field, message: detail }] });

/** A refused punch as the API's error (nothing was written). */
function refusalError(o: PunchOutcome, input: PunchInput): ApiError {
  switch (o.refusal) {
    case "employee":
      return input.employee_id === undefined
        ? unprocessable(
            "You are not an employee of this tenant",
            "employee_id",
            "No employee record is linked to your user",
          )
        : ApiError.notFound("Employee");
    case "too_old":
      return unprocessable(
        "Too old to record",
        "taken_at",
        `Offline punches are accepted up to ${o.offlineHours} hours late`,
      );
    case "face_required":
      return ApiError.validation("Invalid request body", [
        { field: "embedding", message: "Required: this tenant checks faces" },
      ]);
    case "face_dimension":
      return ApiError.validation("Invalid request body", [
        {
          field: "embedding",
          message: `Must have ${o.dimension} numbers (the tenant's face_embedding_dimension)`,
        },
      ]);
    case "face_not_enrolled":
      return unprocessable("No face enrolled", "embedding", "The employee has no enrolled face descriptor");
    case "face_mismatch":
      return unprocessable(
        "Face does not match",
        "embedding",
        `Similarity ${(o.faceScore ?? 0).toFixed(4)} is below the threshold ${o.threshold}`,
      );
    case "outside_geofence":
      return unprocessable(
        "Outside every work location",
        "lat",
        o.distanceM === null
          ? "The employee has no work location"
          : `${o.distanceM.toFixed(1)} m from the nearest work location (radius ${o.radiusM} m)`,
      );
    case "no_open_check_in":
      return ApiError.conflict("Not checked in", [
        { field: "client_id", message: "There is no open check-in to close" },
      ]);
    case "already_checked_in":
      return ApiError.conflict("Already checked in for this day", [
        { field: "client_id", message: "Another check-in exists for this working day" },
      ]);
    default:
      throw new Error("punch statement returned neither a record nor a refusal");
  }
}

async function punch(
  ctx: TenantContext,
  input: PunchInput,
  statement: (ctx: TenantContext, p: Punch) => Promise<PunchOutcome>,
): Promise<{ record: AttendanceRecordDto; created: boolean }> {
  const p = punchOf(ctx, input);
  const o = await statement(ctx, p).catch(async (err: unknown) => {
    // A concurrent resend won the insert: run again, it now finds the record as a replay.
    if (pgErrorOf(err)?.code === UNIQUE_VIOLATION) return statement(ctx, p);
    throw err;
  });
  if (o.replay) return { record: o.replay, created: false };
  if (o.row) return { record: o.row, created: true };
  throw refusalError(o, input);
}

/** `POST /api/attendance/check-in` (one round trip). */
export function checkIn(ctx: TenantContext, input: PunchInput) {
  return punch(ctx, input, checkInStatement);
}

/** `POST /api/attendance/check-out` (one round trip). */
export function checkOut(ctx: TenantContext, input: PunchInput) {
  return punch(ctx, input, checkOutStatement);
}
