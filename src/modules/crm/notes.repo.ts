import { sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { TenantContext } from "../../core/context";
import type { AnyResource } from "../../core/resource/declaration";
import { projection, tableSql, visible } from "../../core/resource/sql";
import { notes } from "../../db/schema";
import { noteResource } from "./notes.resource";

/** The note column that points at each parent resource (by resource name). */
const PARENT_COLUMN: Record<string, AnyPgColumn> = {
  account: notes.accountId,
  client: notes.clientId,
  lead: notes.leadId,
  project: notes.projectId,
  contact: notes.contactId,
  interaction: notes.interactionId,
};

export type NoteItem = z.infer<typeof noteResource.schemas.item>;

/**
 * The live notes on one parent row, newest first, with their total — whoever wrote them — when
 * the parent is a live row the caller may see (`ctx` is the parent's read context); one query.
 * `found` false: no such parent in tenant and scope (a 404 for the caller).
 */
export async function notesOfParent(
  ctx: TenantContext,
  parent: AnyResource,
  parentId: string,
  page: number,
  pageSize: number,
): Promise<{ found: boolean; total: number; items: NoteItem[] }> {
  const column = PARENT_COLUMN[parent.name];
  if (!column) throw new Error(`notes cannot hang on ${parent.name}`);
  const result = await ctx.db.execute<{ found: boolean; total: number; items: NoteItem[] }>(sql`
    with parent as (
      select p.id from ${tableSql(parent)} p
      where ${visible(ctx, parent, "p")} and p.id = ${parentId}::uuid and p.deleted_at is null
    ),
    n as (
      select t.* from notes t
      where t.tenant_id = ${ctx.tenantId}::uuid and t.${sql.identifier(column.name)} = (select id from parent)
        and t.deleted_at is null
    )
    select exists (select 1 from parent) as found, (select count(*)::int from n) as total,
      coalesce((select json_agg(x.j order by x.created_at desc, x.id desc) from (
        select ${projection(noteResource, "n")} as j, n.created_at, n.id from n
        order by n.created_at desc, n.id desc limit ${pageSize} offset ${(page - 1) * pageSize}
      ) x), '[]'::json) as items`);
  const row = result.rows[0];
  return { found: row?.found === true, total: row?.total ?? 0, items: row?.items ?? [] };
}
