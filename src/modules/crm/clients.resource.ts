import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { accounts, clients } from "../../db/schema";
import { CRM_CHANGED } from "./crm.events";
import { CRM_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import { clientStatus, crmEmail, crmName, crmPhone, crmText, idQuery, rowRef, userRef } from "./crm.schemas";

/** Clients (seed 003): status from CLIENT_STATUS_OPTIONS; owned by `created_by` and `assigned_to`. */
export const clientResource = defineResource({
  name: "client",
  entity: "Client",
  path: "/clients",
  tag: "clients",
  table: clients,
  fields: {
    name: field(clients.name, crmName, z.string()),
    email: field(clients.email, crmEmail.optional(), z.string().nullable()),
    phone: field(clients.phone, crmPhone.optional(), z.string().nullable()),
    address: field(clients.address, crmText(1000).optional(), z.string().nullable()),
    status: field(clients.status, clientStatus.optional().describe("Default new"), clientStatus),
    account_id: field(clients.accountId, rowRef("account").optional(), z.uuid().nullable()),
    assigned_to: field(clients.assignedTo, userRef.optional(), z.uuid().nullable()),
  },
  permissions: CRM_PERMISSIONS,
  readAll: CRM_READ_ALL,
  emits: CRM_CHANGED,
  scope: [clients.createdBy, clients.assignedTo],
  references: { account_id: { table: accounts, entity: "Account" } },
  filters: {
    q: contains(clients.name, "Name contains (case-insensitive)"),
    status: equals(clients.status, clientStatus),
    account_id: equals(clients.accountId, idQuery),
    assigned_to: equals(clients.assignedTo, idQuery),
  },
  order: { column: clients.name, caseInsensitive: true },
});
