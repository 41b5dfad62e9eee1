import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { describe } from "../../core/openapi";
import { openDownload, receiveUpload, uploadSite } from "../../core/uploads";
import { validate } from "../../core/validation";
import { signedUrlQuery, uploadParams, uploadReceiptResponse } from "./photos.schemas";

/**
 * The Worker's own signed file URLs (used when no R2 S3 credentials are configured). No token:
 * the URL's signature is the credential, issued by `POST /api/photos` (and infographics) or by a
 * photo's GET. The global body limit skips this path; the upload enforces MAX_UPLOAD_BYTES itself.
 */
export const uploadRoutes = new Hono<AppEnv>()
  .put(
    "/:kind/:tenant_id/:id",
    describe({
      summary: "Upload a file's bytes (signed URL)",
      description:
        "The `upload.url` handed out when a photo or infographic is registered, while no R2 S3 credentials are configured. The body is the raw file (not JSON), with the registered Content-Type and a Content-Length; it is streamed into R2, never held whole in memory. Bad, tampered or expired signature: 403. Another Content-Type than the registered one: 415. More bytes than the upload limit: 413, and nothing is kept. Records the actual size and SHA-256 and marks the file uploaded. Uploading again before the URL expires replaces the file.",
      tags: ["uploads"],
      auth: false,
      responses: { 200: { description: "Stored", schema: uploadReceiptResponse } },
      errors: ["AUTHORIZATION_ERROR", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
    }),
    validate("param", uploadParams),
    validate("query", signedUrlQuery),
    async (c) => {
      const { kind, tenant_id, id } = c.req.valid("param");
      const { exp, sig } = c.req.valid("query");
      const receipt = await receiveUpload(uploadSite(c), c.get("db"), {
        target: { kind, tenantId: tenant_id, id },
        exp,
        sig,
        contentType: c.req.header("content-type"),
        contentLength: c.req.header("content-length"),
        body: c.req.raw.body,
        meta: {
          requestId: c.get("requestId"),
          ip: c.req.header("cf-connecting-ip") ?? null,
          userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
        },
      });
      return c.json({ data: receipt });
    },
  )
  .get(
    "/:kind/:tenant_id/:id",
    describe({
      summary: "Download a file (signed URL)",
      description:
        "The `download.url` of an uploaded photo or infographic, while no R2 S3 credentials are configured: the file streamed from R2 with its stored content type. Bad, tampered or expired signature: 403.",
      tags: ["uploads"],
      auth: false,
      responses: { 200: { description: "The file's bytes" } },
      errors: ["AUTHORIZATION_ERROR"],
    }),
    validate("param", uploadParams),
    validate("query", signedUrlQuery),
    async (c) => {
      const { kind, tenant_id, id } = c.req.valid("param");
      const { exp, sig } = c.req.valid("query");
      return openDownload(uploadSite(c), { kind, tenantId: tenant_id, id }, exp, sig);
    },
  );
