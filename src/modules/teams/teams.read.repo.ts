import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../core/db";
import { inSubtree, memberJson, type TeamMemberRecord, type TeamRecord, teamJson } from "./teams.queries";

/** Team reads: one team with its members, and filtered pages of teams. */

/** One team of the tenant with its members (leaders first, then by name), or undefined. */
export async function findTeam(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ team: TeamRecord; members: TeamMemberRecord[] } | undefined> {
  const result = await db.execute<{ team: TeamRecord; members: TeamMemberRecord[] }>(sql`
    select ${teamJson("t")} as team,
      coalesce((
        select json_agg(${memberJson("m", "u")}
                        order by m.is_leader desc, lower(u.last_name), lower(u.first_name), u.id)
        from team_members m join users u on u.id = m.user_id
        where m.tenant_id = t.tenant_id and m.team_id = t.id
      ), '[]'::json) as members
    from teams t
    where t.tenant_id = ${tenantId}::uuid and t.id = ${id}::uuid`);
  return result.rows[0];
}

export interface TeamFilter {
  /** Children of this team; `null` = root teams. */
  parentId?: string | null;
  /** Every team strictly below this one. */
  ancestorId?: string;
  /** Name contains, case-insensitive. */
  nameContains?: string;
  limit: number;
  offset: number;
  includeTotal: boolean;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * One page of teams (by name), the total when asked, and whether the named parent / ancestor
 * exists in this tenant: one round trip.
 */
export async function listTeams(
  db: Db,
  tenantId: string,
  filter: TeamFilter,
): Promise<{ parentFound: boolean; ancestorFound: boolean; total: number | null; items: TeamRecord[] }> {
  const conditions: SQL[] = [sql`t.tenant_id = ${tenantId}::uuid`];
  if (filter.parentId === null) conditions.push(sql`t.parent_id is null`);
  else if (filter.parentId !== undefined) conditions.push(sql`t.parent_id = ${filter.parentId}::uuid`);
  if (filter.ancestorId !== undefined) {
    const anchor = sql`(select a.path from teams a where a.tenant_id = ${tenantId}::uuid and a.id = ${filter.ancestorId}::uuid)`;
    conditions.push(inSubtree(sql`t.path`, anchor), sql`t.id <> ${filter.ancestorId}::uuid`);
  }
  if (filter.nameContains !== undefined) {
    conditions.push(sql`t.name ilike ${`%${likeEscape(filter.nameContains)}%`}::text`);
  }
  const exists = (id: string | null | undefined) =>
    id
      ? sql`exists (select 1 from teams x where x.tenant_id = ${tenantId}::uuid and x.id = ${id}::uuid)`
      : sql`true`;
  const result = await db.execute<{
    parent_found: boolean;
    ancestor_found: boolean;
    total: number | null;
    items: TeamRecord[];
  }>(sql`
    with filtered as (select t.* from teams t where ${sql.join(conditions, sql` and `)})
    select ${exists(filter.parentId)} as parent_found, ${exists(filter.ancestorId)} as ancestor_found,
      ${filter.includeTotal ? sql`(select count(*)::int from filtered)` : sql`null::int`} as total,
      coalesce((
        select json_agg(s.j order by s.sort_name, s.id)
        from (
          select ${teamJson("f")} as j, lower(f.name) as sort_name, f.id
          from filtered f
          order by lower(f.name), f.id
          limit ${filter.limit} offset ${filter.offset}
        ) s
      ), '[]'::json) as items`);
  const row = result.rows[0];
  return {
    parentFound: row?.parent_found === true,
    ancestorFound: row?.ancestor_found === true,
    total: row?.total ?? null,
    items: row?.items ?? [],
  };
}
