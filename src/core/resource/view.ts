import { z } from "zod";
import type { TenantContext } from "../context";
import { ApiError } from "../errors";
import type { AnyResource } from "./declaration";

/**
 * `view=all` on the list and get of a resource that declares `readAll` (seed 003: on normal
 * pages admins see what they created or are assigned, like users; admin pages see the tenant).
 */
export const viewQuery = z
  .enum(["all"])
  .optional()
  .describe(
    "`all`: every row of the tenant (needs the resource's read-all permission); default: your own rows",
  );

/** The `view` query of a resource: only for those declaring `readAll`. */
export function viewShape(res: { readAll?: string | undefined }): { view?: typeof viewQuery } {
  return res.readAll ? { view: viewQuery } : {};
}

/**
 * The context a list or get reads with. Without `readAll` the role's scope as it is. With it: a
 * tenant-scope caller is narrowed to `own` (team and subtree scopes stay); `view=all` needs the
 * permission (else 403) and reads the whole tenant.
 */
export function readContext(ctx: TenantContext, res: AnyResource, view: unknown): TenantContext {
  if (!res.readAll) return ctx;
  if (view === "all") {
    if (!ctx.permissions.has(res.readAll)) {
      throw ApiError.forbidden(`view=all needs the ${res.readAll} permission`);
    }
    return { ...ctx, scope: "tenant" };
  }
  return ctx.scope === "tenant" ? { ...ctx, scope: "own" } : ctx;
}
