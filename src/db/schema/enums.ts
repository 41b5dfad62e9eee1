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
