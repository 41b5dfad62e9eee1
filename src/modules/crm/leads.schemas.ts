import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { clientResource } from "./clients.resource";
import {
  clientStatus,
  crmEmail,
  crmName,
  crmPhone,
  crmText,
  currency,
  isoDate,
  money,
  projectStatus,
  rowRef,
} from "./crm.schemas";
import { leadResource } from "./leads.resource";
import { projectResource } from "./projects.resource";

/** `POST /leads/{id}/convert`: the client's fields default to the lead's; a project is optional. */
export const convertLeadBody = z.strictObject({
  client: z
    .strictObject({
      name: crmName.optional(),
      email: crmEmail.optional(),
      phone: crmPhone.optional(),
      address: crmText(1000).optional(),
      status: clientStatus.optional().describe("Default active"),
      account_id: rowRef("account").optional(),
    })
    .optional()
    .describe("The new client; name, email and phone default to the lead's"),
  project: z
    .strictObject({
      name: crmName,
      status: projectStatus.optional().describe("Default pending"),
      value: money.nullable().optional(),
      currency: currency.optional(),
      start_date: isoDate.optional(),
      end_date: isoDate.optional(),
    })
    .optional()
    .describe("Also open a project for the new client"),
});
export type ConvertLeadInput = z.infer<typeof convertLeadBody>;

export const convertedLeadResponse = dataEnvelope(
  z
    .object({
      lead: leadResource.schemas.item,
      client: clientResource.schemas.item,
      project: projectResource.schemas.item.nullable(),
    })
    .openapi("LeadConversion"),
);
export type ConvertedLead = z.infer<typeof convertedLeadResponse>["data"];
