import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { col } from "../../core/resource/sql";
import { leads } from "../../db/schema";
import { CRM_CHANGED } from "./crm.events";
import { CRM_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import {
  crmEmail,
  crmName,
  crmPhone,
  crmText,
  dateTime,
  idQuery,
  leadSource,
  leadStatus,
  userRef,
} from "./crm.schemas";

/**
 * Leads (seed 003): `lead_status` and `lead_source` from the seed's lists exactly; owned by
 * `created_by` and `assigned_to`. Conversion (`POST /leads/{id}/convert`) sets `converted`,
 * `converted_at` and the links (the links are read-only here); a write that sets `lead_status`
 * stamps `converted_at` (leads.service.ts).
 */
export const leadResource = defineResource({
  name: "lead",
  entity: "Lead",
  path: "/leads",
  tag: "leads",
  table: leads,
  fields: {
    name: field(leads.name, crmName, z.string()),
    email: field(leads.email, crmEmail.optional(), z.string().nullable()),
    phone: field(leads.phone, crmPhone.optional(), z.string().nullable()),
    company: field(leads.company, crmText(200).optional(), z.string().nullable()),
    lead_status: field(leads.leadStatus, leadStatus.optional().describe("Default new"), leadStatus),
    lead_source: field(leads.leadSource, leadSource.nullable().optional(), leadSource.nullable()),
    assigned_to: field(leads.assignedTo, userRef.optional(), z.uuid().nullable()),
    converted_at: field(leads.convertedAt, dateTime.nullable().optional(), z.iso.datetime().nullable()),
  },
  computed: {
    converted_client_id: { sql: (a: string) => col(a, leads.convertedClientId), output: z.uuid().nullable() },
    converted_project_id: {
      sql: (a: string) => col(a, leads.convertedProjectId),
      output: z.uuid().nullable(),
    },
  },
  permissions: CRM_PERMISSIONS,
  readAll: CRM_READ_ALL,
  emits: CRM_CHANGED,
  scope: [leads.createdBy, leads.assignedTo],
  filters: {
    q: contains(leads.name, "Name contains (case-insensitive)"),
    lead_status: equals(leads.leadStatus, leadStatus),
    lead_source: equals(leads.leadSource, leadSource),
    assigned_to: equals(leads.assignedTo, idQuery),
  },
  order: { column: leads.createdAt, descending: true },
});
