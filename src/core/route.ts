import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ZodObject, ZodPipe, ZodType } from "zod";
import type { AppEnv } from "./context";
import { authenticate, requirePermission } from "./middleware/auth";
import { idempotency } from "./middleware/idempotency";
import { errorEnvelopeSchema } from "./openapi";
import { jsonContentType, validationHook } from "./validation";

/**
 * One way to declare a route (DESIGN §3, issue 10): `route({...})` wraps `createRoute` of
 * `@hono/zod-openapi`, so the zod schemas that validate a request are the ones documented, the
 * handler's `c.json(body, status)` is checked by `tsc` against the documented responses, and the
 * standard error responses are filled in from what the route declares (nobody lists them by hand).
 * The middleware that enforces what is documented (authenticate, idempotency, the permission, the
 * JSON content type) is added here too, so documentation and behaviour cannot drift apart.
 */

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

type HeadersObject = Record<string, { description: string; schema: { type: "string" } }>;

/** A documented JSON response: `{ description, content: { "application/json": { schema } } }`. */
export interface JsonResponse<S extends ZodType> {
  description: string;
  content: { "application/json": { schema: S } };
  headers?: HeadersObject;
}

/** A documented response without a body (204, 202 without content, …). */
export interface EmptyResponse {
  description: string;
  headers?: HeadersObject;
}

export type ResponseSpec = JsonResponse<ZodType> | EmptyResponse;

/** Response header names → descriptions, as an OpenAPI headers object. */
function headersObject(headers: Record<string, string>): HeadersObject {
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
  );
}

/** A JSON response documented with `schema` (optionally with response headers: name → description). */
export function jsonResponse<S extends ZodType>(
  schema: S,
  description: string,
  headers?: Record<string, string>,
): JsonResponse<S> {
  return {
    description,
    content: { "application/json": { schema } },
    ...(headers ? { headers: headersObject(headers) } : {}),
  };
}

/** A response without a body, e.g. `204: emptyResponse("Deleted")`. */
export function emptyResponse(description: string, headers?: Record<string, string>): EmptyResponse {
  return { description, ...(headers ? { headers: headersObject(headers) } : {}) };
}

/** Standard descriptions of the error statuses (each answered with the ErrorEnvelope). */
export const ERROR_DESCRIPTIONS = {
  400: "Invalid input (VALIDATION_ERROR)",
  401: "Missing or invalid token (AUTHENTICATION_ERROR)",
  403: "Permission denied (AUTHORIZATION_ERROR)",
  404: "Not found, or not in your tenant (RESOURCE_NOT_FOUND)",
  409: "Conflict with the current state (CONFLICT)",
  412: "If-Match does not match the current version (PRECONDITION_FAILED)",
  413: "Body too large (PAYLOAD_TOO_LARGE)",
  415: "Content-Type is not application/json (UNSUPPORTED_MEDIA_TYPE)",
  422: "Semantically invalid (VALIDATION_ERROR)",
  429: "Too many requests; wait for Retry-After seconds (RATE_LIMITED)",
  500: "Unexpected error (INTERNAL_ERROR)",
  503: "A dependency is unavailable; see Retry-After (SERVICE_UNAVAILABLE)",
} as const;

export type DocumentedErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const IDEMPOTENCY_422 = "The Idempotency-Key was already used with another request (VALIDATION_ERROR)";
const IDEMPOTENCY_409 =
  "A request with the same Idempotency-Key is still in flight; retry after Retry-After seconds (CONFLICT)";
const RETRY_AFTER = { "Retry-After": "Seconds to wait before trying again" };

/** What the library accepts for path, query and header parameters: an object (maybe transformed). */
type RequestParts = ZodObject | ZodPipe;

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI style (`/{id}`), relative to the router's mount point. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** A bearer token is required: runs `authenticate`, documents 401/403 and the security scheme. */
  auth?: boolean;
  /** The permission checked (implies `auth`): enforced by `requirePermission` and shown in the description. */
  permission?: string;
  /**
   * Who may call it when the service decides per caller (implies `auth`), e.g.
   * "users:read (except for yourself)": shown in the description, not enforced here.
   */
  permissionNote?: string;
  /**
   * Runs the Idempotency-Key middleware and documents its 409/422. Default: on for authenticated
   * POST/PUT/PATCH/DELETE routes.
   */
  idempotent?: boolean;
  params?: RequestParts;
  query?: RequestParts;
  headers?: RequestParts;
  /** A JSON request body (strict schemas refuse unknown fields). Documents 413 and 415. */
  body?: ZodType;
  /** A request without any body (and no content type) validates `{}` (credentials may come in a header). */
  optionalBody?: boolean;
  /** The write honours If-Match: documents 412 (and the header unless `headers` does). */
  ifMatch?: boolean;
  /** The read answers If-None-Match with 304 (documented; the response type stays the 200's). */
  notModified?: boolean;
  /** The route is rate limited: documents 429 with the envelope and Retry-After. */
  rateLimited?: boolean | string;
  /** Success responses, typed: a handler may only return these shapes. */
  responses: Record<number, ResponseSpec>;
  /** Route-specific errors beyond the standard ones, e.g. `{ 404: "Site not found", 409: "Name taken" }`. */
  errors?: Partial<Record<DocumentedErrorStatus, string>>;
  /** Extra middleware after authentication and the permission check. */
  middleware?: MiddlewareHandler<AppEnv>[];
  operationId?: string;
  /** Served but left out of the document (e.g. the bench routes, which are not part of the API). */
  hidden?: boolean;
}

type JsonBody<S> = S extends ZodType
  ? { body: { content: { "application/json": { schema: S } }; required: boolean } }
  : Record<never, never>;
type Part<K extends string, S> = S extends ZodType ? { [P in K]: S } : Record<never, never>;

/** What `route(spec)` returns: a `createRoute` config whose types drive validation and responses. */
export type DeclaredRoute<S extends RouteSpec> = {
  method: S["method"];
  path: S["path"];
  summary: string;
  tags: string[];
  middleware: MiddlewareHandler<AppEnv>[];
  request: Part<"params", S["params"]> &
    Part<"query", S["query"]> &
    Part<"headers", S["headers"]> &
    JsonBody<S["body"]>;
  responses: S["responses"];
  getRoutingPath(): string;
};

function isAuthenticated(spec: RouteSpec): boolean {
  return spec.auth === true || spec.permission !== undefined || spec.permissionNote !== undefined;
}

const WRITE_METHODS = new Set<HttpMethod>(["post", "put", "patch", "delete"]);

function errorResponse(description: string, headers?: Record<string, string>) {
  return {
    ...jsonResponse(errorEnvelopeSchema, description),
    ...(headers ? { headers: headersObject(headers) } : {}),
  };
}

function documentedErrors(spec: RouteSpec): Record<number, ReturnType<typeof errorResponse>> {
  const auth = isAuthenticated(spec);
  const idempotent = spec.idempotent ?? (auth && WRITE_METHODS.has(spec.method));
  const out: Record<number, { description: string; headers?: Record<string, string> }> = {};
  const add = (status: DocumentedErrorStatus, description: string = ERROR_DESCRIPTIONS[status]) => {
    out[status] = { description };
  };
  if (spec.params || spec.query || spec.headers || spec.body) add(400);
  if (auth) {
    add(401);
    add(403);
  }
  if (spec.path.includes("{")) add(404);
  if (spec.body) {
    add(413);
    add(415);
  }
  if (idempotent) {
    add(409, IDEMPOTENCY_409);
    add(422, IDEMPOTENCY_422);
    (out[409] as { headers?: Record<string, string> }).headers = RETRY_AFTER;
  }
  if (spec.ifMatch) add(412);
  if (spec.rateLimited) {
    add(429, typeof spec.rateLimited === "string" ? spec.rateLimited : ERROR_DESCRIPTIONS[429]);
    (out[429] as { headers?: Record<string, string> }).headers = RETRY_AFTER;
  }
  add(500);
  for (const [key, description] of Object.entries(spec.errors ?? {})) {
    const status = Number(key);
    const existing = out[status];
    out[status] = {
      ...existing,
      description: existing ? `${existing.description}. ${description}` : description,
    };
  }
  return Object.fromEntries(
    Object.entries(out).map(([status, e]) => [status, errorResponse(e.description, e.headers)]),
  );
}

const IF_MATCH_DESCRIPTION =
  'The ETag you read (`"v3"`): the write applies only while the resource is at that version, else 412';

function ifMatchParameter() {
  return {
    name: "if-match",
    in: "header" as const,
    required: false,
    description: IF_MATCH_DESCRIPTION,
    schema: { type: "string" as const },
  };
}

/**
 * Every authenticated operation may name its organization with `X-Organization-Id` (enforced by
 * `authenticate`); the parameter itself is one component of the document (openapi-document.ts).
 */
const ORGANIZATION_PARAMETER = { $ref: "#/components/parameters/OrganizationId" };

function routeMiddleware(spec: RouteSpec): MiddlewareHandler<AppEnv>[] {
  const auth = isAuthenticated(spec);
  const idempotent = spec.idempotent ?? (auth && WRITE_METHODS.has(spec.method));
  return [
    ...(auth ? [authenticate] : []),
    ...(idempotent ? [idempotency] : []),
    ...(spec.permission ? [requirePermission(spec.permission)] : []),
    ...(spec.middleware ?? []),
    ...(spec.body ? [jsonContentType(spec.optionalBody === true)] : []),
  ];
}

/**
 * Declares a route: the OpenAPI operation, its validation and its middleware from one object.
 *
 * ```ts
 * router.openapi(
 *   route({ method: "get", path: "/{id}", summary: "A team", tags: ["teams"], permission: "teams:read",
 *           params: idParam, responses: { 200: jsonResponse(teamResponse, "The team") } }),
 *   async (c) => c.json({ data: await getTeam(tenantContext(c), c.req.valid("param").id) }, 200),
 * );
 * ```
 */
export function route<const S extends RouteSpec>(spec: S): DeclaredRoute<S> {
  const auth = isAuthenticated(spec);
  const required = spec.permission ?? spec.permissionNote;
  const description = [spec.description, required && `Requires \`${required}\`.`]
    .filter(Boolean)
    .join("\n\n");
  const responses: Record<number, unknown> = { ...spec.responses };
  if (spec.notModified)
    responses[304] = { description: "Not modified (If-None-Match names the current ETag)" };
  for (const [status, response] of Object.entries(documentedErrors(spec))) {
    responses[Number(status)] ??= response;
  }
  const request: Record<string, unknown> = {};
  if (spec.params) request.params = spec.params;
  if (spec.query) request.query = spec.query;
  if (spec.headers) request.headers = spec.headers;
  if (spec.body) {
    request.body = {
      content: { "application/json": { schema: spec.body } },
      required: spec.optionalBody !== true,
    };
  }
  const headerNames = spec.headers ? Object.keys((spec.headers as ZodObject).shape ?? {}) : [];
  const parameters = [
    ...(spec.ifMatch && !headerNames.includes("if-match") ? [ifMatchParameter()] : []),
    ...(auth ? [ORGANIZATION_PARAMETER] : []),
  ];
  const config = createRoute({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(description ? { description } : {}),
    tags: spec.tags,
    ...(spec.operationId ? { operationId: spec.operationId } : {}),
    ...(spec.hidden ? { hide: true } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    security: auth ? [{ bearerAuth: [] }] : [],
    middleware: routeMiddleware(spec),
    request,
    responses: responses as Record<number, ResponseSpec>,
  });
  return config as unknown as DeclaredRoute<S>;
}

/** A module's router: an `OpenAPIHono` whose validation errors use the API's envelope. */
export function apiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
