import type { AnyResource } from "../core/resource/declaration";
import { departmentResource } from "./attendance/departments.resource";
import { employeeResource } from "./attendance/employees.resource";
import { shiftResource } from "./attendance/shifts.resource";
import { brandResource } from "./brands/brands.resource";
import { callCycleResource } from "./call-cycles/call-cycles.resource";
import { accountResource } from "./crm/accounts.resource";
import { clientResource } from "./crm/clients.resource";
import { contactResource } from "./crm/contacts.resource";
import { interactionResource } from "./crm/interactions.resource";
import { leadResource } from "./crm/leads.resource";
import { noteResource } from "./crm/notes.resource";
import { projectResource } from "./crm/projects.resource";
import { dealResource } from "./deals/deals.resource";
import { taskResource } from "./deals/tasks.resource";
import { goalResource } from "./goals/goals.resource";
import { shopResource } from "./shops/shops.resource";
import { surveyResource } from "./surveys/surveys.resource";

/**
 * Every resource built on the kit. Whatever must cover all of them — offline sync tombstones, the
 * CRM trash, per-entity JSON Schema export, the shared contract test — iterates this list instead
 * of keeping a hand list. A new kit resource adds its declaration here.
 */
export const resources: readonly AnyResource[] = [
  brandResource,
  shopResource,
  surveyResource,
  goalResource,
  callCycleResource,
  departmentResource,
  employeeResource,
  shiftResource,
  accountResource,
  clientResource,
  leadResource,
  projectResource,
  contactResource,
  dealResource,
  taskResource,
  interactionResource,
  noteResource,
];
