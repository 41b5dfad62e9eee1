import { eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import { teamMembers, teams } from "../../src/db/schema";
import { testDb } from "./db";

export type TeamRow = typeof teams.$inferSelect;

/** A team in `tenant`, optionally below `parent`, with the path the API maintains (`/<root>/…/<id>/`). */
export async function createTeam(
  tenant: { id: string },
  options: { name?: string; parent?: TeamRow; description?: string } = {},
): Promise<TeamRow> {
  const id = uuidv7();
  const [row] = await testDb()
    .insert(teams)
    .values({
      tenantId: tenant.id,
      id,
      name: options.name ?? `Team ${id.slice(-6)}`,
      description: options.description ?? null,
      parentId: options.parent?.id ?? null,
      path: `${options.parent?.path ?? "/"}${id}/`,
    })
    .returning();
  if (!row) throw new Error("team insert returned nothing");
  return row;
}

/** Puts a member of the tenant into a team (a leader sees the team under the `team` scope). */
export async function addTeamMember(team: TeamRow, userId: string, isLeader = false): Promise<void> {
  await testDb().insert(teamMembers).values({ tenantId: team.tenantId, teamId: team.id, userId, isLeader });
}

export async function teamById(id: string): Promise<TeamRow | undefined> {
  return (await testDb().select().from(teams).where(eq(teams.id, id)))[0];
}
