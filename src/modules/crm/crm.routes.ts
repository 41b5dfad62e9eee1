import { resourceRoutes } from "../../core/resource/routes";
import { accountResource } from "./accounts.resource";
import { clientResource } from "./clients.resource";
import { contactResource } from "./contacts.resource";
import { interactionResource } from "./interactions.resource";
import { leadResource } from "./leads.resource";
import { noteResource } from "./notes.resource";
import { projectResource } from "./projects.resource";

/**
 * The CRM on the resource kit. Normal lists and gets show your own rows (created by or assigned
 * to you; team and subtree roles their members' too); `view=all` with `crm:read_all` shows the
 * tenant (seed 003's admin pages).
 */
const VISIBILITY =
  "Visibility: rows you created or that are assigned to you (team/subtree roles: their members' too); `view=all` with `crm:read_all` shows the whole tenant.";
const docs = { list: VISIBILITY, get: VISIBILITY };

export const accountRoutes = resourceRoutes(accountResource, { docs });
export const clientRoutes = resourceRoutes(clientResource, { docs });
export const leadRoutes = resourceRoutes(leadResource, { docs });
export const projectRoutes = resourceRoutes(projectResource, { docs });
export const contactRoutes = resourceRoutes(contactResource, { docs });
export const interactionRoutes = resourceRoutes(interactionResource, { docs });
export const noteRoutes = resourceRoutes(noteResource, { docs });
