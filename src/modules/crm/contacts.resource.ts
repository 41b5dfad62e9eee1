import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { accounts, clients, contacts } from "../../db/schema";
import { CONTACT_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import { crmEmail, crmName, crmPhone, crmText, idQuery, rowRef, userRef } from "./crm.schemas";

/**
 * Contacts: people at an account or a client — one table for the CRM (seed 003) and the deals
 * pipeline (seed 004); owned by `created_by` and `owner_id`.
 */
export const contactResource = defineResource({
  name: "contact",
  entity: "Contact",
  path: "/contacts",
  tag: "contacts",
  table: contacts,
  fields: {
    first_name: field(contacts.firstName, crmName, z.string()),
    last_name: field(contacts.lastName, crmText(200).optional(), z.string().nullable()),
    email: field(contacts.email, crmEmail.optional(), z.string().nullable()),
    phone: field(contacts.phone, crmPhone.optional(), z.string().nullable()),
    title: field(contacts.title, crmText(200).optional(), z.string().nullable()),
    account_id: field(contacts.accountId, rowRef("account").optional(), z.uuid().nullable()),
    client_id: field(contacts.clientId, rowRef("client").optional(), z.uuid().nullable()),
    owner_id: field(contacts.ownerId, userRef.optional(), z.uuid().nullable()),
  },
  permissions: CONTACT_PERMISSIONS,
  readAll: CRM_READ_ALL,
  scope: [contacts.createdBy, contacts.ownerId],
  references: {
    account_id: { table: accounts, entity: "Account" },
    client_id: { table: clients, entity: "Client" },
  },
  filters: {
    q: contains(contacts.firstName, "First name contains (case-insensitive)"),
    email: equals(
      contacts.email,
      z.email().transform((v) => v.toLowerCase()),
    ),
    account_id: equals(contacts.accountId, idQuery),
    client_id: equals(contacts.clientId, idQuery),
    owner_id: equals(contacts.ownerId, idQuery),
  },
  order: { column: contacts.firstName, caseInsensitive: true },
});
