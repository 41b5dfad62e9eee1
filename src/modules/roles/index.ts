/**
 * What the roles module offers other modules on purpose (`npm run check` refuses imports of any
 * other file of this module from outside it): the role-name rule, and the SQL predicates for
 * "roles this caller may grant / users this caller may manage".
 */
export { grantableSql, manageableSql } from "./grantable";
export { roleRefSchema } from "./roles.schemas";
