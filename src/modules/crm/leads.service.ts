import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { referenceNotFound, settle, type Versioned } from "../../core/resource/verbs";
import { convertLeadRow } from "./leads.repo";
import type { ConvertedLead, ConvertLeadInput } from "./leads.schemas";

/**
 * Turns a lead into a client (and optionally a project): 404 outside tenant or scope, 412 on a
 * stale If-Match, 409 when it is already converted, 404 naming `account_id` for an unknown account.
 */
export async function convertLead(
  ctx: TenantContext,
  id: string,
  input: ConvertLeadInput,
  expectedVersion: number | undefined,
): Promise<Versioned<ConvertedLead>> {
  const outcome = await convertLeadRow(ctx, id, input, expectedVersion);
  const data = settle(outcome, expectedVersion, {
    notFound: () => ApiError.notFound("Lead"),
    refused: (reason) =>
      reason === "converted"
        ? ApiError.conflict("Lead is already converted", [
            { field: "lead_status", message: "Already converted" },
          ])
        : referenceNotFound("Account", "client.account_id"),
  });
  return { data, version: data.lead.version };
}

type LeadInput = Record<string, unknown> & { lead_status?: string; converted_at?: unknown };

/**
 * The reports' converted leads: a write that sets `lead_status` stamps `converted_at` (converted:
 * now; any other status: cleared) unless the body sends it.
 */
export function stampConversion(input: LeadInput, now = new Date().toISOString()): LeadInput {
  if (input.lead_status === undefined) return input;
  return { ...input, converted_at: input.converted_at ?? (input.lead_status === "converted" ? now : null) };
}
