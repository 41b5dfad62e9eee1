import { type SQL, sql } from "drizzle-orm";
import { isoSql } from "../../core/audit";
import type { Db } from "../../core/db";
import type { auditLogs } from "../../db/schema";
import { MAX_TEAM_DEPTH } from "./teams.schemas";

/**
 * Team SQL pieces shared by the team repositories (reads, tree writes, members).
 *
 * Paths are `/<root id>/…/<own id>/`: every id is a 36-character UUID plus its slash, so
 * a path's length says its depth, and "every team below X" is the prefix range on
 * `teams_tenant_path_idx` (tenant_id, path text_pattern_ops). Every write that reads or rewrites
 * paths (create, update/move) first takes a per-tenant advisory lock inside its own batch, so tree
 * changes of one tenant apply one after the other and each statement sees the previous one's paths:
 * two concurrent moves can never build a cycle or leave a stale path behind.
 */

/** The audit row a team write inserts alongside its change. */
export type AuditInsert = typeof auditLogs.$inferInsert;

/** `/` + MAX_TEAM_DEPTH × (36-character id + `/`). */
export const MAX_PATH_LENGTH = 1 + 37 * MAX_TEAM_DEPTH;

export interface TeamRecord {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  path: string;
  version: number;
  created_at: string;
  updated_at: string;
  member_count: number;
}

export interface TeamMemberRecord {
  user_id: string;
  first_name: string;
  last_name: string;
  email: string;
  is_leader: boolean;
  added_at: string;
}

/** A team row (under `alias`) as the JSON the service maps, with its member count. */
export function teamJson(alias: string): SQL {
  const t = sql.raw(alias);
  return sql`json_build_object(
    'id', ${t}.id, 'name', ${t}.name, 'description', ${t}.description, 'parent_id', ${t}.parent_id,
    'path', ${t}.path, 'version', ${t}.version,
    'created_at', ${isoSql(sql`${t}.created_at`)}, 'updated_at', ${isoSql(sql`${t}.updated_at`)},
    'member_count', (select count(*)::int from team_members mc
                     where mc.tenant_id = ${t}.tenant_id and mc.team_id = ${t}.id))`;
}

/** A team member (under `member`) joined to its user (under `user`) as the JSON the service maps. */
export function memberJson(member: string, user: string): SQL {
  const m = sql.raw(member);
  const u = sql.raw(user);
  return sql`json_build_object(
    'user_id', ${u}.id, 'first_name', ${u}.first_name, 'last_name', ${u}.last_name, 'email', ${u}.email,
    'is_leader', ${m}.is_leader, 'added_at', ${isoSql(sql`${m}.created_at`)})`;
}

/** `path` lies strictly or not below `prefix` (prefix range, index-friendly). */
export function inSubtree(path: SQL, prefix: SQL): SQL {
  return sql`(${path} operator(pg_catalog.~>=~) ${prefix} and ${path} operator(pg_catalog.~<~) (${prefix} || '~'))`;
}

/** Serialises the tenant's tree writes until the batch commits. */
export function lockTree(db: Db, tenantId: string) {
  return db.execute(sql`select pg_advisory_xact_lock(hashtext('teams'), hashtext(${tenantId}::text))`);
}
