import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { pagination } from "../../core/pagination";
import type { AnyResource } from "../../core/resource/declaration";
import { readContext } from "../../core/resource/view";
import { notesOfParent } from "./notes.repo";
import type { ParentNotesQuery } from "./notes.schemas";

/** A parent's notes (everyone's, newest first): 404 unless the parent is a live row you may see. */
export async function listNotesOf(
  ctx: TenantContext,
  parent: AnyResource,
  id: string,
  query: ParentNotesQuery,
) {
  const { found, total, items } = await notesOfParent(
    readContext(ctx, parent, query.view),
    parent,
    id,
    query.page,
    query.page_size,
  );
  if (!found) throw ApiError.notFound(parent.entity);
  return {
    data: items,
    pagination: pagination(query, total),
  };
}
