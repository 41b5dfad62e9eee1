/**
 * The event every CRM write emits after it (`{ entity: "lead" | "client" | "project" |
 * "interaction", id }`): the kit's writes through `emits`, lead conversion and trash restore. The
 * reports module's consumer recomputes the report rollups from it.
 */
export const CRM_CHANGED = "crm.changed";
