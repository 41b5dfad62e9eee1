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
 * with the function the database has, so the two cannot drift. A read (`planCachedFunction`)
 * returns the statement's rows; a write (`planCachedWrite`) runs its statements in order.
 */
export interface PlanCachedFunction<A extends Record<string, string>> {
  readonly name: string;
  /** The function's body as the database stores it (`pg_proc.prosrc`). */
  body(): string;
  /** `CREATE OR REPLACE FUNCTION …`: what the migration holds. */
  definition(): string;
  /** The statement that runs it (see `planCachedFunction` and `planCachedWrite`). */
  call(values: { [K in keyof A]: unknown }): SQL;
}

const dialect = new PgDialect();

/** A value no request binds: marks where an argument goes. */
const standIn = (key: string) => `\u0000plan-cache-argument:${key}`;

/** Renders `statements` with the arguments' stand-ins replaced by the arguments (`p_<key>`). */
function render<A extends Record<string, string>>(
  name: string,
  args: A,
  statements: (args: { [K in keyof A]: string }) => readonly SQL[],
): string[] {
  const keys = Object.keys(args);
  const argumentOf = new Map(keys.map((k) => [standIn(k), `p_${k}`]));
  const values = Object.fromEntries(keys.map((k) => [k, standIn(k)])) as { [K in keyof A]: string };
  return statements(values).map((statement) => {
    const query = dialect.sqlToQuery(statement);
    return query.sql.trim().replace(/\$(\d+)\b/g, (_, n: string) => {
      const value = query.params[Number(n) - 1];
      const argument = typeof value === "string" ? argumentOf.get(value) : undefined;
      if (!argument) throw new Error(`${name}: the statement binds a value ($${n}) that is not an argument`);
      return argument;
    });
  });
}

function declare<A extends Record<string, string>>(
  name: string,
  args: A,
  returns: string,
  body: () => string,
  call: (values: { [K in keyof A]: unknown }) => SQL,
): PlanCachedFunction<A> {
  const keys = Object.keys(args);
  return {
    name,
    body,
    definition: () =>
      `CREATE OR REPLACE FUNCTION ${name}(${keys.map((k) => `p_${k} ${args[k]}`).join(", ")})\n` +
      `RETURNS ${returns} AS $fn$${body()}$fn$;`,
    call,
  };
}

/** The function's arguments in a call: each value bound and cast to its type. */
function argumentList<A extends Record<string, string>>(args: A, values: { [K in keyof A]: unknown }): SQL {
  return sql.join(
    Object.keys(args).map((k) => sql`${values[k]}::${sql.raw(args[k] ?? "")}`),
    sql`, `,
  );
}

/**
 * Declares the function `name(p_<arg> <type>, …) returns setof json` running `statement`, which
 * must select one json column and bind no value but the arguments it is given (each as a value:
 * `${args.tenant}::uuid`). `call()` selects its rows as `row`, in the statement's order.
 */
export function planCachedFunction<A extends Record<string, string>>(
  name: string,
  args: A,
  statement: (args: { [K in keyof A]: string }) => SQL,
): PlanCachedFunction<A> {
  return declare(
    name,
    args,
    "SETOF json LANGUAGE plpgsql STABLE",
    () => `\nBEGIN\n  RETURN QUERY ${render(name, args, (a) => [statement(a)])[0]};\nEND\n`,
    (values) =>
      sql`select r.row from ${sql.raw(name)}(${argumentList(args, values)}) with ordinality as r(row, n) order by r.n`,
  );
}

/**
 * Declares the function `name(p_<arg> <type>, …) returns void` running the write `statements` in
 * order, in the caller's transaction (each sees what the previous one wrote, as in a `db.batch`);
 * the same rules for bound values. `call()` is the statement that runs it.
 */
export function planCachedWrite<A extends Record<string, string>>(
  name: string,
  args: A,
  statements: (args: { [K in keyof A]: string }) => readonly SQL[],
): PlanCachedFunction<A> {
  return declare(
    name,
    args,
    "void LANGUAGE plpgsql",
    () =>
      `\nBEGIN\n${render(name, args, statements)
        .map((s) => `  ${s};\n`)
        .join("")}END\n`,
    (values) => sql`select ${sql.raw(name)}(${argumentList(args, values)})`,
  );
}
