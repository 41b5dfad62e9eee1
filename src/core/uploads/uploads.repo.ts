import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db";
import { uuidv7 } from "../ids";
import type { UploadKind, UploadTarget } from "./policy";

/** The table and audit entity type of each upload kind. Both tables share the upload columns. */
const KIND_TABLES: Record<UploadKind, { table: SQL; entityType: string }> = {
  photo: { table: sql.raw("photos"), entityType: "photo" },
  infographic: { table: sql.raw("brand_infographics"), entityType: "brand_infographic" },
};

export interface UploadedFile {
  sizeBytes: number;
  sha256: string;
}

export interface UploadAuditMeta {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** How the bytes arrived: through the Worker or straight to R2 with a presigned URL. */
  via: "worker" | "r2_presigned";
}

/**
 * Marks a row uploaded (status, size_bytes, sha256, uploaded_at) and writes its audit row, in one
 * statement: the audit row exists only if the row did. The actor is the row's creator (an upload
 * URL carries no token; its signature was issued to them). With `onlyPending`, a row already
 * marked is left alone (confirming twice changes nothing). Returns the recorded `uploaded_at`
 * (RFC 3339), or undefined when no row was marked.
 */
export async function markUploaded(
  db: Db,
  target: UploadTarget,
  file: UploadedFile,
  meta: UploadAuditMeta,
  options: { onlyPending?: boolean } = {},
): Promise<string | undefined> {
  const { table, entityType } = KIND_TABLES[target.kind];
  const result = await db.execute<{ uploaded_at: string }>(sql`
    with marked as (
      update ${table}
      set status = 'uploaded', size_bytes = ${file.sizeBytes}, sha256 = ${file.sha256},
          uploaded_at = now(), updated_at = now()
      where tenant_id = ${target.tenantId} and id = ${target.id}
        ${options.onlyPending ? sql`and status = 'pending'` : sql``}
      returning tenant_id, id, created_by, size_bytes, sha256, uploaded_at
    ), audited as (
      insert into audit_logs
        (tenant_id, id, actor_id, action, entity_type, entity_id, old_values, new_values, ip, user_agent, request_id)
      select tenant_id, ${uuidv7()}, created_by, ${`${entityType}.upload`}, ${entityType}, id::text, null,
        jsonb_build_object('size_bytes', size_bytes, 'sha256', sha256, 'via', ${meta.via}::text),
        ${meta.ip}::inet, ${meta.userAgent}, ${meta.requestId}
      from marked
      returning 1
    )
    select to_char(uploaded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as uploaded_at from marked`);
  return result.rows[0]?.uploaded_at;
}
