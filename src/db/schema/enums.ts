/** The closed value lists of the field-sales tables (text columns with a drizzle `enum`). */

export const VISIT_TYPES = ["shop", "individual"] as const;
export const QUESTION_TYPES = [
  "text",
  "number",
  "boolean",
  "single_choice",
  "multiple_choice",
  "rating",
  "date",
  "photo",
] as const;
export const PHOTO_PURPOSES = ["shelf", "product", "storefront", "survey", "other"] as const;
export const UPLOAD_STATUSES = ["pending", "uploaded"] as const;
export const GOAL_METRICS = [
  "visits_completed",
  "surveys_completed",
  "photos_uploaded",
  "shelf_share",
] as const;
export const GOAL_PERIOD_TYPES = ["fixed", "weekly", "monthly"] as const;

/**
 * The CRM's status and source lists (seed 003 Rule 4): spelled exactly as the seed, the only
 * values the generic backend validates.
 */
export const PROJECT_STATUS_OPTIONS = ["active", "pending", "completed", "cancelled"] as const;
export const CLIENT_STATUS_OPTIONS = ["new", "prospect", "active", "inactive"] as const;
export const LEAD_STATUS_OPTIONS = ["new", "contacted", "qualified", "lost", "converted"] as const;
export const LEAD_SOURCE_OPTIONS = [
  "Website",
  "Referral",
  "Cold Call",
  "Email Campaign",
  "Social Media",
  "Trade Show",
  "Advertisement",
  "Partner",
  "Other",
] as const;

/** Seed 004's pipeline: the stages in order (a move to an earlier one is a rollback), and the statuses. */
export const DEAL_STAGES = ["qualification", "proposal", "negotiation", "closed"] as const;
export const DEAL_STATUSES = ["open", "won", "lost"] as const;
