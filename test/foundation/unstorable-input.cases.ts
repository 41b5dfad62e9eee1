import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";

// Generated from /api/openapi.json: every string field of every JSON body and every query and
// path parameter of every operation gets a NUL byte, an unpaired surrogate or `%00`. Each must be
// a 400 VALIDATION_ERROR naming the field, never a 500, and nothing may be written — so a route
// added tomorrow is covered without anyone remembering to add it here.
//
// The cases (about 1,500) are split over the files unstorable-input-<k>.test.ts, each running
// every PARTS-th case: in one file the Worker's time per request grew with the requests already
// served (a 10-minute run on a quiet 2-core machine), four files finish in a fraction of that
// and run in parallel.

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Paths (field names from the root) of every string leaf a body schema accepts. */
function stringFields(doc: Document, schema: Schema | undefined, path: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 6) return [];
  if (schema.$ref) {
    const name = schema.$ref.split("/").at(-1) ?? "";
    return stringFields(doc, doc.components?.schemas?.[name], path, depth + 1);
  }
  const variants = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  const found = variants.flatMap((v) => stringFields(doc, v, path, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("string")) found.push(path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    found.push(...stringFields(doc, child, [...path, name], depth + 1));
  }
  if (schema.items) found.push(...stringFields(doc, schema.items, [...path, "0"], depth + 1));
  return found;
}

/** A body with `value` at `path` (arrays for numeric segments). */
function bodyAt(path: string[], value: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const inner = bodyAt(rest, value);
  return /^\d+$/.test(head) ? [inner] : { [head]: inner };
}

const SOME_ID = "0190a6b2-1c3d-7e4f-8a9b-0c1d2e3f4a5b";
const BAD_TEXT = { nul: "a\u0000b", surrogate: "\ud800x" };

/** Audit rows of the tenant and the caller: every write in this API leaves one. */
async function countWrites(tenantId: string, userId: string) {
  const result = await testDb().execute<{ n: number }>(
    sql`select ((select count(*) from audit_logs where tenant_id = ${tenantId})
      + (select count(*) from system_audit where actor_id = ${userId} or tenant_id = ${tenantId}))::int as n`,
  );
  return result.rows[0]?.n ?? 0;
}

/** How many files share the cases. */
export const PARTS = 4;

/** The test of every PARTS-th case, starting at `part` (0-based). */
export function unstorableInputPart(part: number): void {
  describe(`text the database cannot store, in every operation of the OpenAPI document (part ${part + 1} of ${PARTS})`, () => {
    it("is a 400 naming the field, never a 500, and writes nothing", { timeout: 600_000 }, async () => {
      const tenant = await createTenant();
      const admin = await createUser(tenant, ["admin"]);
      const doc = (await call<Document>("GET", "/api/openapi.json")).json;
      const cases: { label: string; method: string; path: string; body?: unknown; field: string }[] = [];
      for (const [template, operations] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(operations)) {
          const concrete = template.replace(/\{[^}]+\}/g, SOME_ID);
          const pathParams = (op.parameters ?? []).filter((p) => p.in === "path");
          for (const p of pathParams) {
            const bad = template.replace(`{${p.name}}`, "%00").replace(/\{[^}]+\}/g, SOME_ID);
            cases.push({ label: `${method} ${template} path ${p.name}`, method, path: bad, field: "(path)" });
          }
          for (const p of (op.parameters ?? []).filter((q) => q.in === "query")) {
            cases.push({
              label: `${method} ${template} ?${p.name}`,
              method,
              path: `${concrete}?${encodeURIComponent(p.name)}=x%00y`,
              field: p.name,
            });
          }
          const schema = op.requestBody?.content?.["application/json"]?.schema;
          for (const field of stringFields(doc, schema)) {
            for (const [kind, value] of Object.entries(BAD_TEXT)) {
              cases.push({
                label: `${method} ${template} body ${field.join(".")} (${kind})`,
                method,
                path: concrete,
                body: bodyAt(field, value),
                field: field.join(".") || "(root)",
              });
            }
          }
        }
      }
      expect(cases.length).toBeGreaterThan(300);
      const mine = cases.filter((_, i) => i % PARTS === part);
      const before = await countWrites(tenant.id, admin.user.id);
      const failures: string[] = [];
      for (let i = 0; i < mine.length; i += 16) {
        await Promise.all(
          mine.slice(i, i + 16).map(async (c) => {
            const res = await call<ErrorEnvelope>(c.method.toUpperCase(), c.path, {
              token: admin.token,
              ...(c.body === undefined ? {} : { body: c.body }),
            });
            const fields = res.json?.error?.details?.map((d) => d.field) ?? [];
            if (
              res.status !== 400 ||
              res.json?.error?.code !== "VALIDATION_ERROR" ||
              !fields.includes(c.field)
            ) {
              failures.push(`${c.label} → ${res.status} ${res.text.slice(0, 160)}`);
            }
          }),
        );
      }
      expect(failures).toEqual([]);
      expect(await countWrites(tenant.id, admin.user.id)).toBe(before);
    });
  });
}
