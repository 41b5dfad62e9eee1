import "@hono/zod-openapi";
import type { Hono, MiddlewareHandler } from "hono";
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "./errors";
import { VALIDATION_SPEC, type ValidationSpec } from "./validation";

/** Marks a route's documentation middleware. */
const ROUTE_SPEC = Symbol("route-spec");

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  headers?: Record<string, string>;
}

export interface RouteSpec {
  summary: string;
  description?: string;
  tags: string[];
  /** Whether the route needs a bearer token (adds 401/403 responses and the security scheme). */
  auth?: boolean;
  /** The permission checked, shown in the description. */
  permission?: string;
  responses: Record<number, ResponseSpec>;
  /** Extra error codes this route can answer beyond the ones inferred. */
  errors?: ErrorCode[];
  operationId?: string;
}

type Described = MiddlewareHandler & { [ROUTE_SPEC]: RouteSpec };
type Validator = MiddlewareHandler & { [VALIDATION_SPEC]: ValidationSpec };

/** Documents a route: `router.get("/x", describe({...}), validate(...), handler)`. Costs nothing at run time. */
export function describe(spec: RouteSpec): MiddlewareHandler {
  const noop: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  return Object.assign(noop, { [ROUTE_SPEC]: spec });
}

/** `{"data": T}` */
export function dataEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

export const paginationSchema = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int().nullable(),
  pages: z.number().int().nullable(),
  next_cursor: z.string().nullable(),
});

/** `{"data": T[], "pagination": {...}}` */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), pagination: paginationSchema });
}

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
    request_id: z.string(),
  })
  .openapi("ErrorEnvelope");

/** Schemas published once under components/schemas and referenced everywhere else. */
const components = new Map<z.core.$ZodType, string>([[errorEnvelopeSchema, "ErrorEnvelope"]]);

/** Publishes `schema` as `#/components/schemas/<name>` (e.g. an entity other routes embed). */
export function registerComponent(schema: z.core.$ZodType, name: string): void {
  components.set(schema, name);
}

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  400: "Invalid input (VALIDATION_ERROR)",
  401: "Missing or invalid token (AUTHENTICATION_ERROR)",
  403: "Permission denied (AUTHORIZATION_ERROR)",
  404: "Not found, or not in your tenant (RESOURCE_NOT_FOUND)",
  409: "Conflict with the current state (CONFLICT)",
  412: "If-Match does not match the current version (PRECONDITION_FAILED)",
  413: "Body too large (PAYLOAD_TOO_LARGE)",
  415: "Content-Type is not application/json (UNSUPPORTED_MEDIA_TYPE)",
  422: "Semantically invalid, e.g. an Idempotency-Key reused with another body (VALIDATION_ERROR)",
  429: "Too many requests; see Retry-After (RATE_LIMITED)",
  500: "Unexpected error (INTERNAL_ERROR)",
  503: "A dependency is unavailable; see Retry-After (SERVICE_UNAVAILABLE)",
};

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.core.$ZodType, io: "input" | "output", inlineRoot = false): JsonSchema {
  const rootName = components.get(schema);
  if (rootName && !inlineRoot) return { $ref: `#/components/schemas/${rootName}` };
  const json = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx) => {
      const name = components.get(ctx.zodSchema);
      if (name && (ctx.zodSchema as z.core.$ZodType) !== schema) {
        for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
        ctx.jsonSchema.$ref = `#/components/schemas/${name}`;
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function toParameters(spec: ValidationSpec): JsonSchema[] {
  const where = spec.target === "param" ? "path" : spec.target;
  const json = toSchema(spec.schema, "input");
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
    schema,
  }));
}

function errorResponse(status: number) {
  return {
    description: ERROR_DESCRIPTIONS[status] ?? "Error",
    content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
  };
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  /** Path prefix the router is mounted under, e.g. "/api". */
  basePath: string;
}

/**
 * Builds the OpenAPI 3.1 document from the routes of `router`: each route's `describe()` metadata
 * plus the zod schemas of its `validate()` middlewares — the same objects that validate requests,
 * so a route is documented by construction.
 */
export function buildOpenApiDocument(router: Hono<never>, info: OpenApiInfo) {
  const groups = new Map<string, { method: string; path: string; handlers: MiddlewareHandler[] }>();
  for (const route of router.routes) {
    if (route.method === "ALL") continue;
    const key = `${route.method} ${route.path}`;
    const group = groups.get(key) ?? { method: route.method, path: route.path, handlers: [] };
    group.handlers.push(route.handler as MiddlewareHandler);
    groups.set(key, group);
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, handlers } of groups.values()) {
    const described = handlers.find((h): h is Described => ROUTE_SPEC in h);
    if (!described) continue;
    const spec = described[ROUTE_SPEC];
    const validators = handlers
      .filter((h): h is Validator => VALIDATION_SPEC in h)
      .map((h) => h[VALIDATION_SPEC]);
    const openApiPath = info.basePath + path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");

    const parameters = validators.filter((v) => v.target !== "json").flatMap(toParameters);
    const body = validators.find((v) => v.target === "json");
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(spec.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.schema
          ? { content: { "application/json": { schema: toSchema(res.schema, "output") } } }
          : {}),
        ...(res.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(res.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: "string" } },
                ]),
              ),
            }
          : {}),
      };
    }
    const errorStatuses = new Set<number>([500]);
    if (validators.length > 0) errorStatuses.add(400);
    if (body) {
      errorStatuses.add(413);
      errorStatuses.add(415);
    }
    if (spec.auth) {
      errorStatuses.add(401);
      errorStatuses.add(403);
    }
    if (path.includes(":")) errorStatuses.add(404);
    for (const code of spec.errors ?? []) errorStatuses.add(ERROR_STATUS[code]);
    for (const status of errorStatuses) {
      responses[String(status)] ??= errorResponse(status);
    }

    const description = [spec.description, spec.permission && `Requires \`${spec.permission}\`.`]
      .filter(Boolean)
      .join("\n\n");
    const operation: Record<string, unknown> = {
      operationId:
        spec.operationId ??
        `${method.toLowerCase()}${openApiPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))}`,
      summary: spec.summary,
      ...(description ? { description } : {}),
      tags: spec.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: toSchema(body.schema, "input") } },
            },
          }
        : {}),
      responses,
      ...(spec.auth ? { security: [{ bearerAuth: [] }] } : { security: [] }),
    };
    paths[openApiPath] ??= {};
    (paths[openApiPath] as Record<string, unknown>)[method.toLowerCase()] = operation;
  }

  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      },
      schemas: Object.fromEntries(
        [...components].map(([schema, name]) => [name, toSchema(schema, "output", true)]),
      ),
    },
  };
}
