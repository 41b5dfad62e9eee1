import { env } from "cloudflare:workers";
import { neon, Pool } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureDriver } from "../../src/core/db";
import { loadConfig } from "../../src/core/env";

/**
 * The local SQL-over-HTTP endpoint must be indistinguishable from Neon's for the driver: the same
 * query over HTTP (neon()) and over WebSocket (Pool, the Postgres wire protocol) gives identical
 * JavaScript values and identical errors.
 */
const config = loadConfig(env);
configureDriver(config);
const http = neon(config.DATABASE_URL);
const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
const parent = `contract_parent_${suffix}`;
const child = `contract_child_${suffix}`;

let pool: Pool;

beforeAll(async () => {
  pool = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  await http.query(`create table ${parent} (id int primary key, code text not null unique)`);
  await http.query(
    `create table ${child} (id int primary key, parent_id int not null references ${parent}(id))`,
  );
  await http.query(`insert into ${parent} (id, code) values (1, 'a')`);
});

afterAll(async () => {
  await http.query(`drop table if exists ${child}`);
  await http.query(`drop table if exists ${parent}`);
  await pool.end();
});

const VALUES_QUERY = `select
  42::int4 as int4, (-9007199254740993)::int8 as int8, 12345678901234567890.0123::numeric as numeric,
  true as bool_true, false as bool_false, 'héllo, "wörld"'::text as text,
  '0190d4c8-7a2b-7cde-8f00-0123456789ab'::uuid as uuid,
  '2026-11-21T10:11:12.345678+02:00'::timestamptz as timestamptz, '2024-02-29'::date as date,
  '{"a":[1,2,{"b":null}],"s":"x"}'::jsonb as jsonb, array['a','b c','"q"',null]::text[] as text_array,
  '\\x00ff10'::bytea as bytea, null::text as null_value`;

describe("Neon driver: HTTP endpoint vs WebSocket", () => {
  it("returns identical JavaScript values for every common type", async () => {
    const viaHttp = (await http.query(VALUES_QUERY)) as Record<string, unknown>[];
    const viaWs = (await pool.query(VALUES_QUERY)).rows as Record<string, unknown>[];
    expect(viaHttp).toHaveLength(1);
    expect(viaHttp).toEqual(viaWs);
    const row = viaHttp[0] as Record<string, unknown>;
    expect(row.int4).toBe(42);
    expect(row.int8).toBe("-9007199254740993");
    expect(row.numeric).toBe("12345678901234567890.0123");
    expect(row.bool_true).toBe(true);
    expect(row.timestamptz).toEqual(new Date("2026-11-21T08:11:12.345Z"));
    expect(row.jsonb).toEqual({ a: [1, 2, { b: null }], s: "x" });
    expect(row.text_array).toEqual(["a", "b c", '"q"', null]);
    expect(Array.from(row.bytea as Uint8Array)).toEqual([0, 255, 16]);
    expect(row.null_value).toBeNull();
  });

  it("binds parameters identically", async () => {
    const q = "select $1::int8 + 1 as n, $2::text as t, $3::jsonb as j, $4::bytea as b";
    const params = ["41", "x", JSON.stringify({ k: [1] }), "\\x0102"];
    const viaHttp = await http.query(q, params);
    const viaWs = (await pool.query(q, params)).rows;
    expect(viaHttp).toEqual(viaWs);
  });

  async function errorOf(run: () => Promise<unknown>) {
    try {
      await run();
    } catch (err) {
      const e = err as Record<string, unknown>;
      return {
        code: e.code,
        constraint: e.constraint,
        detail: e.detail,
        table: e.table,
        schema: e.schema,
        severity: e.severity,
        message: e.message,
      };
    }
    throw new Error("expected the query to fail");
  }

  it("reports a unique violation (23505) identically", async () => {
    const q = `insert into ${parent} (id, code) values (2, 'a')`;
    const viaHttp = await errorOf(() => http.query(q));
    const viaWs = await errorOf(() => pool.query(q));
    expect(viaHttp.code).toBe("23505");
    expect(viaHttp.constraint).toBe(`${parent}_code_key`);
    expect(viaHttp).toEqual(viaWs);
  });

  it("reports a foreign-key violation (23503) identically", async () => {
    const q = `insert into ${child} (id, parent_id) values (1, 999)`;
    const viaHttp = await errorOf(() => http.query(q));
    const viaWs = await errorOf(() => pool.query(q));
    expect(viaHttp.code).toBe("23503");
    expect(viaHttp.detail).toContain("999");
    expect(viaHttp).toEqual(viaWs);
  });

  it("runs a batch in one transaction: a failing statement rolls back the others", async () => {
    await expect(
      http.transaction([
        http.query(`insert into ${parent} (id, code) values (10, 'ten')`),
        http.query(`insert into ${parent} (id, code) values (11, 'a')`),
      ]),
    ).rejects.toMatchObject({ code: "23505" });
    const rows = await http.query(`select id from ${parent} where id in (10, 11)`);
    expect(rows).toEqual([]);
  });

  it("honours the read-only batch header", async () => {
    await expect(
      http.transaction([http.query(`insert into ${parent} (id, code) values (20, 'ro')`)], {
        readOnly: true,
      }),
    ).rejects.toMatchObject({ code: "25006" });
  });

  it("honours the isolation level header", async () => {
    const [[row]] = (await http.transaction(
      [http.query("select current_setting('transaction_isolation') as level")],
      {
        isolationLevel: "Serializable",
      },
    )) as [Record<string, unknown>[]];
    expect(row?.level).toBe("serializable");
  });
});
