import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { log } from "../logger";

function envelope(requestId: string, err: ApiError) {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details?.length ? { details: err.details } : {}),
    },
    request_id: requestId,
  };
}

/** Maps Hono's own exceptions (malformed JSON from the validator, ...) onto the error codes. */
function fromHttpException(err: HTTPException): ApiError {
  switch (err.status) {
    case 400:
      return ApiError.validation(err.message || "Bad request");
    case 401:
      return ApiError.unauthenticated(err.message || undefined);
    case 413:
      return new ApiError("PAYLOAD_TOO_LARGE", "Request body is too large");
    case 415:
      // @hono/zod-openapi's own media-type gate (route() puts a stricter guard before it).
      return new ApiError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    default:
      return new ApiError(err.status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR", err.message, {
        status: err.status >= 500 ? 500 : 400,
      });
  }
}

/**
 * What an unexpected error looks like in the log: the database's own error (SQLSTATE, message,
 * constraint) when there is one, and the query text without its parameters — parameters can hold
 * emails and password hashes, which never belong in a log.
 */
function describeError(err: unknown): Record<string, unknown> | string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as
    | { code?: unknown; message?: unknown; constraint?: unknown; detail?: unknown }
    | undefined;
  return {
    name: err.name,
    message: err.message.split("\nparams:")[0]?.slice(0, 4000),
    ...(cause && typeof cause.code === "string"
      ? { db: { code: cause.code, message: cause.message, constraint: cause.constraint } }
      : {}),
    stack: err.stack
      ?.split("\n")
      .filter((line) => line.trimStart().startsWith("at "))
      .slice(0, 8)
      .join("\n"),
  };
}

/**
 * The single place errors become responses: ApiError as the envelope, anything unexpected as a
 * bare INTERNAL_ERROR. Stacks, SQL and driver messages go to the log, never to the client.
 */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const requestId = c.get("requestId") ?? "unknown";
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err instanceof HTTPException) apiError = fromHttpException(err);
  else {
    log("error", "unhandled error", { request_id: requestId, path: c.req.path, error: describeError(err) });
    apiError = new ApiError("INTERNAL_ERROR", "An unexpected error occurred");
  }
  for (const [name, value] of Object.entries(apiError.headers ?? {})) c.header(name, value);
  return c.json(envelope(requestId, apiError), apiError.status);
};

export const notFound: NotFoundHandler<AppEnv> = (c) => {
  const err = new ApiError("RESOURCE_NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`);
  return c.json(envelope(c.get("requestId") ?? "unknown", err), 404);
};
