import { z } from "zod";
import { pageSizeQuery } from "../../core/pagination";
import { viewQuery } from "../../core/resource/view";

/** `GET /api/<parent>/{id}/notes`: page-numbered, `total` always, `view=all` as on the parent's get. */
export const parentNotesQuery = z.strictObject({
  view: viewQuery,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: pageSizeQuery,
});
export type ParentNotesQuery = z.infer<typeof parentNotesQuery>;
