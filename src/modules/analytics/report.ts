import type { ZodObject, ZodType, z } from "zod";
import type { Permission } from "../../core/auth/permissions";
import type { TenantContext } from "../../core/context";

/**
 * A report (DESIGN §5): one file per report declares its path, permission, query and response
 * schemas and `run(ctx, query)`, which reads rollup tables only (never raw visits, answers or
 * photos), in one statement. analytics.routes.ts mounts every report with `route()`, so the
 * permission is enforced and the schemas are documented and validated.
 */
export interface Report<Q extends ZodObject, R extends ZodType> {
  /** OpenAPI style, relative to the router the report is mounted on. */
  path: string;
  summary: string;
  description: string;
  permission: Permission;
  query: Q;
  /** The whole response body (`{ data, ... }`). */
  response: R;
  run(ctx: TenantContext, query: z.output<Q>): Promise<z.input<R>>;
}

/** Declares a report (only for the type inference). */
export function defineReport<Q extends ZodObject, R extends ZodType>(report: Report<Q, R>): Report<Q, R> {
  return report;
}
