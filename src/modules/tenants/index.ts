/**
 * What the tenants module offers other modules on purpose (`npm run check` refuses imports of any
 * other file of this module from outside it): the tenant's public shape and its mapping.
 */
export { tenantSchema } from "./tenants.schemas";
export { toTenantDto } from "./tenants.service";
