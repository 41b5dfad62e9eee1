import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import { openDownload, receiveUpload, uploadSite } from "../../core/uploads";
import { signedUrlQuery, uploadParams, uploadReceiptResponse } from "./photos.schemas";

const BAD_SIGNATURE = "Bad, tampered or expired signature (AUTHORIZATION_ERROR)";

/**
 * The Worker's own signed file URLs (used when no R2 S3 credentials are configured). No token:
 * the URL's signature is the credential, issued by `POST /api/photos` (and infographics) or by a
 * photo's GET. The global body limit skips this path; the upload enforces MAX_UPLOAD_BYTES itself.
 */
export const uploadRoutes = apiRouter()
  .openapi(
    route({
      method: "put",
      path: "/{kind}/{tenant_id}/{id}",
      summary: "Upload a file's bytes (signed URL)",
      description:
        "The `upload.url` handed out when a photo or infographic is registered, while no R2 S3 credentials are configured. The body is the raw file (not JSON), with the registered Content-Type and a Content-Length; it is streamed into R2, never held whole in memory. Bad, tampered or expired signature: 403. Another Content-Type than the registered one: 415. More bytes than the upload limit: 413, and nothing is kept. Records the actual size and SHA-256 and marks the file uploaded. Uploading again before the URL expires replaces the file.",
      tags: ["uploads"],
      params: uploadParams,
      query: signedUrlQuery,
      responses: { 200: jsonResponse(uploadReceiptResponse, "Stored") },
      errors: {
        403: BAD_SIGNATURE,
        404: "Upload not found",
        413: "More bytes than the upload limit (PAYLOAD_TOO_LARGE); nothing is kept",
        415: "Another Content-Type than the registered one (UNSUPPORTED_MEDIA_TYPE)",
      },
    }),
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
      return c.json({ data: receipt }, 200);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/{kind}/{tenant_id}/{id}",
      summary: "Download a file (signed URL)",
      description:
        "The `download.url` of an uploaded photo or infographic, while no R2 S3 credentials are configured: the file streamed from R2 with its stored content type. Bad, tampered or expired signature: 403.",
      tags: ["uploads"],
      params: uploadParams,
      query: signedUrlQuery,
      responses: { 200: emptyResponse("The file's bytes") },
      errors: { 403: BAD_SIGNATURE, 404: "File not found" },
    }),
    async (c) => {
      const { kind, tenant_id, id } = c.req.valid("param");
      const { exp, sig } = c.req.valid("query");
      return openDownload(uploadSite(c), { kind, tenantId: tenant_id, id }, exp, sig);
    },
  );
