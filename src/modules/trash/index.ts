export { purgeExpiredTrash } from "./trash.service";
