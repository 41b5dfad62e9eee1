import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

/**
 * A statement Postgres plans once per connection instead of on every query. Over the HTTP driver
 * there are no prepared statements, and a large statement (a goal's progress: a dozen CTEs and
 * joins) can cost more to plan than to run. A plpgsql function's statements are cached like
 * prepared ones: custom plans for the first five calls on a connection, then the generic plan
 * when it is estimated no costlier.
 *
 * The statement's ordinary builder stays the one source of its SQL: `body()` runs it with a
 * stand-in value per argument and puts the function's argument (`p_<name>`) wherever a stand-in
 * was bound; a migration creates the function from `definition()`, and a test compares `body()`
 * with the function the database has, so the two cannot drift. `call()` selects the function's
 * rows in the statement's own order.
 */
export interface PlanCachedFunction<A extends Record<string, string>> {
  readonly name: string;
  /** The function's body as the database stores it (`pg_proc.prosrc`). */
  body(): string;
  /** `CREATE OR REPLACE FUNCTION …`: what the migration holds. */
  definition(): string;
  /** `select r.row from <name>(…) …`: one `row` (json) per row of the statement, in its order. */
  call(values: { [K in keyof A]: unknown }): SQL;
}

const dialect = new PgDialect();

/** A value no request binds: marks where an argument goes. */
const standIn = (key: string) => `\u0000plan-cache-argument:${key}`;

/**
 * Declares the function `name(p_<arg> <type>, …) returns setof json` running `statement`, which
 * must select one json column and bind no value but the arguments it is given (each as a value:
 * `${args.tenant}::uuid`).
 */
export function planCachedFunction<A extends Record<string, string>>(
  name: string,
  args: A,
  statement: (args: { [K in keyof A]: string }) => SQL,
): PlanCachedFunction<A> {
  const keys = Object.keys(args) as (keyof A & string)[];
  const argumentOf = new Map(keys.map((k) => [standIn(k), `p_${k}`]));
  const body = () => {
    const query = dialect.sqlToQuery(
      statement(Object.fromEntries(keys.map((k) => [k, standIn(k)])) as { [K in keyof A]: string }),
    );
    const text = query.sql.replace(/\$(\d+)\b/g, (_, n: string) => {
      const value = query.params[Number(n) - 1];
      const argument = typeof value === "string" ? argumentOf.get(value) : undefined;
      if (!argument) throw new Error(`${name}: the statement binds a value ($${n}) that is not an argument`);
      return argument;
    });
    return `\nBEGIN\n  RETURN QUERY ${text.trim()};\nEND\n`;
  };
  return {
    name,
    body,
    definition: () =>
      `CREATE OR REPLACE FUNCTION ${name}(${keys.map((k) => `p_${k} ${args[k]}`).join(", ")})\n` +
      `RETURNS SETOF json LANGUAGE plpgsql STABLE AS $fn$${body()}$fn$;`,
    call: (values) =>
      sql`select r.row from ${sql.raw(name)}(${sql.join(
        keys.map((k) => sql`${values[k]}::${sql.raw(args[k] ?? "")}`),
        sql`, `,
      )}) with ordinality as r(row, n) order by r.n`,
  };
}
