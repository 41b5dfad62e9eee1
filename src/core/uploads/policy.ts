import { z } from "zod";
import { ApiError } from "../errors";
import type { UploadConfig } from "./config";

/** What an upload belongs to; each kind has its own table (see uploads.repo.ts). */
export const UPLOAD_KINDS = ["photo", "infographic"] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** Image types phones produce; anything else is refused with 415. */
export const ALLOWED_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"] as const;
export type AllowedContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/** What a client declares of a file before it gets an upload URL (checked by `checkUploadable`). */
export const declaredFileFields = {
  content_type: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe(`One of ${ALLOWED_CONTENT_TYPES.join(", ")} (anything else: 415)`),
  size: z
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .describe("Bytes the file will have (over the upload limit, default 15 MB: 413)"),
};

/** The upload columns of a row as a repository reads them (bigints may arrive as strings). */
interface UploadColumnsRow {
  content_type: string;
  declared_size: number | string;
  size_bytes: number | string | null;
  sha256: string | null;
  status: "pending" | "uploaded";
}

/** The upload columns of a row as its DTO shows them: the content type and the sizes as numbers. */
export function uploadColumns(row: UploadColumnsRow) {
  return {
    content_type: row.content_type as AllowedContentType,
    declared_size: Number(row.declared_size),
    size_bytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    status: row.status,
  };
}

/** The file an upload URL is for: its row is `(tenantId, id)` in the kind's table. */
export interface UploadTarget {
  kind: UploadKind;
  tenantId: string;
  id: string;
}

/** `t/<tenant_id>/<kind>/<id>`: one prefix per tenant, so a tenant's files can be listed or purged. */
export function objectKey(target: UploadTarget): string {
  return `t/${target.tenantId}/${target.kind}/${target.id}`;
}

/** The media type of a Content-Type value, lower-cased and without parameters. */
export function mediaType(contentType: string | undefined | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function isAllowedContentType(type: string): type is AllowedContentType {
  return (ALLOWED_CONTENT_TYPES as readonly string[]).includes(type);
}

/**
 * Checks what a client declares before any URL is handed out: the content type must be an allowed
 * image type (415 UNSUPPORTED_MEDIA_TYPE) and the size at most the limit (413 PAYLOAD_TOO_LARGE).
 * Returns the normalised content type to store and sign.
 */
export function checkUploadable(
  config: Pick<UploadConfig, "maxBytes">,
  declared: { contentType: string; size: number },
): AllowedContentType {
  const type = mediaType(declared.contentType);
  if (!isAllowedContentType(type)) {
    throw new ApiError(
      "UNSUPPORTED_MEDIA_TYPE",
      `content_type must be one of ${ALLOWED_CONTENT_TYPES.join(", ")}`,
      {
        details: [{ field: "content_type", message: `Unsupported type ${declared.contentType}` }],
      },
    );
  }
  if (declared.size > config.maxBytes) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `Files may be at most ${config.maxBytes} bytes`, {
      details: [{ field: "size", message: `At most ${config.maxBytes} bytes` }],
    });
  }
  return type;
}
