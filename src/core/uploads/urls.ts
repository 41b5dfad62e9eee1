import { AwsClient } from "aws4fetch";
import type { AppContext } from "../context";
import { loadUploadConfig, type R2Credentials, type UploadConfig } from "./config";
import { type AllowedContentType, objectKey, type UploadTarget } from "./policy";
import { signGrant } from "./signing";

/** Where the Worker serves its own signed upload and download URLs (mode b). */
export const UPLOADS_PATH = "/api/uploads";

/**
 * Everything the upload flow needs from the request: the settings, the bucket bound as FILES and
 * the origin absolute URLs are built on. Build it in the route with `uploadSite(c)` and hand it
 * to the service.
 */
export interface UploadSite {
  config: UploadConfig;
  bucket: R2Bucket;
  /** e.g. `https://api.example.com`: the Worker URLs point back at the host the client called. */
  origin: string;
}

export function uploadSite(c: AppContext): UploadSite {
  return {
    config: loadUploadConfig(c.env, c.get("config")),
    bucket: c.env.FILES,
    origin: new URL(c.req.url).origin,
  };
}

/** How the phone sends the bytes: `fetch(url, { method, headers, body: file })`. */
export interface UploadInstructions {
  url: string;
  method: "PUT";
  /** Send exactly these headers (the signature covers them). */
  headers: Record<string, string>;
  /** RFC 3339; ask for fresh instructions (resend the registration) after this. */
  expires_at: string;
}

export interface DownloadLink {
  url: string;
  expires_at: string;
}

function expiry(config: UploadConfig, now: number): { unix: number; iso: string } {
  const unix = Math.floor(now / 1000) + config.ttlSeconds;
  return { unix, iso: new Date(unix * 1000).toISOString() };
}

function workerPath(target: UploadTarget): string {
  return `${UPLOADS_PATH}/${target.kind}/${target.tenantId}/${target.id}`;
}

/** A SigV4 query-signed URL on R2's S3 endpoint (path style: `/<bucket>/<key>`). */
async function presign(
  r2: R2Credentials,
  target: UploadTarget,
  method: "PUT" | "GET",
  ttlSeconds: number,
  headers: Record<string, string>,
): Promise<string> {
  const client = new AwsClient({
    accessKeyId: r2.accessKeyId,
    secretAccessKey: r2.secretAccessKey,
    service: "s3",
    region: "auto",
  });
  const url = new URL(`https://${r2.accountId}.r2.cloudflarestorage.com/${r2.bucket}/${objectKey(target)}`);
  url.searchParams.set("X-Amz-Expires", String(ttlSeconds));
  // allHeaders: sign content-type and content-length too (aws4fetch leaves them out by default),
  // so R2 refuses an upload with another type or size.
  const signed = await client.sign(url.toString(), {
    method,
    headers,
    aws: { signQuery: true, allHeaders: true },
  });
  return signed.url;
}

/**
 * Short-lived instructions for uploading one file, after `checkUploadable` passed.
 *
 * - Mode (a), R2 S3 credentials configured: an R2 presigned PUT whose signature covers the
 *   content type and the declared size (R2 itself refuses anything else). R2 does not call back:
 *   the row is marked uploaded by `confirmUpload` (the photo's GET does it lazily).
 * - Mode (b), otherwise: `PUT /api/uploads/<kind>/<tenant>/<id>?exp=&sig=` on this Worker, HMAC-signed
 *   over kind, tenant, id, content type, size limit and expiry; the Worker streams the body into
 *   R2, enforces the limit on the actual bytes, records size and SHA-256 and marks the row.
 */
export async function uploadInstructions(
  site: UploadSite,
  file: UploadTarget & { contentType: AllowedContentType; size: number },
  now: number = Date.now(),
): Promise<UploadInstructions> {
  const { config } = site;
  const exp = expiry(config, now);
  const target = { kind: file.kind, tenantId: file.tenantId, id: file.id };
  if (config.r2) {
    const headers = { "content-type": file.contentType, "content-length": String(file.size) };
    const url = await presign(config.r2, target, "PUT", config.ttlSeconds, headers);
    return { url, method: "PUT", headers, expires_at: exp.iso };
  }
  const sig = await signGrant(config.signingSecret, {
    ...target,
    method: "PUT",
    contentType: file.contentType,
    maxBytes: config.maxBytes,
    expires: exp.unix,
  });
  const url = `${site.origin}${workerPath(target)}?exp=${exp.unix}&sig=${sig}`;
  return { url, method: "PUT", headers: { "content-type": file.contentType }, expires_at: exp.iso };
}

/**
 * A short-lived signed GET for an uploaded file: an R2 presigned GET in mode (a), otherwise
 * `GET /api/uploads/<kind>/<tenant>/<id>?exp=&sig=`, which streams the object from R2 with its
 * stored content type. Anyone holding the URL can read the file until it expires: hand it only
 * to callers allowed to see the row.
 */
export async function downloadUrl(
  site: UploadSite,
  target: UploadTarget,
  now: number = Date.now(),
): Promise<DownloadLink> {
  const { config } = site;
  const exp = expiry(config, now);
  const plain = { kind: target.kind, tenantId: target.tenantId, id: target.id };
  if (config.r2) {
    return { url: await presign(config.r2, plain, "GET", config.ttlSeconds, {}), expires_at: exp.iso };
  }
  const sig = await signGrant(config.signingSecret, { ...plain, method: "GET", expires: exp.unix });
  return { url: `${site.origin}${workerPath(plain)}?exp=${exp.unix}&sig=${sig}`, expires_at: exp.iso };
}
