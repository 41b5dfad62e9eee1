export { CRM_CHANGED } from "./crm.events";
export { CRM_READ_ALL } from "./crm.permissions";
