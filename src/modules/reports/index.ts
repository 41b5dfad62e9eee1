export { applyCrmChanged, rebuildCrmRollups, refreshCrmRollups } from "./crm.rollups";
