import { and, asc, eq, getTableName, sql } from "drizzle-orm";
import { getTableConfig, type PgColumn } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { SYSTEM_ROLE_NAMES, SYSTEM_ROLES } from "../../src/core/auth/permissions";
import { uuidv7 } from "../../src/core/ids";
import type { AnyResource } from "../../src/core/resource/declaration";
import { auditLogs, roles } from "../../src/db/schema";
import { resources } from "../../src/modules/resources";
import { testDb } from "./db";
import { createCustomRole, createTenant, createUser, type TenantRow, type TestUser } from "./factories";
import { type CallResult, call, type ErrorEnvelope, roundTrips } from "./http";
import { addTeamMember, createTeam } from "./teams";

/**
 * The contract every resource built on the kit keeps (DESIGN §5), run with a few lines per
 * resource: `describeResourceContract("brand", { body, update })`. It drives the HTTP surface
 * only, with rows created through the API, and checks:
 *  1. isolation: no token → 401, a role without the permission → 403, another tenant's id → 404,
 *     X-Organization-Id naming a tenant the caller is not a member of → 403 — each with nothing
 *     changed — and lists never show another tenant's rows;
 *  2. data scope: reference data is seen whole by every role that may read it; owned data is seen
 *     exactly as own / team / subtree / tenant say;
 *  3. If-Match: a stale version → 412 with nothing changed; of two concurrent writers with the
 *     same version exactly one wins;
 *  4. soft delete: 404 afterwards, gone from lists, no second delete;
 *  5. mass assignment: tenant_id, id, created_by, version, created_at, deleted_at → 400 naming the
 *     field, nothing written (create and update);
 *  6. Idempotency-Key: a retry replays the first answer (one row), the same key with another body → 422;
 *  7. audit: create, update (old and new values) and delete each leave their row;
 *  8. one database round trip per read and per write (Server-Timing, DB_TIMING on in tests);
 *  9. a full keyset walk (`cursor`) sees every row exactly once, in the list's order;
 * 10. every success body parses with the published response schema.
 */

export interface ContractCase {
  /** A valid create body; `n` makes unique fields unique. */
  body: (n: number) => Record<string, unknown>;
  /** A valid partial update. */
  update: Record<string, unknown>;
  /**
   * Fields a create needs that point at other rows of the creator's tenant (e.g. a note's parent):
   * called for every successful create with its creator, merged into the body.
   */
  with?: (creator: TestUser) => Promise<Record<string, unknown>>;
  /** The published schemas of a single resource and of a list (default: the declaration's). */
  schemas?: { one?: ZodType; list?: ZodType };
}

type Row = { id: string; version: number } & Record<string, unknown>;
type One = { data: Row };
type List = { data: Row[]; pagination: { next_cursor: string | null } };

const SERVER_OWNED: Record<string, unknown> = {
  tenant_id: "0190a000-0000-7000-8000-000000000001",
  id: "0190a000-0000-7000-8000-000000000002",
  created_by: "0190a000-0000-7000-8000-000000000003",
  version: 9,
  created_at: "2026-01-01T00:00:00Z",
  deleted_at: "2026-01-01T00:00:00Z",
};

/** Every row of the resource's table in the tenant (deleted included) and the tenant's audit rows. */
async function snapshot(res: AnyResource, tenantId: string) {
  const db = testDb();
  const config = getTableConfig(res.table);
  const column = (name: string) => config.columns.find((c) => c.name === name) as PgColumn;
  const [rows, audit] = await db.batch([
    db
      .select()
      .from(res.table)
      .where(eq(column("tenant_id"), tenantId))
      .orderBy(asc(column("id"))),
    db.select().from(auditLogs).where(eq(auditLogs.tenantId, tenantId)).orderBy(asc(auditLogs.id)),
  ]);
  return { rows, audit };
}

async function auditFor(tenantId: string, entityId: string) {
  return testDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.entityId, entityId)))
    .orderBy(asc(auditLogs.createdAt), asc(auditLogs.id));
}

/** Sets an owner column of a row straight in the database (owned resources' scope cases). */
async function setOwner(res: AnyResource, column: string, tenantId: string, id: string, userId: string) {
  await testDb().execute(
    sql`update ${sql.identifier(getTableName(res.table))} set ${sql.identifier(column)} = ${userId}::uuid
      where tenant_id = ${tenantId}::uuid and id = ${id}::uuid`,
  );
}

/** A role with just `permissions` and `scope` (custom, so the system catalogue does not apply). */
async function roleWith(
  tenant: TenantRow,
  name: string,
  permissions: string[],
  scope: "own" | "team" | "subtree" | "tenant",
) {
  await testDb()
    .insert(roles)
    .values({ tenantId: tenant.id, id: uuidv7(), name, permissions, scope, isSystem: false });
}

export function describeResourceContract(name: string, c: ContractCase): void {
  const res = resources.find((r) => r.name === name);
  if (!res) throw new Error(`no kit resource named ${name} in src/modules/resources.ts`);
  const base = `/api${res.path}`;
  const oneSchema = c.schemas?.one ?? res.schemas.response;
  const listSchema = c.schemas?.list ?? res.schemas.listResponse;
  let counter = 0;
  const nextBody = () => c.body(++counter);

  /** Parses a success body with the published schema (check 10). */
  function published<T>(result: CallResult<T>, schema: ZodType): CallResult<T> {
    if (result.status < 300 && result.status !== 204) {
      const parsed = schema.safeParse(result.json);
      expect(parsed.success, `${JSON.stringify(parsed.error?.issues)} in ${result.text.slice(0, 300)}`).toBe(
        true,
      );
    }
    return result;
  }
  const getOne = (id: string, token?: string) => call<One>("GET", `${base}/${id}`, token ? { token } : {});
  const list = async (token: string, query = "") =>
    published(await call<List>("GET", `${base}?${query}`, { token }), listSchema);
  const bodyFor = async (user: TestUser) => ({ ...nextBody(), ...(await c.with?.(user)) });
  const create = async (user: TestUser): Promise<Row> => {
    const result = published(
      await call<One>("POST", base, { token: user.token, body: await bodyFor(user) }),
      oneSchema,
    );
    expect(result.status, result.text).toBe(201);
    return result.json.data;
  };
  const setup = async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    return { tenant, admin };
  };

  describe(`resource contract: ${base}`, () => {
    it("isolation: no token → 401, no permission → 403, each route, nothing changed", async () => {
      const { tenant, admin } = await setup();
      const row = await create(admin);
      await createCustomRole(tenant, "no_rights", []);
      const nobody = await createUser(tenant, ["no_rights"]);
      const before = await snapshot(res, tenant.id);
      const routes: [string, string, unknown][] = [
        ["GET", base, undefined],
        ["POST", base, nextBody()],
        ["GET", `${base}/${row.id}`, undefined],
        ["PUT", `${base}/${row.id}`, c.update],
        ["PATCH", `${base}/${row.id}`, c.update],
        ["DELETE", `${base}/${row.id}`, undefined],
      ];
      for (const [method, path, body] of routes) {
        const anonymous = await call<ErrorEnvelope>(method, path, body === undefined ? {} : { body });
        expect(anonymous.status, `${method} ${path}`).toBe(401);
        const forbidden = await call<ErrorEnvelope>(method, path, {
          token: nobody.token,
          ...(body === undefined ? {} : { body }),
        });
        expect(forbidden.status, `${method} ${path}`).toBe(403);
        expect(forbidden.json.error.code).toBe("AUTHORIZATION_ERROR");
      }
      expect(await snapshot(res, tenant.id)).toEqual(before);
    });

    it("isolation: another tenant's id → 404 on every route, nothing changed; lists show only your tenant", async () => {
      const [mine, theirs] = await Promise.all([setup(), setup()]);
      const own = await create(mine.admin);
      const foreign = await create(theirs.admin);
      const before = await snapshot(res, theirs.tenant.id);
      for (const [method, body] of [["GET"], ["PUT", c.update], ["PATCH", c.update], ["DELETE"]] as const) {
        const result = await call<ErrorEnvelope>(method, `${base}/${foreign.id}`, {
          token: mine.admin.token,
          ...(body === undefined ? {} : { body }),
        });
        expect(result.status, method).toBe(404);
        expect(result.json.error.code).toBe("RESOURCE_NOT_FOUND");
      }
      // Naming their organization (X-Organization-Id) without being a member of it → 403 everywhere.
      const named = { "x-organization-id": theirs.tenant.id };
      for (const [method, path, body] of [
        ["GET", base],
        ["POST", base, nextBody()],
        ["GET", `${base}/${foreign.id}`],
        ["PATCH", `${base}/${foreign.id}`, c.update],
        ["DELETE", `${base}/${foreign.id}`],
      ] as const) {
        const result = await call<ErrorEnvelope>(method, path, {
          token: mine.admin.token,
          headers: named,
          ...(body === undefined ? {} : { body }),
        });
        expect(result.status, `${method} ${path} with X-Organization-Id`).toBe(403);
        expect(result.json.error.code).toBe("AUTHORIZATION_ERROR");
      }
      expect(await snapshot(res, theirs.tenant.id)).toEqual(before);
      const listed = await list(mine.admin.token, "page_size=100");
      expect(listed.json.data.map((r) => r.id)).toEqual([own.id]);
    });

    if (res.scope === "tenant") {
      it("data scope: reference data — every role that may read sees every row", async () => {
        const { tenant, admin } = await setup();
        const other = await createUser(tenant, ["admin"]);
        const ids = [(await create(admin)).id, (await create(other)).id].sort();
        const readers = SYSTEM_ROLE_NAMES.filter((role) =>
          (SYSTEM_ROLES[role].permissions as readonly string[]).includes(res.permissions.read),
        );
        expect(readers.length).toBeGreaterThan(2);
        for (const role of readers) {
          const reader = await createUser(tenant, [role]);
          const seen = await list(reader.token, "page_size=100");
          expect(seen.status, role).toBe(200);
          expect(seen.json.data.map((r) => r.id).sort(), role).toEqual(ids);
          for (const id of ids) expect((await getOne(id, reader.token)).status, role).toBe(200);
        }
      });
    } else {
      const ownerColumn = res.scope[0]?.name ?? "created_by";
      it(`data scope: own / team / subtree / tenant see exactly their rows (by ${ownerColumn})`, async () => {
        const { tenant, admin } = await setup();
        const read = [res.permissions.read];
        await Promise.all([
          roleWith(tenant, "c_own", read, "own"),
          roleWith(tenant, "c_team", read, "team"),
          roleWith(tenant, "c_subtree", read, "subtree"),
          roleWith(tenant, "c_tenant", res.readAll ? [...read, res.readAll] : read, "tenant"),
        ]);
        const [member, leader, sibling, areaManager, outsider, everyone] = await Promise.all([
          createUser(tenant, ["c_own"]),
          createUser(tenant, ["c_team"]),
          createUser(tenant, ["c_own"]),
          createUser(tenant, ["c_subtree"]),
          createUser(tenant, ["c_own"]),
          createUser(tenant, ["c_tenant"]),
        ]);
        const area = await createTeam(tenant);
        const team = await createTeam(tenant, { parent: area });
        const siblingTeam = await createTeam(tenant, { parent: area });
        await addTeamMember(area, areaManager.user.id);
        await addTeamMember(team, leader.user.id, true);
        await addTeamMember(team, member.user.id);
        await addTeamMember(siblingTeam, sibling.user.id);
        const rowOf: Record<string, string> = {};
        for (const owner of [member, leader, sibling, outsider]) {
          const row = await create(admin);
          await setOwner(res, ownerColumn, tenant.id, row.id, owner.user.id);
          rowOf[owner.user.id] = row.id;
        }
        const idsOf = (...users: TestUser[]) => users.map((u) => rowOf[u.user.id]).sort();
        const cases: [TestUser, (string | undefined)[]][] = [
          [member, idsOf(member)],
          [leader, idsOf(leader, member)],
          [areaManager, idsOf(leader, member, sibling)],
          // A resource declaring readAll shows a tenant-scope caller only their own rows on the
          // normal list; `view=all` with the permission shows the tenant (below).
          [everyone, res.readAll ? [] : idsOf(member, leader, sibling, outsider)],
        ];
        for (const [user, expected] of cases) {
          const seen = await list(user.token, "page_size=100");
          expect(seen.json.data.map((r) => r.id).sort(), user.roles.join()).toEqual(expected);
        }
        expect((await getOne(rowOf[outsider.user.id] ?? "", member.token)).status).toBe(404);
        if (res.readAll) {
          const all = await list(everyone.token, "page_size=100&view=all");
          expect(all.json.data.map((r) => r.id).sort()).toEqual(idsOf(member, leader, sibling, outsider));
          const outsiderRow = rowOf[outsider.user.id] ?? "";
          expect((await getOne(outsiderRow, everyone.token)).status).toBe(404);
          const detail = await call("GET", `${base}/${outsiderRow}?view=all`, { token: everyone.token });
          expect(detail.status).toBe(200);
          const refused = await call<ErrorEnvelope>("GET", `${base}?view=all`, { token: member.token });
          expect(refused.status).toBe(403);
        }
      });
    }

    it("If-Match: a stale version → 412, nothing changed; of two concurrent writers exactly one wins", async () => {
      const { tenant, admin } = await setup();
      const row = await create(admin);
      const first = published(
        await call<One>("PATCH", `${base}/${row.id}`, {
          token: admin.token,
          body: c.update,
          headers: { "if-match": '"v1"' },
        }),
        oneSchema,
      );
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get("etag")).toBe(`"v${first.json.data.version}"`);
      const before = await snapshot(res, tenant.id);
      for (const method of ["PATCH", "PUT", "DELETE"]) {
        const stale = await call<ErrorEnvelope>(method, `${base}/${row.id}`, {
          token: admin.token,
          headers: { "if-match": '"v1"' },
          ...(method === "DELETE" ? {} : { body: c.update }),
        });
        expect(stale.status, method).toBe(412);
        expect(stale.json.error.code).toBe("PRECONDITION_FAILED");
      }
      expect(await snapshot(res, tenant.id)).toEqual(before);
      const etag = `"v${first.json.data.version}"`;
      const racers = await Promise.all(
        [0, 1].map(() =>
          call("PATCH", `${base}/${row.id}`, {
            token: admin.token,
            body: c.update,
            headers: { "if-match": etag },
          }),
        ),
      );
      expect(racers.map((r) => r.status).sort()).toEqual([200, 412]);
    });

    it("soft delete: 204, then 404 on read, write and delete, and gone from the list", async () => {
      const { admin } = await setup();
      const row = await create(admin);
      const deleted = await call("DELETE", `${base}/${row.id}`, { token: admin.token });
      expect(deleted.status).toBe(204);
      expect(roundTrips(deleted.headers)).toBe(1);
      expect((await getOne(row.id, admin.token)).status).toBe(404);
      expect((await call("PATCH", `${base}/${row.id}`, { token: admin.token, body: c.update })).status).toBe(
        404,
      );
      expect((await call("DELETE", `${base}/${row.id}`, { token: admin.token })).status).toBe(404);
      expect((await list(admin.token)).json.data.map((r) => r.id)).not.toContain(row.id);
    });

    it("mass assignment: server-owned fields → 400 naming the field, nothing written", async () => {
      const { tenant, admin } = await setup();
      const row = await create(admin);
      const before = await snapshot(res, tenant.id);
      for (const [field, value] of Object.entries(SERVER_OWNED)) {
        for (const [method, path, body] of [
          ["POST", base, { ...nextBody(), [field]: value }],
          ["PATCH", `${base}/${row.id}`, { ...c.update, [field]: value }],
        ] as const) {
          const refused = await call<ErrorEnvelope>(method, path, { token: admin.token, body });
          expect(refused.status, `${method} ${field}`).toBe(400);
          expect(refused.json.error.details).toContainEqual({ field, message: "Unknown field" });
        }
      }
      expect(await snapshot(res, tenant.id)).toEqual(before);
    });

    it("Idempotency-Key: a retry replays the first answer (one row); the key with another body → 422", async () => {
      const { tenant, admin } = await setup();
      const body = await bodyFor(admin);
      const headers = { "idempotency-key": `contract-${uuidv7()}` };
      const first = published(
        await call<One>("POST", base, { token: admin.token, body, headers }),
        oneSchema,
      );
      expect(first.status).toBe(201);
      const again = await call<One>("POST", base, { token: admin.token, body, headers });
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.json.data.id).toBe(first.json.data.id);
      const other = await call<ErrorEnvelope>("POST", base, {
        token: admin.token,
        body: nextBody(),
        headers,
      });
      expect(other.status).toBe(422);
      expect((await snapshot(res, tenant.id)).rows).toHaveLength(1);
    });

    it("audit: create, update (old and new values) and delete each write their row", async () => {
      const { tenant, admin } = await setup();
      const row = await create(admin);
      const updated = await call<One>("PATCH", `${base}/${row.id}`, { token: admin.token, body: c.update });
      expect(updated.status).toBe(200);
      expect((await call("DELETE", `${base}/${row.id}`, { token: admin.token })).status).toBe(204);
      const audit = await auditFor(tenant.id, row.id);
      expect(audit.map((a) => a.action)).toEqual([
        `${res.name}.create`,
        `${res.name}.update`,
        `${res.name}.delete`,
      ]);
      expect(audit.every((a) => a.actorId === admin.user.id && a.entityType === res.name)).toBe(true);
      const [created, update] = audit;
      for (const key of Object.keys(c.update)) {
        expect(created?.newValues, key).toHaveProperty(key);
        expect(update?.oldValues, key).toHaveProperty(key, row[key]);
        expect(update?.newValues, key).toHaveProperty(key, updated.json.data[key]);
      }
    });

    it("one database round trip per read and per write", async () => {
      const { admin } = await setup();
      const created = await call<One>("POST", base, { token: admin.token, body: await bodyFor(admin) });
      expect(roundTrips(created.headers)).toBe(1);
      const id = created.json.data.id;
      const requests: [string, string, unknown][] = [
        ["GET", `${base}/${id}`, undefined],
        ["GET", `${base}?include_total=true`, undefined],
        ["PUT", `${base}/${id}`, c.update],
        ["PATCH", `${base}/${id}`, c.update],
        ["DELETE", `${base}/${id}`, undefined],
      ];
      for (const [method, path, body] of requests) {
        const result = await call(method, path, {
          token: admin.token,
          ...(body === undefined ? {} : { body }),
        });
        expect(result.status, `${method} ${path}`).toBeLessThan(300);
        expect(roundTrips(result.headers), `${method} ${path}`).toBe(1);
      }
    });

    it("keyset paging: a full cursor walk sees every row once, in the list's order", async () => {
      const { admin } = await setup();
      for (let i = 0; i < 7; i++) await create(admin);
      const all = await list(admin.token, "page_size=100&include_total=true");
      expect(all.json.data).toHaveLength(7);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: CallResult<List> = await list(
          admin.token,
          `page_size=2${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.status).toBe(200);
        walked.push(...page.json.data.map((r) => r.id));
        cursor = page.json.pagination.next_cursor;
      } while (cursor);
      expect(walked).toEqual(all.json.data.map((r) => r.id));
      const forged = await call<ErrorEnvelope>(
        "GET",
        `${base}?cursor=${btoa(JSON.stringify({ k: ["x", "y"], p: 2 }))}`,
        {
          token: admin.token,
        },
      );
      expect(forged.status).toBe(400);
      expect(forged.json.error.details?.[0]?.field).toBe("cursor");
    });
  });
}
