import { zValidator } from "@hono/zod-validator";
import type { MiddlewareHandler } from "hono";
import type { ZodType, z } from "zod";
import type { AppEnv } from "./context";
import { ApiError, type ErrorDetail } from "./errors";

/** Marks a validator so the OpenAPI builder knows which schema a route accepts where. */
export const VALIDATION_SPEC = Symbol("validation-spec");

export type ValidationTarget = "json" | "query" | "param" | "header";

export interface ValidationSpec {
  target: ValidationTarget;
  schema: ZodType;
}

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

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

/**
 * `@hono/zod-validator` with the API's error envelope. For JSON bodies it first insists on a JSON
 * content type (415) so a form post can never slip through as an empty object. The schema is
 * attached to the middleware so `/api/openapi.json` documents exactly what is validated.
 */
type ValidatedInput<T extends ValidationTarget, S extends ZodType> = {
  in: { [K in T]: z.input<S> };
  out: { [K in T]: z.output<S> };
};

export type ValidatorMiddleware<T extends ValidationTarget, S extends ZodType> = MiddlewareHandler<
  AppEnv,
  string,
  ValidatedInput<T, S>
> & { [VALIDATION_SPEC]: ValidationSpec };

export interface ValidateOptions {
  /** JSON bodies only: a request with no body at all validates `{}` (credentials may come in a header). */
  optionalBody?: boolean;
}

export function validate<T extends ValidationTarget, S extends ZodType>(
  target: T,
  schema: S,
  options: ValidateOptions = {},
): ValidatorMiddleware<T, S> {
  const inner = zValidator(target, schema, (result) => {
    if (!result.success) {
      const where = target === "json" ? "body" : target === "param" ? "path" : target;
      throw ApiError.validation(`Invalid request ${where}`, zodDetails(result.error));
    }
  }) as unknown as MiddlewareHandler<AppEnv>;
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (target === "json") {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
      const bodyless = !c.req.header("content-length") || c.req.header("content-length") === "0";
      if (options.optionalBody && !type && bodyless && !c.req.header("transfer-encoding")) {
        const parsed = schema.safeParse({});
        if (!parsed.success) throw ApiError.validation("Invalid request body", zodDetails(parsed.error));
        c.req.addValidatedData("json", parsed.data as object);
        return next();
      }
      if (!JSON_MEDIA.test(type)) {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
      }
    }
    return inner(c, next);
  };
  const spec: ValidationSpec = { target, schema };
  return Object.assign(middleware, { [VALIDATION_SPEC]: spec }) as ValidatorMiddleware<T, S>;
}
