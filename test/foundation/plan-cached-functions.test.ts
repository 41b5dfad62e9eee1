import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { planCachedFunctions } from "../../src/modules/plan-cached-functions";
import { testDb } from "../helpers/db";

// Hot statements run as plpgsql functions so Postgres caches their plans; a migration holds a
// rendering of each TypeScript builder. A builder changed without a new migration fails here
// (runs of whitespace count as one space: new line breaks or indentation alone need no migration).
const tokens = (text: string | undefined) => text?.replace(/\s+/g, " ").trim();
describe("plan-cached functions", () => {
  it.each(planCachedFunctions.map((fn) => [fn.name, fn] as const))(
    "%s in the database is what its builder renders (else: a migration from `npm run db:functions`)",
    async (name, fn) => {
      const result = await testDb().execute<{ prosrc: string }>(
        sql`select prosrc from pg_proc where proname = ${name}`,
      );
      expect(result.rows).toHaveLength(1);
      expect(tokens(result.rows[0]?.prosrc)).toBe(tokens(fn.body()));
    },
  );
});
