import type { Db } from "../db";
import { ApiError } from "../errors";
import { log } from "../logger";
import {
  ALLOWED_CONTENT_TYPES,
  isAllowedContentType,
  mediaType,
  objectKey,
  type UploadTarget,
} from "./policy";
import { type SignedGrant, verifyGrant } from "./signing";
import { markUploaded, type UploadAuditMeta, type UploadedFile } from "./uploads.repo";
import { type DownloadLink, downloadUrl, type UploadSite } from "./urls";

/** What the Worker's upload route received: the path, the query and the request itself. */
export interface IncomingUpload {
  target: UploadTarget;
  exp: number;
  sig: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: ReadableStream<Uint8Array> | null;
  meta: Omit<UploadAuditMeta, "via">;
}

const invalidUrl = () => ApiError.forbidden("This upload URL is invalid or has expired");

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Checks the URL: not expired, and signed for this kind, tenant, id, content type and size limit.
 * A signature that holds for another allowed type means the client sent the wrong Content-Type
 * (415); anything else is a bad or tampered URL (403). Returns the content type to store.
 */
async function verifyUploadUrl(site: UploadSite, upload: IncomingUpload, now: number): Promise<string> {
  if (!Number.isSafeInteger(upload.exp) || upload.exp * 1000 < now) throw invalidUrl();
  const grant = (contentType: string): SignedGrant => ({
    ...upload.target,
    method: "PUT",
    contentType,
    maxBytes: site.config.maxBytes,
    expires: upload.exp,
  });
  const secret = site.config.signingSecret;
  const type = mediaType(upload.contentType);
  if (isAllowedContentType(type) && (await verifyGrant(secret, grant(type), upload.sig))) return type;
  for (const other of ALLOWED_CONTENT_TYPES) {
    if (other !== type && (await verifyGrant(secret, grant(other), upload.sig))) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", `This upload URL expects Content-Type ${other}`);
    }
  }
  throw invalidUrl();
}

class TooLarge extends Error {}
class ShortBody extends Error {}

/**
 * Streams the body into R2 under the target's key without holding it in memory: the bytes flow
 * through a TransformStream that counts them (erroring past the limit) and feeds a
 * `crypto.DigestStream` (WebCrypto has no incremental SHA-256), into a FixedLengthStream, since
 * an R2 put needs a stream of known length. If anything fails, whatever R2 may hold is deleted.
 */
async function streamIntoR2(
  site: UploadSite,
  key: string,
  contentType: string,
  length: number,
  body: ReadableStream<Uint8Array>,
): Promise<UploadedFile> {
  const limit = site.config.maxBytes;
  const digest = new crypto.DigestStream("SHA-256");
  const hashed = digest.digest;
  // Rejects when the upload is aborted; awaited only on success.
  hashed.catch(() => {});
  const hasher = digest.getWriter();
  let received = 0;
  const meter = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > limit) throw new TooLarge();
      await hasher.write(chunk);
      controller.enqueue(chunk);
    },
    async flush() {
      // Abort (rather than close) the R2 write when the body ends short of its Content-Length.
      if (received !== length) throw new ShortBody();
      await hasher.close();
    },
  });
  const fixed = new FixedLengthStream(length);
  const piped = body.pipeThrough(meter).pipeTo(fixed.writable);
  const stored = site.bucket.put(key, fixed.readable, { httpMetadata: { contentType } });
  const [pipe, put] = await Promise.allSettled([piped, stored]);
  if (pipe.status === "rejected" || put.status === "rejected") {
    await hasher.abort().catch(() => {});
    await site.bucket.delete(key).catch(() => {});
    const reason =
      pipe.status === "rejected" ? pipe.reason : put.status === "rejected" ? put.reason : undefined;
    if (reason instanceof TooLarge || received > limit) {
      throw new ApiError("PAYLOAD_TOO_LARGE", `Files may be at most ${limit} bytes`);
    }
    if (received !== length) {
      throw ApiError.validation("The body ended before Content-Length bytes arrived", [
        { field: "Content-Length", message: `Declared ${length}, received ${received}` },
      ]);
    }
    throw reason;
  }
  return { sizeBytes: received, sha256: hex(await hashed) };
}

/**
 * `PUT /api/uploads/<kind>/<tenant>/<id>` (mode b): verifies the signed URL, streams the body into
 * R2 and marks the row uploaded with the actual size and SHA-256 (one database round trip, with
 * its audit row). Refusals: bad, tampered or expired URL 403; another content type than the one
 * signed 415; more bytes than the limit 413 (checked on Content-Length before reading, and on the
 * bytes themselves), with nothing kept in R2. Uploading again within the URL's lifetime replaces
 * the file (a retry after a lost response succeeds).
 */
export async function receiveUpload(
  site: UploadSite,
  db: Db,
  upload: IncomingUpload,
  now: number = Date.now(),
): Promise<{ id: string; size_bytes: number; sha256: string }> {
  const contentType = await verifyUploadUrl(site, upload, now);
  const declared = upload.contentLength;
  if (declared === undefined || !/^\d{1,16}$/.test(declared)) {
    throw ApiError.validation("Content-Length is required: send the file as the body", [
      { field: "Content-Length", message: "Required" },
    ]);
  }
  const length = Number(declared);
  if (length > site.config.maxBytes) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `Files may be at most ${site.config.maxBytes} bytes`);
  }
  if (length === 0 || !upload.body) {
    throw ApiError.validation("The body is empty", [{ field: "body", message: "Send the file's bytes" }]);
  }
  const key = objectKey(upload.target);
  const file = await streamIntoR2(site, key, contentType, length, upload.body);
  let marked: string | undefined;
  try {
    marked = await markUploaded(db, upload.target, file, { ...upload.meta, via: "worker" });
  } catch (err) {
    await site.bucket.delete(key).catch(() => {});
    throw err;
  }
  if (!marked) {
    // A valid signature for a row that is gone (deleted meanwhile): keep no orphan bytes.
    await site.bucket.delete(key).catch(() => {});
    throw ApiError.notFound("Upload");
  }
  return { id: upload.target.id, size_bytes: file.sizeBytes, sha256: file.sha256 };
}

/** Whether a download URL (mode b) is genuine and unexpired. */
export async function verifyDownloadUrl(
  site: UploadSite,
  target: UploadTarget,
  exp: number,
  sig: string,
  now: number = Date.now(),
): Promise<void> {
  if (!Number.isSafeInteger(exp) || exp * 1000 < now) throw invalidUrl();
  const ok = await verifyGrant(site.config.signingSecret, { ...target, method: "GET", expires: exp }, sig);
  if (!ok) throw invalidUrl();
}

/**
 * `GET /api/uploads/<kind>/<tenant>/<id>` (mode b): the stored object as a streamed response with
 * its stored content type, after `verifyDownloadUrl`. 404 when nothing was uploaded.
 */
export async function openDownload(
  site: UploadSite,
  target: UploadTarget,
  exp: number,
  sig: string,
  now: number = Date.now(),
): Promise<Response> {
  await verifyDownloadUrl(site, target, exp, sig, now);
  const object = await site.bucket.get(objectKey(target));
  if (!object) throw ApiError.notFound("File");
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("content-length", String(object.size));
  headers.set("etag", object.httpEtag);
  headers.set("cache-control", `private, max-age=${Math.max(0, exp - Math.floor(now / 1000))}`);
  headers.set("x-content-type-options", "nosniff");
  return new Response(object.body, { status: 200, headers });
}

/**
 * Mode (a): R2 does not tell the Worker when a presigned upload lands. This checks R2 for the
 * object of a pending row and, when it is there, streams it once through SHA-256 and marks the
 * row uploaded (size from R2, hash computed here). An object over the limit is deleted and the row
 * stays pending. Returns the recorded file, or undefined when nothing (valid) was uploaded yet.
 * Idempotent; also usable from an R2 event-notification consumer.
 */
export async function confirmUpload(
  site: UploadSite,
  db: Db,
  target: UploadTarget,
  meta: Omit<UploadAuditMeta, "via">,
): Promise<(UploadedFile & { uploadedAt: string }) | undefined> {
  const key = objectKey(target);
  const object = await site.bucket.get(key);
  if (!object) return undefined;
  if (object.size > site.config.maxBytes) {
    await object.body.cancel().catch(() => {});
    await site.bucket.delete(key);
    log("warn", "oversize upload deleted", { key, size: object.size });
    return undefined;
  }
  const digest = new crypto.DigestStream("SHA-256");
  await object.body.pipeTo(digest);
  const file = { sizeBytes: object.size, sha256: hex(await digest.digest) };
  const uploadedAt = await markUploaded(
    db,
    target,
    file,
    { ...meta, via: "r2_presigned" },
    { onlyPending: true },
  );
  // Marked meanwhile by a concurrent confirmation: R2's own time is as good.
  return { ...file, uploadedAt: uploadedAt ?? object.uploaded.toISOString() };
}

/** The upload columns of a registered file as its DTO carries them. */
interface StoredFile {
  status: "pending" | "uploaded";
  size_bytes: number | null;
  sha256: string | null;
  uploaded_at: string | null;
}

/**
 * A registered file as a reader gets it: in mode (a) a pending one is first confirmed against R2
 * (R2 does not call back; one more round trip while it is pending), then an uploaded one comes
 * with a short-lived `download` URL (null while pending). Hand it only to callers allowed to see
 * the row.
 */
export async function readableFile<F extends StoredFile>(
  site: UploadSite,
  reader: { db: Db } & Omit<UploadAuditMeta, "via">,
  target: UploadTarget,
  file: F,
): Promise<F & { download: DownloadLink | null }> {
  let current = file;
  if (file.status === "pending" && site.config.r2) {
    const { db, requestId, ip, userAgent } = reader;
    const confirmed = await confirmUpload(site, db, target, { requestId, ip, userAgent });
    if (confirmed) {
      current = {
        ...file,
        status: "uploaded",
        size_bytes: confirmed.sizeBytes,
        sha256: confirmed.sha256,
        uploaded_at: confirmed.uploadedAt,
      };
    }
  }
  const download = current.status === "uploaded" ? await downloadUrl(site, target) : null;
  return { ...current, download };
}
