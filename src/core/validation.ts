import type { Hook } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import type { AppEnv } from "./context";
import { ApiError, type ErrorDetail } from "./errors";

/**
 * Request validation in the API's terms: zod failures become the one error envelope (400 with
 * per-field details) and a JSON route refuses any other content type (415). `route()` wires both.
 */

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * Refuses a body that is not JSON with 415 before the validator runs (the library would skip
 * validation of a non-JSON body that is not `required`). With `optional`, a request carrying no
 * body and no content type at all is let through; the validator then sees `{}`.
 */
export function jsonContentType(optional = false): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
    const length = c.req.header("content-length");
    const bodyless = (!length || length === "0") && !c.req.header("transfer-encoding");
    if (optional && !type && bodyless) return next();
    if (!JSON_MEDIA.test(type)) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    }
    return next();
  });
}

/** zod issues → `[{field, message}]` with dotted paths (`items.0.qty`). */
export function zodDetails(error: z.core.$ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: base ? `${base}.${key}` : key,
        message: "Unknown field",
      }));
    }
    return [{ field: base || "(root)", message: issue.message }];
  });
}

/** Every validation failure becomes the one error envelope (thrown, rendered by `onError`). */
export const validationHook: Hook<unknown, AppEnv, string, undefined> = (result) => {
  if (!result.success) {
    const where = result.target === "json" ? "body" : result.target === "param" ? "path" : result.target;
    throw ApiError.validation(`Invalid request ${where}`, zodDetails(result.error));
  }
  return undefined;
};
