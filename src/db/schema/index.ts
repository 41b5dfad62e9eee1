export * from "./audit";
export * from "./field-sales";
export * from "./identity";
export * from "./jobs";
export * from "./tenancy";
