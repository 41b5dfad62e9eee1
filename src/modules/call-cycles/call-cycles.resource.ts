import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";
import { booleanQuery } from "../../core/pagination";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { uuidParam } from "../../core/resource/params";
import { callCycles, memberships, teams } from "../../db/schema";
import { checkCycleDates, cycleDescription, cycleName, isoDate, locationSchema } from "./call-cycles.schemas";

/**
 * Call cycles (route plans): owned data — an agent sees the cycles they own or created, a team
 * leader also their team's, managers their subtree's, admins all (scope owners `created_by`,
 * `owner_id`). `owner_id` defaults to the creator and must be a member of the tenant; `team_id`
 * a team of the tenant. Locations change through their own routes and bump the cycle's version.
 */
export const callCycleResource = defineResource({
  name: "call_cycle",
  entity: "Call cycle",
  path: "/call_cycles",
  tag: "call_cycles",
  table: callCycles,
  fields: {
    name: field(callCycles.name, cycleName, z.string()),
    description: field(callCycles.description, cycleDescription.optional(), z.string().nullable()),
    owner_id: field(
      callCycles.ownerId,
      z
        .uuid()
        .optional()
        .describe("The agent or manager responsible (default: you); the default assignee of its locations"),
      z.uuid(),
    ),
    team_id: field(
      callCycles.teamId,
      z.uuid().nullable().optional().describe("The team the cycle belongs to"),
      z.uuid().nullable(),
    ),
    start_date: field(
      callCycles.startDate,
      isoDate.describe("First day of the plan (tenant-local)"),
      z.iso.date(),
    ),
    end_date: field(
      callCycles.endDate,
      isoDate
        .nullable()
        .optional()
        .describe("Last day of the plan, on or after start_date; none: open-ended"),
      z.iso.date().nullable(),
    ),
    is_active: field(
      callCycles.isActive,
      z.boolean().optional().describe("Default true; an inactive cycle plans no calls"),
      z.boolean(),
    ),
  },
  permissions: { read: "call_cycles:read", write: "call_cycles:write", delete: "call_cycles:write" },
  scope: [callCycles.createdBy, callCycles.ownerId],
  references: {
    owner_id: { table: memberships, entity: "User", key: memberships.userId },
    team_id: { table: teams, entity: "Team" },
  },
  filters: {
    q: contains(callCycles.name, "Name contains (case-insensitive)"),
    owner_id: equals(callCycles.ownerId, uuidParam),
    team_id: equals(callCycles.teamId, uuidParam),
    is_active: equals(callCycles.isActive, booleanQuery),
  },
  order: { column: callCycles.name, caseInsensitive: true },
});

/** A cycle with its live locations: the single-resource representation. */
export const callCycleWithLocationsSchema = callCycleResource.schemas.item
  .extend({ locations: z.array(locationSchema).describe("Live locations, by shop name") })
  .openapi("CallCycleWithLocations");
export type CallCycleDto = z.infer<typeof callCycleWithLocationsSchema>;
export const callCycleResponse = dataEnvelope(callCycleWithLocationsSchema);

/** The create body: the declared fields, `end_date` not before `start_date` (400 naming `end_date`). */
export const createCallCycleBody = callCycleResource.schemas.create.superRefine(checkCycleDates);
export type CreateCallCycleInput = z.output<typeof createCallCycleBody>;
export type UpdateCallCycleInput = z.output<typeof callCycleResource.schemas.update>;
