import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { unitVector } from "./checkin.service";
import { deleteFaces, identifyFace, insertFace, selectFaces } from "./faces.repo";
import { type EnrollFaceInput, MAX_FACES_PER_EMPLOYEE } from "./faces.schemas";

/** Enrols a face descriptor (consent checked by the body schema); one round trip. */
export async function enrollFace(ctx: TenantContext, employeeId: string, input: EnrollFaceInput) {
  const { row, refusal, dimension } = await insertFace(
    ctx,
    employeeId,
    unitVector(input.embedding),
    input.label ?? null,
  );
  if (row) return row;
  if (refusal === "dimension") {
    throw ApiError.validation("Invalid request body", [
      {
        field: "embedding",
        message: `Must have ${dimension} numbers (the tenant's face_embedding_dimension)`,
      },
    ]);
  }
  if (refusal === "limit") {
    throw ApiError.conflict(`At most ${MAX_FACES_PER_EMPLOYEE} face descriptors per employee`, [
      { field: "embedding", message: "Delete one first" },
    ]);
  }
  throw ApiError.notFound("Employee");
}

export async function listFaces(ctx: TenantContext, employeeId: string) {
  const rows = await selectFaces(ctx, employeeId);
  if (rows === null) throw ApiError.notFound("Employee");
  return rows;
}

/** Erases one descriptor or all of them (audited); one round trip. */
export async function eraseFaces(ctx: TenantContext, employeeId: string, embeddingId: string | null) {
  const deleted = await deleteFaces(ctx, employeeId, embeddingId);
  if (deleted === null) throw ApiError.notFound(embeddingId ? "Face embedding" : "Employee");
  return deleted;
}

/** Kiosk identification: the tenant's best match at or above its threshold, else 422. */
export async function identify(ctx: TenantContext, embedding: number[]) {
  const row = await identifyFace(ctx, unitVector(embedding));
  if (!row?.face_on) {
    throw new ApiError("VALIDATION_ERROR", "Face check-in is off for this tenant", {
      status: 422,
      details: [{ field: "embedding", message: "Turn on the tenant setting face_check_in first" }],
    });
  }
  if (row.employee_id === null || row.score === null || row.score < row.threshold) {
    throw new ApiError("VALIDATION_ERROR", "No matching employee", {
      status: 422,
      details: [
        {
          field: "embedding",
          message: !row.enrolled
            ? "No enrolled descriptor of this length"
            : row.score === null
              ? `No descriptor reaches the threshold ${row.threshold}`
              : `Best similarity ${row.score.toFixed(4)} is below the threshold ${row.threshold}`,
        },
      ],
    });
  }
  return {
    employee_id: row.employee_id,
    employee_code: row.employee_code ?? "",
    first_name: row.first_name ?? "",
    last_name: row.last_name ?? "",
    score: Math.round(row.score * 10_000) / 10_000,
    threshold: Number(row.threshold),
  };
}
