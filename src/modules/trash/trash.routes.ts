import { tenantContext } from "../../core/context";
import { eventEmitter } from "../../core/emit";
import { listRoute } from "../../core/resource/item-routes";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import { restoredResponse, trashItemParams, trashListQuery, trashListResponse } from "./trash.schemas";
import { listTrashPage, purgeFromTrash, restoreFromTrash, TRASH_PURGE } from "./trash.service";

const tags = ["trash"];

/**
 * The trash (seed 003): soft-deleted rows of every kit resource (src/modules/resources.ts), in
 * the caller's data scope, each type behind its own read/write permission.
 */
export const trashRoutes = apiRouter()
  .openapi(
    ...listRoute(
      {
        path: "/",
        summary: "List the trash",
        description:
          "Soft-deleted rows of every type you may restore (its read and write permissions; or only `type`, with its read permission), newest deletion first, with who deleted each and when; `pagination.total` always. Your data scope applies (an admin sees the tenant's). Deleted rows are purged for good after the tenant's `trash_retention_days` (default 30).",
        tags,
        permissionNote: "each type's read (and, for the default list, write) permission",
        query: trashListQuery,
        responses: { 200: jsonResponse(trashListResponse, "One page of the trash") },
        errors: { 404: "No such trash type" },
      },
      listTrashPage,
    ),
  )
  .openapi(
    route({
      method: "post",
      path: "/{type}/{id}/restore",
      summary: "Restore a deleted row",
      description:
        "Brings the row back to its lists, audited (`<type>.restore`). 409 when a live row took its unique value meanwhile.",
      tags,
      permissionNote: "the type's write permission",
      params: trashItemParams,
      responses: { 200: jsonResponse(restoredResponse, "The restored row") },
      errors: { 404: "Not in the trash, or no such type", 409: "A unique value is taken" },
    }),
    async (c) => {
      const { type, id } = c.req.valid("param");
      return c.json({ data: await restoreFromTrash(tenantContext(c), type, id, eventEmitter(c)) }, 200);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/{type}/{id}",
      summary: "Purge a deleted row for good",
      description:
        "Deletes the trashed row permanently, audited (`<type>.purge` with its last values). 409 while other rows still reference it.",
      tags,
      permission: TRASH_PURGE,
      params: trashItemParams,
      responses: { 204: emptyResponse("Purged") },
      errors: { 404: "Not in the trash, or no such type", 409: "Still referenced by other rows" },
    }),
    async (c) => {
      const { type, id } = c.req.valid("param");
      await purgeFromTrash(tenantContext(c), type, id);
      return c.body(null, 204);
    },
  );
