import { z } from "zod";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { clients, leads, projects } from "../../db/schema";
import { CRM_CHANGED } from "./crm.events";
import { CRM_PERMISSIONS, CRM_READ_ALL } from "./crm.permissions";
import {
  crmName,
  currency,
  dateTime,
  idQuery,
  isoDate,
  money,
  projectStatus,
  rowRef,
  userRef,
} from "./crm.schemas";

/**
 * Projects (seed 003): status from PROJECT_STATUS_OPTIONS, a value and currency, dates, owned by
 * `created_by` and `assigned_to`. `won_at`/`closed_at` (the reports' won and closed projects) are
 * stamped when the status becomes completed (won and closed) or cancelled (closed), unless sent.
 */
export const projectResource = defineResource({
  name: "project",
  entity: "Project",
  path: "/projects",
  tag: "projects",
  table: projects,
  fields: {
    name: field(projects.name, crmName, z.string()),
    client_id: field(projects.clientId, rowRef("client").optional(), z.uuid().nullable()),
    lead_id: field(projects.leadId, rowRef("lead").optional(), z.uuid().nullable()),
    status: field(projects.status, projectStatus.optional().describe("Default pending"), projectStatus),
    value: field(projects.value, money.nullable().optional(), z.number().nullable()),
    currency: field(projects.currency, currency.optional(), z.string().nullable()),
    start_date: field(projects.startDate, isoDate.optional(), z.iso.date().nullable()),
    end_date: field(projects.endDate, isoDate.optional(), z.iso.date().nullable()),
    assigned_to: field(projects.assignedTo, userRef.optional(), z.uuid().nullable()),
    won_at: field(projects.wonAt, dateTime.nullable().optional(), z.iso.datetime().nullable()),
    closed_at: field(projects.closedAt, dateTime.nullable().optional(), z.iso.datetime().nullable()),
  },
  permissions: CRM_PERMISSIONS,
  readAll: CRM_READ_ALL,
  emits: CRM_CHANGED,
  scope: [projects.createdBy, projects.assignedTo],
  references: {
    client_id: { table: clients, entity: "Client" },
    lead_id: { table: leads, entity: "Lead" },
  },
  checks: { projects_dates_check: { field: "end_date", message: "Must not be before start_date" } },
  filters: {
    q: contains(projects.name, "Name contains (case-insensitive)"),
    status: equals(projects.status, projectStatus),
    client_id: equals(projects.clientId, idQuery),
    lead_id: equals(projects.leadId, idQuery),
    assigned_to: equals(projects.assignedTo, idQuery),
  },
  order: { column: projects.createdAt, descending: true },
});
