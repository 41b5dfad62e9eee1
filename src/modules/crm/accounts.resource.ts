import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { accounts } from "../../db/schema";
import { CRM_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import { crmName, crmPhone, crmText, idQuery, userRef } from "./crm.schemas";

/** Accounts: the companies clients and contacts belong to; owned by `created_by` and `owner_id`. */
export const accountResource = defineResource({
  name: "account",
  entity: "Account",
  path: "/accounts",
  tag: "accounts",
  table: accounts,
  fields: {
    name: field(accounts.name, crmName, z.string()),
    industry: field(accounts.industry, crmText(200).optional(), z.string().nullable()),
    website: field(accounts.website, crmText(500).optional(), z.string().nullable()),
    phone: field(accounts.phone, crmPhone.optional(), z.string().nullable()),
    address: field(accounts.address, crmText(1000).optional(), z.string().nullable()),
    owner_id: field(accounts.ownerId, userRef.optional(), z.uuid().nullable()),
  },
  permissions: CRM_PERMISSIONS,
  readAll: CRM_READ_ALL,
  scope: [accounts.createdBy, accounts.ownerId],
  filters: {
    q: contains(accounts.name, "Name contains (case-insensitive)"),
    industry: equals(accounts.industry, z.string().trim().min(1).max(200)),
    owner_id: equals(accounts.ownerId, idQuery),
  },
  order: { column: accounts.name, caseInsensitive: true },
});
