import { sql } from "drizzle-orm";
import type { Db } from "../../core/db";

/** The floor: one round trip that does no work in Postgres. */
export async function selectOne(db: Db): Promise<number> {
  const result = await db.execute<{ one: number }>(sql`select 1 as one`);
  return Number(result.rows[0]?.one ?? 0);
}
