/**
 * What the auth module offers other modules on purpose (`npm run check` refuses imports of any
 * other file of this module from outside it): the password rule.
 */
export { passwordSchema } from "./auth.schemas";
