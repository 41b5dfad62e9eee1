export * from "./audit";
export * from "./identity";
export * from "./jobs";
export * from "./tenancy";
