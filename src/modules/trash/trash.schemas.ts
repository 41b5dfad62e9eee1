import { z } from "zod";
import { listEnvelope } from "../../core/openapi";
import { pageSizeQuery } from "../../core/pagination";
import { uuidParam } from "../../core/resource/params";

/** The trash's types: every kit resource, by its name (`client`) or its path (`clients`). */
const typeName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .describe("A resource name or path, e.g. `client` or `clients`");

export const trashListQuery = z.strictObject({
  type: typeName.optional().describe("Only this type (default: every type you may read)"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: pageSizeQuery,
});
export type TrashListQuery = z.infer<typeof trashListQuery>;

export const trashItemParams = z.object({ type: typeName, id: uuidParam });

export const trashItem = z
  .object({
    type: z.string().describe("The resource name, e.g. client"),
    id: z.uuid(),
    deleted_at: z.iso.datetime(),
    deleted_by: z.uuid().nullable().describe("Who deleted it (from the audit trail)"),
    item: z.record(z.string(), z.unknown()).describe("The row as its own routes answer it"),
  })
  .openapi("TrashItem");
export type TrashItemDto = z.infer<typeof trashItem>;

export const trashListResponse = listEnvelope(trashItem);
export const restoredResponse = z.object({ data: z.record(z.string(), z.unknown()) });
