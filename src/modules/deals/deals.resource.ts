import { sql } from "drizzle-orm";
import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { col } from "../../core/resource/sql";
import { contacts, deals, memberships } from "../../db/schema";
import { DEAL_CHANGED } from "./deals.events";
import { compare, DEAL_PERMISSIONS } from "./deals.permissions";
import {
  amountQuery,
  currencyCode,
  dateTime,
  dealAmount,
  dealStage,
  dealStatus,
  dealTitle,
  idQuery,
  isoDate,
  rowRef,
  userRef,
} from "./deals.schemas";

/** Who owns a deal: its creator and its owner (the data scope tests these). */
export const DEAL_OWNERS = [deals.createdBy, deals.ownerId];

/**
 * Deals (seed 004): a title, an amount and currency, a contact, a stage of qualification →
 * proposal → negotiation → closed and a status of open | won | lost (won and lost go with the
 * closed stage), an owner (default: the creator) and an expected close date. Owned by
 * `created_by` and `owner_id`. Writes go through deals.service.ts (the pipeline's rules and the
 * activity row of every stage or status change, in the same statement).
 */
export const dealResource = defineResource({
  name: "deal",
  // The service's writes send their own, richer deal.changed; a trash restore sends this one.
  emits: DEAL_CHANGED,
  entity: "Deal",
  path: "/deals",
  tag: "deals",
  table: deals,
  fields: {
    title: field(deals.title, dealTitle, z.string()),
    amount: field(deals.amount, dealAmount.optional().describe("Default 0"), z.number()),
    currency: field(deals.currency, currencyCode.optional().describe("Default USD"), z.string()),
    contact_id: field(deals.contactId, rowRef("contact").optional(), z.uuid().nullable()),
    stage: field(deals.stage, dealStage.optional().describe("Default qualification"), dealStage),
    status: field(deals.status, dealStatus.optional().describe("Default open"), dealStatus),
    owner_id: field(deals.ownerId, userRef.optional().describe("Default: you"), z.uuid()),
    expected_close_date: field(
      deals.expectedCloseDate,
      isoDate.nullable().optional(),
      z.iso.date().nullable(),
    ),
    closed_at: field(
      deals.closedAt,
      dateTime
        .nullable()
        .optional()
        .describe("Stamped when the status becomes won or lost (unless sent), cleared on reopening"),
      z.iso.datetime().nullable(),
    ),
  },
  permissions: DEAL_PERMISSIONS,
  scope: DEAL_OWNERS,
  references: {
    contact_id: { table: contacts, entity: "Contact" },
    owner_id: { table: memberships, entity: "User", key: memberships.userId },
  },
  checks: {
    deals_closed_check: {
      field: "status",
      message: "won and lost go with stage closed; open with any other stage",
    },
  },
  filters: {
    q: contains(deals.title, "Title contains (case-insensitive)"),
    stage: equals(deals.stage, dealStage),
    status: equals(deals.status, dealStatus),
    owner_id: equals(deals.ownerId, idQuery),
    contact_id: equals(deals.contactId, idQuery),
    amount_min: compare(deals.amount, ">=", amountQuery.describe("Amount at least")),
    amount_max: compare(deals.amount, "<=", amountQuery.describe("Amount at most")),
    created_from: compare(deals.createdAt, ">=", isoDate.describe("Created on or after (UTC day)"), "date"),
    created_to: {
      schema: isoDate.describe("Created on or before (UTC day)"),
      where: (value: string, a: string) => sql`${col(a, deals.createdAt)} < ${value}::date + 1`,
    },
    close_from: compare(deals.expectedCloseDate, ">=", isoDate.describe("Expected close on or after")),
    close_to: compare(deals.expectedCloseDate, "<=", isoDate.describe("Expected close on or before")),
  },
  order: { column: deals.createdAt, descending: true },
});
