import { and, asc, desc, eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import { auditLogs, teamMembers, teams } from "../../src/db/schema";
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

/** Every team of a tenant and every team membership, ordered: a snapshot to prove nothing changed. */
export async function teamTree(tenantId: string) {
  const db = testDb();
  const [rows, members] = await db.batch([
    db.select().from(teams).where(eq(teams.tenantId, tenantId)).orderBy(asc(teams.path)),
    db
      .select()
      .from(teamMembers)
      .where(eq(teamMembers.tenantId, tenantId))
      .orderBy(asc(teamMembers.teamId), asc(teamMembers.userId)),
  ]);
  return { teams: rows, members };
}

/** A team's members straight from the database. */
export async function membersOf(team: { tenantId: string; id: string }) {
  return testDb()
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.tenantId, team.tenantId), eq(teamMembers.teamId, team.id)))
    .orderBy(asc(teamMembers.userId));
}

/** The audit rows of one entity, newest first. */
export async function auditOf(tenantId: string, entityId: string) {
  return testDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.entityId, entityId)))
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id));
}

/** The team DTO as the API returns it. */
export interface TeamJson {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  path_ids: string[];
  depth: number;
  member_count: number;
  created_at: string;
  updated_at: string;
}
