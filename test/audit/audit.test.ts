import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { auditLogs, systemAudit } from "../../src/db/schema";
import { type AuditFilter, auditPageSql } from "../../src/modules/audit/audit.repo";
import { testDb } from "../helpers/db";
import { createCustomRole, createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import type { TeamJson } from "../helpers/teams";

interface Entry {
  id: string;
  source: "tenant" | "system";
  tenant_id: string | null;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  old_values: Record<string, unknown> | null;
  new_values: Record<string, unknown> | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: string;
}

interface AuditList {
  data: Entry[];
  pagination: {
    page: number;
    page_size: number;
    total: number | null;
    pages: number | null;
    next_cursor: string | null;
  };
}

async function readAudit(user: TestUser, query = "", headers: Record<string, string> = {}) {
  return call<AuditList & ErrorEnvelope>("GET", `/api/audit${query}`, { token: user.token, headers });
}

/**
 * `count` rows of one made-up entity type (so a test sees only its own rows), spread over `distinct`
 * timestamps so that many rows tie on created_at and the id decides their order.
 */
async function seed(
  table: "tenant" | "system",
  tenantId: string | null,
  entityType: string,
  count: number,
  distinct: number,
  extra: (i: number) => Partial<typeof auditLogs.$inferInsert> = () => ({}),
) {
  const base = Date.UTC(2025, 0, 1, 12);
  const rows = Array.from({ length: count }, (_, i) => ({
    id: uuidv7(),
    actorId: null,
    action: "probe.write",
    entityType,
    entityId: `e-${i}`,
    newValues: { i },
    createdAt: new Date(base + (i % distinct) * 1000),
    ...extra(i),
  }));
  if (table === "tenant") {
    await testDb()
      .insert(auditLogs)
      .values(rows.map((r) => ({ ...r, tenantId: tenantId ?? "" })));
  } else {
    await testDb()
      .insert(systemAudit)
      .values(rows.map((r) => ({ ...r, tenantId })));
  }
  return rows;
}

/** The API's order: created_at desc, then id desc (UUID order = lowercase hex order). */
function newestFirst<T extends { id: string; createdAt: Date }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
}

async function walk(user: TestUser, query: string, pageSize: number) {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 50; n++) {
    const res = await readAudit(
      user,
      `${query}&page_size=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.data.length).toBeLessThanOrEqual(pageSize);
    ids.push(...res.json.data.map((e) => e.id));
    pages.push(res.json.pagination.page);
    cursor = res.json.pagination.next_cursor;
    if (!cursor) break;
  }
  return { ids, pages };
}

describe("GET /api/audit: access", () => {
  it("no token → 401; no audit:read (agent, team leader, a bare custom role) → 403; manager → 200", async () => {
    const tenant = await createTenant();
    expect((await call<ErrorEnvelope>("GET", "/api/audit")).status).toBe(401);
    await createCustomRole(tenant, "no_rights", []);
    for (const role of ["agent", "team_leader", "no_rights"]) {
      const user = await createUser(tenant, [role]);
      const res = await readAudit(user);
      expect(res.status, role).toBe(403);
      expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
    }
    const manager = await createUser(tenant, ["manager"]);
    expect((await readAudit(manager)).status).toBe(200);
  });

  it("shows only the caller's tenant, whatever the filters", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const [me, them] = await Promise.all([createUser(mine, ["admin"]), createUser(theirs, ["admin"])]);
    const ours = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: me.token,
      body: { name: "Ours" },
    });
    const other = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: them.token,
      body: { name: "Theirs" },
    });
    const all = await readAudit(me, "?page_size=100");
    expect(all.json.data.map((e) => e.entity_id)).toEqual([ours.json.data.id]);
    for (const query of [
      `?entity_id=${other.json.data.id}`,
      `?actor_id=${them.user.id}`,
      "?entity_type=team&action=team.create&include_total=true",
    ]) {
      const res = await readAudit(me, query);
      expect(res.status).toBe(200);
      expect(res.json.data.map((e) => e.entity_id)).not.toContain(other.json.data.id);
    }
  });

  it("X-Tenant-ID from a tenant admin → 403", async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const admin = await createUser(mine, ["admin"]);
    const res = await readAudit(admin, "", { "x-tenant-id": theirs.id });
    expect(res.status).toBe(403);
  });
});

describe("GET /api/audit: entries and filters", () => {
  it("records who, what, from where, in which request — newest first, in one round trip", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const created = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: admin.token,
      body: { name: "Audited" },
      headers: { "user-agent": "field-app/3.1", "cf-connecting-ip": "203.0.113.9" },
    });
    const id = created.json.data.id;
    await call("PATCH", `/api/teams/${id}`, { token: admin.token, body: { name: "Audited twice" } });
    const res = await readAudit(admin);
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.map((e) => e.action)).toEqual(["team.update", "team.create"]);
    expect(res.json.data[1]).toEqual({
      id: expect.any(String),
      source: "tenant",
      tenant_id: tenant.id,
      actor_id: admin.user.id,
      action: "team.create",
      entity_type: "team",
      entity_id: id,
      old_values: null,
      new_values: { name: "Audited", description: null, parent_id: null, path: `/${id}/` },
      ip: "203.0.113.9",
      user_agent: "field-app/3.1",
      request_id: created.headers.get("x-request-id"),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(res.json.data[0]?.old_values).toEqual({ name: "Audited" });
    expect(res.json.pagination).toEqual({
      page: 1,
      page_size: 25,
      total: null,
      pages: null,
      next_cursor: null,
    });
  });

  it("filters by entity type and id, actor, action and an inclusive date range; one round trip each", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const actor = uuidv7();
    const rows = await seed("tenant", tenant.id, "probe", 12, 12, (i) => ({
      actorId: i % 3 === 0 ? actor : null,
      action: i % 2 === 0 ? "probe.create" : "probe.update",
      entityId: `e-${i % 4}`,
    }));
    const expectIds = async (query: string, keep: (r: (typeof rows)[number]) => boolean) => {
      const res = await readAudit(admin, `${query}&page_size=100&include_total=true`);
      expect(res.status, query).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      const expected = newestFirst(rows.filter(keep)).map((r) => r.id);
      expect(
        res.json.data.map((e) => e.id),
        query,
      ).toEqual(expected);
      expect(res.json.pagination.total).toBe(expected.length);
    };
    const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 12) + i * 1000).toISOString();
    await expectIds("?entity_type=probe", () => true);
    await expectIds("?entity_type=probe&entity_id=e-1", (r) => r.entityId === "e-1");
    await expectIds(`?actor_id=${actor}`, (r) => r.actorId === actor);
    await expectIds("?action=probe.update", (r) => r.action === "probe.update");
    await expectIds(`?entity_type=probe&from=${at(3)}&to=${at(7)}`, (r) => {
      const t = r.createdAt.getTime();
      return t >= Date.parse(at(3)) && t <= Date.parse(at(7));
    });
    // Offsets are honoured: 14:00:05+02:00 is 12:00:05Z.
    await expectIds(`?entity_type=probe&from=${encodeURIComponent("2025-01-01T14:00:05+02:00")}`, (r) => {
      return r.createdAt.getTime() >= Date.parse(at(5));
    });
    await expectIds(`?actor_id=${actor}&action=probe.create&entity_id=e-0`, (r) => {
      return r.actorId === actor && r.action === "probe.create" && r.entityId === "e-0";
    });
    await expectIds("?entity_type=nothing-here", () => false);
  });

  it("rejects bad filters and paging with 400 naming the parameter", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const cases: [string, string][] = [
      ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
      ["from=2026-02-01", "from"],
      ["to=2026-02-01T00:00:00", "to"],
      ["to=yesterday", "to"],
      ["actor_id=me", "actor_id"],
      ["page_size=101", "page_size"],
      ["page_size=0", "page_size"],
      ["cursor=garbage", "cursor"],
      [`cursor=${btoa(JSON.stringify({ t: "2025-01-01T00:00:00Z", i: uuidv7(), p: 2 }))}`, "cursor"],
      [`cursor=${btoa(JSON.stringify({ t: "2025-01-01T00:00:00.000000Z", i: "x", p: 2 }))}`, "cursor"],
      ["cursor=abc&page=2", "cursor"],
      ["include_system=yes", "include_system"],
      ["tenant_id=x", "tenant_id"],
    ];
    for (const [query, field] of cases) {
      const res = await readAudit(admin, `?${query}`);
      expect(res.status, query).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        query,
      ).toContain(field);
    }
    const same = await readAudit(admin, "?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    expect(same.status).toBe(200);
  });
});

describe("GET /api/audit: paging", () => {
  it("cursor paging walks every entry once, in order, even with ties and entries written meanwhile", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const rows = await seed("tenant", tenant.id, "paged", 23, 4);
    const expected = newestFirst(rows).map((r) => r.id);

    const { ids, pages } = await walk(admin, "?entity_type=paged", 5);
    expect(ids).toEqual(expected);
    expect(pages).toEqual([1, 2, 3, 4, 5]);

    // Newer entries written during a walk do not shift the pages still to come.
    const first = await readAudit(admin, "?entity_type=paged&page_size=5");
    const newer = await seed("tenant", tenant.id, "paged", 3, 1, () => ({ createdAt: new Date() }));
    const second = await readAudit(
      admin,
      `?entity_type=paged&page_size=5&cursor=${encodeURIComponent(first.json.pagination.next_cursor ?? "")}`,
    );
    expect(second.json.data.map((e) => e.id)).toEqual(expected.slice(5, 10));
    expect(roundTrips(second.headers)).toBe(1);

    // Page numbers (offsets) see the newer entries first, and give a cursor to continue from.
    const byPage = await readAudit(admin, "?entity_type=paged&page_size=5&page=2&include_total=true");
    const everything = newestFirst([...rows, ...newer]).map((r) => r.id);
    expect(byPage.json.data.map((e) => e.id)).toEqual(everything.slice(5, 10));
    expect(byPage.json.pagination).toMatchObject({ page: 2, total: 26, pages: 6 });
    const next = await readAudit(
      admin,
      `?entity_type=paged&page_size=5&cursor=${encodeURIComponent(byPage.json.pagination.next_cursor ?? "")}`,
    );
    expect(next.json.data.map((e) => e.id)).toEqual(everything.slice(10, 15));
    expect(next.json.pagination.page).toBe(3);
  });

  it("an exact multiple of the page size ends without an empty extra page", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const rows = await seed("tenant", tenant.id, "even", 10, 2);
    const { ids, pages } = await walk(admin, "?entity_type=even", 5);
    expect(ids).toEqual(newestFirst(rows).map((r) => r.id));
    expect(pages).toEqual([1, 2]);
  });
});

describe("GET /api/audit: platform events", () => {
  it("include_system=true is refused to tenant admins and managers (403)", async () => {
    const tenant = await createTenant();
    for (const role of ["admin", "owner", "manager"]) {
      const user = await createUser(tenant, [role]);
      const res = await readAudit(user, "?include_system=true");
      expect(res.status, role).toBe(403);
      expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
    }
  });

  it("a super admin gets tenant and system entries merged in one order, each with its source", async () => {
    const tenant = await createTenant();
    const root = await createUser(tenant, ["admin"], { isSuperAdmin: true });
    const kind = `merged-${uuidv7()}`;
    const tenantRows = await seed("tenant", tenant.id, kind, 7, 3);
    const systemRows = await seed("system", null, kind, 6, 5, (i) => ({
      actorId: i === 0 ? root.user.id : null,
    }));
    const expected = newestFirst([...tenantRows, ...systemRows]).map((r) => r.id);

    const res = await readAudit(
      root,
      `?include_system=true&entity_type=${kind}&page_size=100&include_total=true`,
    );
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.map((e) => e.id)).toEqual(expected);
    expect(res.json.pagination.total).toBe(13);
    const sources = new Map(res.json.data.map((e) => [e.id, e.source]));
    for (const r of tenantRows) expect(sources.get(r.id)).toBe("tenant");
    for (const r of systemRows) expect(sources.get(r.id)).toBe("system");
    expect(res.json.data.find((e) => e.source === "system")?.tenant_id).toBeNull();

    const { ids } = await walk(root, `?include_system=true&entity_type=${kind}`, 4);
    expect(ids).toEqual(expected);

    // Without the flag, the same super admin reads the tenant's log only.
    const tenantOnly = await readAudit(root, `?entity_type=${kind}&page_size=100`);
    expect(tenantOnly.json.data.map((e) => e.id)).toEqual(newestFirst(tenantRows).map((r) => r.id));
  });

  it("a super admin's request in another tenant (X-Tenant-ID) shows up as a system event", async () => {
    const [home, target] = await Promise.all([createTenant(), createTenant()]);
    const root = await createUser(home, ["admin"], { isSuperAdmin: true });
    const acted = await call("GET", "/api/teams", {
      token: root.token,
      headers: { "x-tenant-id": target.id },
    });
    expect(acted.status).toBe(200);
    const requestId = acted.headers.get("x-request-id") ?? "";

    // The row is written with waitUntil after the response: poll briefly.
    let entry: Entry | undefined;
    for (let attempt = 0; attempt < 40 && !entry; attempt++) {
      const res = await readAudit(root, `?include_system=true&action=tenant.override&entity_id=${requestId}`);
      expect(res.status).toBe(200);
      entry = res.json.data[0];
      if (!entry) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(entry).toMatchObject({
      source: "system",
      tenant_id: target.id,
      actor_id: root.user.id,
      action: "tenant.override",
      entity_type: "request",
      entity_id: requestId,
      request_id: requestId,
      new_values: { method: "GET", path: "/api/teams", home_tenant_id: home.id },
    });

    // Acting in the target tenant, the super admin reads that tenant's own log; a tenant admin never
    // sees the platform event.
    const targetAdmin = await createUser(target, ["admin"]);
    const asTarget = await readAudit(targetAdmin, "?action=tenant.override");
    expect(asTarget.json.data).toEqual([]);
    const team = await call<{ data: TeamJson }>("POST", "/api/teams", {
      token: targetAdmin.token,
      body: { name: "Target team" },
    });
    const inTarget = await readAudit(root, "?entity_type=team", { "x-tenant-id": target.id });
    expect(inTarget.status).toBe(200);
    expect(inTarget.json.data.map((e) => [e.entity_id, e.tenant_id])).toEqual([
      [team.json.data.id, target.id],
    ]);
  });
});

describe("GET /api/audit: index use", () => {
  /**
   * The plan of the page query for a tenant with a few thousand analysed rows, sequential scans
   * priced out: each filter must be answerable by its index (the plans PostgreSQL 15 picks on
   * 200,000 rows are the same).
   */
  async function planOf(
    tenantId: string,
    filter: Partial<AuditFilter>,
    includeSystem = false,
  ): Promise<string> {
    const full: AuditFilter = { limit: 26, offset: 0, includeSystem, includeTotal: false, ...filter };
    const db = testDb();
    const [, plan] = await db.batch([
      db.execute(sql`set local enable_seqscan = off`),
      db.execute(sql`explain (format json) ${auditPageSql(tenantId, full)}`),
    ]);
    return JSON.stringify(plan.rows);
  }

  it("each filter is served by an audit index", async () => {
    const tenant = await createTenant();
    const actor = uuidv7();
    const db = testDb();
    await db.execute(sql`
      insert into audit_logs (tenant_id, id, actor_id, action, entity_type, entity_id, created_at)
      select ${tenant.id}::uuid, gen_random_uuid(), case when g % 10 = 0 then ${actor}::uuid end,
        (array['team.create', 'team.update', 'user.update', 'visit.complete'])[1 + g % 4],
        (array['team', 'user', 'visit', 'shop'])[1 + g % 4], 'e' || (g % 500),
        now() - make_interval(secs => g)
      from generate_series(1, 4000) g`);
    await db.execute(sql`analyze audit_logs`);
    const cursor = { createdAt: "2025-01-01T00:00:00.000000Z", id: uuidv7() };
    expect(await planOf(tenant.id, {})).toContain("audit_logs_tenant_created_idx");
    expect(await planOf(tenant.id, { after: cursor })).toContain("audit_logs_tenant_created_idx");
    expect(await planOf(tenant.id, { action: "team.update", from: "2025-01-01T00:00:00Z" })).toContain(
      "audit_logs_tenant_created_idx",
    );
    expect(await planOf(tenant.id, { actorId: actor, after: cursor })).toContain(
      "audit_logs_tenant_actor_idx",
    );
    expect(await planOf(tenant.id, { entityType: "team", entityId: "e4" })).toContain(
      "audit_logs_tenant_entity_idx",
    );
    const merged = await planOf(tenant.id, { after: cursor }, true);
    expect(merged).toContain("audit_logs_tenant_created_idx");
    expect(merged).toContain("system_audit_created_idx");
    expect(merged).not.toContain("Seq Scan");
  });
});
