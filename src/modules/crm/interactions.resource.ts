import { z } from "zod";
import { ianaTimezone } from "../../core/fields";
import { booleanQuery } from "../../core/pagination";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { clients, contacts, interactions, leads, projects } from "../../db/schema";
import { CRM_CHANGED } from "./crm.events";
import { CRM_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import { crmName, crmText, idQuery, rowRef, userRef, zonedDateTime } from "./crm.schemas";

/**
 * Interactions (seed 001's fields, seed 003's links): a meeting, call or email with a person
 * (`lead`, their name as text), from `start_date_time` to `end_date_time` (not before the start)
 * in an IANA `timezone` (a date-time without offset, as seed 001 sends it, is read in that zone), linked to a client, lead, contact or project; `follow_up_at` and `done`
 * feed the follow-up reports. Owned by `created_by` and `assigned_to`. The list is the Finder
 * (interactions.finder.ts).
 */
export const interactionResource = defineResource({
  name: "interaction",
  entity: "Interaction",
  path: "/interactions",
  tag: "interactions",
  table: interactions,
  fields: {
    title: field(interactions.title, crmName, z.string()),
    type: field(
      interactions.type,
      z.string().trim().min(1).max(100).describe("e.g. Meeting, Call, Email"),
      z.string(),
    ),
    lead: field(
      interactions.lead,
      crmText(200).optional().describe("The person's name, as text"),
      z.string().nullable(),
    ),
    start_date_time: field(interactions.startDateTime, zonedDateTime, z.iso.datetime()),
    end_date_time: field(
      interactions.endDateTime,
      zonedDateTime.nullable().optional().describe("Not before start_date_time"),
      z.iso.datetime().nullable(),
    ),
    timezone: field(
      interactions.timezone,
      ianaTimezone.optional().describe("IANA name; default UTC"),
      z.string(),
    ),
    location: field(interactions.location, crmText(500).optional(), z.string().nullable()),
    description: field(interactions.description, crmText(5000).optional(), z.string().nullable()),
    notes: field(interactions.notes, crmText(10000).optional(), z.string().nullable()),
    client_id: field(interactions.clientId, rowRef("client").optional(), z.uuid().nullable()),
    lead_id: field(interactions.leadId, rowRef("lead").optional(), z.uuid().nullable()),
    contact_id: field(interactions.contactId, rowRef("contact").optional(), z.uuid().nullable()),
    project_id: field(interactions.projectId, rowRef("project").optional(), z.uuid().nullable()),
    follow_up_at: field(
      interactions.followUpAt,
      zonedDateTime.nullable().optional(),
      z.iso.datetime().nullable(),
    ),
    done: field(interactions.done, z.boolean().optional().describe("Default false"), z.boolean()),
    assigned_to: field(interactions.assignedTo, userRef.optional(), z.uuid().nullable()),
  },
  permissions: CRM_PERMISSIONS,
  readAll: CRM_READ_ALL,
  emits: CRM_CHANGED,
  scope: [interactions.createdBy, interactions.assignedTo],
  references: {
    client_id: { table: clients, entity: "Client" },
    lead_id: { table: leads, entity: "Lead" },
    contact_id: { table: contacts, entity: "Contact" },
    project_id: { table: projects, entity: "Project" },
  },
  checks: {
    interactions_end_after_start_check: {
      field: "end_date_time",
      message: "Must not be before start_date_time",
    },
  },
  filters: {
    type: equals(interactions.type, z.string().trim().min(1).max(100)),
    lead: contains(interactions.lead, "The person's name contains (case-insensitive)"),
    client_id: equals(interactions.clientId, idQuery),
    lead_id: equals(interactions.leadId, idQuery),
    contact_id: equals(interactions.contactId, idQuery),
    project_id: equals(interactions.projectId, idQuery),
    assigned_to: equals(interactions.assignedTo, idQuery),
    done: equals(interactions.done, booleanQuery),
  },
  order: { column: interactions.startDateTime, descending: true },
});
