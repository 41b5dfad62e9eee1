import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

/** File uploads (`/api/uploads/...`, also under /api/v1 and /api/v2) stream into R2, enforce their own size limit and are served cross-origin. */
const UPLOAD_PATH = /^\/api(?:\/v[12])?\/uploads\//;

const strictHeaders = (crossOriginResourcePolicy: "same-site" | "cross-origin") =>
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    crossOriginResourcePolicy,
  });
const dataHeaders = strictHeaders("same-site");
/** Signed file URLs are handed to web apps on other origins (`<img src>`), so files may cross origins. */
const fileHeaders = strictHeaders("cross-origin");

/** API responses are data, never documents: the strictest headers (the /docs page sets its own CSP). */
export const apiSecurityHeaders = createMiddleware<AppEnv>((c, next) =>
  (UPLOAD_PATH.test(c.req.path) ? fileHeaders : dataHeaders)(c, next),
);

/**
 * CORS from CORS_ORIGINS (comma-separated; "*" allows any origin without credentials). An empty
 * list means same-origin only: no CORS headers at all.
 */
export const corsFromConfig = createMiddleware<AppEnv>(async (c, next) => {
  const origins = c.get("config").CORS_ORIGINS;
  if (origins.length === 0) return next();
  const allowAll = origins.includes("*");
  return cors({
    origin: allowAll ? "*" : origins,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: [
      "Authorization",
      "Content-Type",
      "Idempotency-Key",
      "If-Match",
      "If-None-Match",
      "X-Request-Id",
      "X-Tenant-ID",
      "X-Organization-Id",
    ],
    exposeHeaders: [
      "X-Request-Id",
      "ETag",
      "Retry-After",
      "Server-Timing",
      "Location",
      "Idempotent-Replayed",
    ],
    maxAge: 600,
    credentials: !allowAll,
  })(c, next);
});

/**
 * Rejects bodies over MAX_BODY_BYTES with 413 before they are read whole. The signed upload route
 * is exempt: it streams the body into R2 and enforces MAX_UPLOAD_BYTES itself.
 */
export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  if (UPLOAD_PATH.test(c.req.path)) return next();
  return bodyLimit({
    maxSize: c.get("config").MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `Request body exceeds ${c.get("config").MAX_BODY_BYTES} bytes`);
    },
  })(c, next);
});
