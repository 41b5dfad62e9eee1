import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context";

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  /** Path prefix the router is mounted under, e.g. "/api" (the /api/v1 alias is not documented twice). */
  basePath: string;
}

type Operation = Record<string, unknown> & { operationId?: string };
type PathItem = Record<string, Operation>;

/** `post` + `/api/auth/login` → `postApiAuthLogin` (stable ids for generated clients). */
function operationId(method: string, path: string): string {
  return `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))}`;
}

/** `X-Organization-Id`, referenced by every authenticated operation (`route()` in route.ts). */
const organizationIdParameter = {
  name: "X-Organization-Id",
  in: "header" as const,
  required: false,
  description:
    "The organization (tenant) to act in, for this request. Your token's own tenant (or leaving it out) acts there; another organization you are an active member of acts there with your roles, permissions and data scope in it; any other organization → 403; not a UUID → 400. With a platform administrator's X-Tenant-ID both must name the same tenant.",
  schema: { type: "string" as const, format: "uuid" },
};

/**
 * The OpenAPI 3.1 document of every route declared on `router` (with `route()`): the library
 * generates paths and components from the same zod schemas that validate requests; here the paths
 * get the mount prefix, each operation a stable `operationId`, and the bearer scheme is published.
 */
export function buildOpenApiDocument(router: OpenAPIHono<AppEnv>, info: OpenApiInfo) {
  const generated = router.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: "/" }],
  });
  const paths: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(generated.paths ?? {})) {
    const fullPath = `${info.basePath}${path === "/" ? "" : path}`.replace(/\/$/, "") || "/";
    const operations: PathItem = {};
    for (const [method, operation] of Object.entries(item as PathItem)) {
      operations[method] = { operationId: operationId(method, fullPath), ...operation };
    }
    paths[fullPath] = { ...paths[fullPath], ...operations };
  }
  return {
    ...generated,
    paths,
    components: {
      ...generated.components,
      parameters: { ...generated.components?.parameters, OrganizationId: organizationIdParameter },
      securitySchemes: {
        bearerAuth: { type: "http" as const, scheme: "bearer", bearerFormat: "JWT" },
      },
    },
  };
}
