import { z } from "zod";
import { defineResource, equals, field } from "../../core/resource/declaration";
import { accounts, clients, contacts, interactions, leads, notes, projects } from "../../db/schema";
import { CRM_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import { idQuery, rowRef } from "./crm.schemas";

const parent = (what: string) =>
  rowRef(what).optional().describe(`The ${what} the note is on (exactly one parent)`);

/**
 * Notes: text on exactly one CRM row (account, client, lead, project, contact or interaction),
 * owned by their writer; each parent lists its notes (`GET /api/<parent>/{id}/notes`).
 */
export const noteResource = defineResource({
  name: "note",
  entity: "Note",
  path: "/notes",
  tag: "notes",
  table: notes,
  fields: {
    body: field(notes.body, z.string().trim().min(1, "Must not be empty").max(20000), z.string()),
    account_id: field(notes.accountId, parent("account"), z.uuid().nullable()),
    client_id: field(notes.clientId, parent("client"), z.uuid().nullable()),
    lead_id: field(notes.leadId, parent("lead"), z.uuid().nullable()),
    project_id: field(notes.projectId, parent("project"), z.uuid().nullable()),
    contact_id: field(notes.contactId, parent("contact"), z.uuid().nullable()),
    interaction_id: field(notes.interactionId, parent("interaction"), z.uuid().nullable()),
  },
  permissions: CRM_PERMISSIONS,
  readAll: CRM_READ_ALL,
  scope: [notes.createdBy],
  references: {
    account_id: { table: accounts, entity: "Account" },
    client_id: { table: clients, entity: "Client" },
    lead_id: { table: leads, entity: "Lead" },
    project_id: { table: projects, entity: "Project" },
    contact_id: { table: contacts, entity: "Contact" },
    interaction_id: { table: interactions, entity: "Interaction" },
  },
  checks: { notes_one_parent_check: { field: "client_id", message: "A note is on exactly one parent" } },
  filters: {
    account_id: equals(notes.accountId, idQuery),
    client_id: equals(notes.clientId, idQuery),
    lead_id: equals(notes.leadId, idQuery),
    project_id: equals(notes.projectId, idQuery),
    contact_id: equals(notes.contactId, idQuery),
    interaction_id: equals(notes.interactionId, idQuery),
  },
  order: { column: notes.createdAt, descending: true },
});
