/**
 * The event every deal write emits (`deal_id`, `previous_owner_id`, `previous_closed_at` from the
 * deal service; `{ entity, id }` from a trash restore through the declaration's `emits`): the
 * rollups recompute the deal's cells (before and after).
 */
export const DEAL_CHANGED = "deal.changed";
