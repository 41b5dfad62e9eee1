import { sql } from "drizzle-orm";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { softDeleteRow } from "../../core/resource/statements";
import { settle } from "../../core/resource/verbs";
import { contactResource } from "./contacts.resource";

/**
 * Seed 004: a contact with active (open, live) deals cannot be deleted — 409 naming them in
 * `details` (`deal_id`); close, lose or move the deals first. Otherwise the kit's soft delete.
 * One statement: the refusal is decided inside the UPDATE's statement.
 */
export async function deleteContact(
  ctx: TenantContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const openDeals = sql`(select string_agg(d.id::text, ',' order by d.id) from deals d
    where d.tenant_id = cur.tenant_id and d.contact_id = cur.id and d.deleted_at is null
      and d.status = 'open')`;
  const outcome = await softDeleteRow(ctx, contactResource, id, expectedVersion, openDeals);
  settle(outcome, expectedVersion, {
    notFound: () => ApiError.notFound("Contact"),
    refused: (ids) =>
      ApiError.conflict(
        "Contact has open deals; close them or move them to another contact first",
        ids.split(",").map((dealId) => ({ field: "deal_id", message: dealId })),
      ),
  });
}
