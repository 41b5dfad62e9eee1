/**
 * The upload flow shared by photos and brand infographics (DESIGN §4 "photos in R2"). Files go
 * from the phone straight to R2; the API only registers them and hands out short-lived URLs.
 *
 * A module that stores files (its table has the upload columns: object_key, content_type,
 * declared_size, size_bytes, sha256, status 'pending'|'uploaded', uploaded_at, created_by):
 *
 * ```ts
 * // route: build the site from the request, pass it to the service
 * const site = uploadSite(c);
 * // service, registering (before the insert; throws 415 / 413):
 * const contentType = checkUploadable(site.config, { contentType: input.content_type, size: input.size });
 * const target = { kind: "infographic", tenantId: ctx.tenantId, id } as const;
 * // insert the row with object_key = objectKey(target), content_type = contentType,
 * // declared_size = input.size, status 'pending', then answer:
 * const upload = await uploadInstructions(site, { ...target, contentType, size: input.size });
 * // reading a row: its DTO with `download` (a pending one is first confirmed against R2 in mode a):
 * const file = await readableFile(site, ctx, target, dto);
 * ```
 *
 * The phone sends `fetch(upload.url, { method: "PUT", headers: upload.headers, body: file })`.
 * In mode (b) the Worker's `/api/uploads` route verifies the signature, streams the bytes into R2,
 * and marks the row (status 'uploaded', size_bytes, sha256, uploaded_at) with an audit row whose
 * actor is the row's created_by. In mode (a) (R2 credentials configured) the phone talks to R2
 * directly and `confirmUpload(site, db, target, meta)` marks the row once the object is there.
 * A new kind needs an entry in UPLOAD_KINDS and in uploads.repo.ts's KIND_TABLES.
 */
export {
  ALLOWED_CONTENT_TYPES,
  checkUploadable,
  declaredFileFields,
  objectKey,
  UPLOAD_KINDS,
  type UploadTarget,
  uploadColumns,
} from "./policy";
export { openDownload, readableFile, receiveUpload } from "./uploads.service";
export {
  downloadUrl,
  type UploadSite,
  uploadInstructions,
  uploadSite,
} from "./urls";
