import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, clients, leads, notes, projects, tenants } from "../../src/db/schema";
import { CRON_NIGHTLY } from "../../src/jobs/scheduled";
import { runCron } from "../analytics/support";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { post } from "./support";

const brandSuffix = () => Math.random().toString(36).slice(2, 8);

type TrashList = {
  data: {
    type: string;
    id: string;
    deleted_at: string;
    deleted_by: string | null;
    item: Record<string, unknown>;
  }[];
  pagination: { total: number; page: number; page_size: number };
};

describe("trash: list across types, restore, purge", () => {
  it("lists deleted rows of every type with who and when, in the caller's scope; restores; purges (trash:purge only)", async () => {
    const tenant = await createTenant();
    const [admin, alice, bob] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
      createUser(tenant, ["member"]),
    ]);
    const client = await post(alice, "/api/clients", { name: "Gone client" });
    const lead = await post(alice, "/api/leads", { name: "Gone lead" });
    const project = await post(bob, "/api/projects", { name: "Bob's gone project" });
    const kept = await post(alice, "/api/leads", { name: "Kept" });
    for (const [user, path] of [
      [alice, `/api/clients/${client.id}`],
      [alice, `/api/leads/${lead.id}`],
      [bob, `/api/projects/${project.id}`],
    ] as const) {
      expect((await call("DELETE", path, { token: user.token })).status).toBe(204);
    }

    const mine = await call<TrashList>("GET", "/api/trash", { token: alice.token });
    expect(mine.status, mine.text).toBe(200);
    expect(roundTrips(mine.headers)).toBe(1);
    expect(mine.json.data.map((r) => [r.type, r.id]).sort()).toEqual(
      [
        ["client", client.id],
        ["lead", lead.id],
      ].sort(),
    );
    expect(mine.json.pagination.total).toBe(2);
    expect(mine.json.data.every((r) => r.deleted_by === alice.user.id)).toBe(true);
    expect(mine.json.data.find((r) => r.id === lead.id)?.item.name).toBe("Gone lead");

    const all = await call<TrashList>("GET", "/api/trash?page_size=10", { token: admin.token });
    expect(all.json.data.map((r) => r.id).sort()).toEqual([client.id, lead.id, project.id].sort());
    expect(all.json.data.find((r) => r.id === project.id)?.deleted_by).toBe(bob.user.id);
    const onlyProjects = await call<TrashList>("GET", "/api/trash?type=projects", { token: admin.token });
    expect(onlyProjects.json.data.map((r) => r.id)).toEqual([project.id]);
    expect(
      (await call<TrashList>("GET", "/api/trash?type=lead", { token: admin.token })).json.data.map(
        (r) => r.id,
      ),
    ).toEqual([lead.id]);
    expect((await call("GET", "/api/trash?type=nope", { token: admin.token })).status).toBe(404);

    // Restore: back in the list, audited; not in the trash any more → 404; outside scope → 404.
    expect(
      (await call("POST", `/api/trash/project/${project.id}/restore`, { token: alice.token })).status,
    ).toBe(404);
    const restored = await call<{ data: { id: string; name: string } }>(
      "POST",
      `/api/trash/lead/${lead.id}/restore`,
      {
        token: alice.token,
      },
    );
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json.data.name).toBe("Gone lead");
    expect((await call("GET", `/api/leads/${lead.id}`, { token: alice.token })).status).toBe(200);
    expect((await call("POST", `/api/trash/lead/${lead.id}/restore`, { token: alice.token })).status).toBe(
      404,
    );
    expect((await call("POST", `/api/trash/lead/${kept.id}/restore`, { token: alice.token })).status).toBe(
      404,
    );

    // Purge: members lack trash:purge; another tenant's admin → 404; the admin purges, audited.
    const forbidden = await call<ErrorEnvelope>("DELETE", `/api/trash/client/${client.id}`, {
      token: alice.token,
    });
    expect(forbidden.status).toBe(403);
    const stranger = await createUser(await createTenant(), ["admin"]);
    expect((await call("DELETE", `/api/trash/client/${client.id}`, { token: stranger.token })).status).toBe(
      404,
    );
    expect((await call<TrashList>("GET", "/api/trash", { token: stranger.token })).json.data).toEqual([]);
    const purged = await call("DELETE", `/api/trash/client/${client.id}`, { token: admin.token });
    expect(purged.status).toBe(204);
    const db = testDb();
    expect(await db.select().from(clients).where(eq(clients.id, client.id))).toHaveLength(0);
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, client.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["client.create", "client.delete", "client.purge"]);
    expect(audit.every((a) => a.entityType === "client")).toBe(true);
    expect(
      (await call("DELETE", `/api/trash/lead/${lead.id}`, { token: admin.token })).status,
      "a live row is not in the trash",
    ).toBe(404);

    // Every kit resource has a trash: a deleted brand shows to those who may restore it, not to members.
    const brand = await post(admin, "/api/brands", { name: `Trashed brand ${brandSuffix()}` });
    expect((await call("DELETE", `/api/brands/${brand.id}`, { token: admin.token })).status).toBe(204);
    const adminTrash = await call<TrashList>("GET", "/api/trash", { token: admin.token });
    expect(adminTrash.json.data.find((r) => r.id === brand.id)?.type).toBe("brand");
    const memberTrash = await call<TrashList>("GET", "/api/trash", { token: alice.token });
    expect(memberTrash.json.data.map((r) => r.id)).not.toContain(brand.id);
  });

  it("a purge refused while a row still references it → 409, nothing removed", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const client = await post(admin, "/api/clients", { name: "Referenced" });
    await post(admin, "/api/projects", { name: "Closed one", client_id: client.id, status: "completed" });
    expect((await call("DELETE", `/api/clients/${client.id}`, { token: admin.token })).status).toBe(204);
    const refused = await call<ErrorEnvelope>("DELETE", `/api/trash/client/${client.id}`, {
      token: admin.token,
    });
    expect(refused.status).toBe(409);
    expect(await testDb().select().from(clients).where(eq(clients.id, client.id))).toHaveLength(1);
  });

  it("the nightly job purges trash older than the tenant's trash_retention_days, children first, audited", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const db = testDb();
    await db
      .update(tenants)
      .set({ settings: sql`${tenants.settings} || '{"trash_retention_days": 7}'::jsonb` })
      .where(eq(tenants.id, tenant.id));
    const client = await post(admin, "/api/clients", { name: "Old client" });
    const project = await post(admin, "/api/projects", {
      name: "Old project",
      client_id: client.id,
      status: "cancelled",
    });
    const note = await post(admin, "/api/notes", { body: "On the old client", client_id: client.id });
    const recent = await post(admin, "/api/leads", { name: "Recently deleted" });
    const live = await post(admin, "/api/leads", { name: "Alive" });
    for (const path of [
      `/api/projects/${project.id}`,
      `/api/clients/${client.id}`,
      `/api/leads/${recent.id}`,
    ]) {
      expect((await call("DELETE", path, { token: admin.token })).status).toBe(204);
    }
    const now = new Date("2026-12-02T02:30:00Z");
    const eightDaysAgo = new Date(now.getTime() - 8 * 86_400_000);
    const sixDaysAgo = new Date(now.getTime() - 6 * 86_400_000);
    await db.update(clients).set({ deletedAt: eightDaysAgo }).where(eq(clients.id, client.id));
    await db.update(projects).set({ deletedAt: eightDaysAgo }).where(eq(projects.id, project.id));
    await db.update(leads).set({ deletedAt: sixDaysAgo }).where(eq(leads.id, recent.id));

    await runCron(CRON_NIGHTLY, now);
    expect(await db.select().from(clients).where(eq(clients.tenantId, tenant.id))).toHaveLength(0);
    expect(await db.select().from(projects).where(eq(projects.tenantId, tenant.id))).toHaveLength(0);
    expect(await db.select().from(notes).where(eq(notes.id, note.id))).toHaveLength(0);
    const left = await db.select().from(leads).where(eq(leads.tenantId, tenant.id));
    expect(left.map((l) => l.id).sort()).toEqual([recent.id, live.id].sort());
    const purges = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), sql`${auditLogs.action} like '%.purge'`));
    expect(purges.map((a) => a.entityId).sort()).toEqual([client.id, project.id].sort());
    // Twice is the same as once.
    await runCron(CRON_NIGHTLY, now);
    expect((await db.select().from(leads).where(eq(leads.tenantId, tenant.id))).length).toBe(2);
  });
});
