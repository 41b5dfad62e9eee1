import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, clients, leads, projects } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { addTeamMember, createTeam } from "../helpers/teams";
import { listIds, type One, post } from "./support";

describe("CRM visibility (seed 003): own/assigned on normal pages, view=all for admin pages", () => {
  it("user, admin on normal pages, admin/manager with view=all, team leader, viewer, another tenant", async () => {
    const tenant = await createTenant();
    const [admin, manager, alice, bob, leader, viewer] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["manager"]),
      createUser(tenant, ["member"]),
      createUser(tenant, ["member"]),
      createUser(tenant, ["team_leader"]),
      createUser(tenant, ["viewer"]),
    ]);
    const team = await createTeam(tenant);
    await addTeamMember(team, leader.user.id, true);
    await addTeamMember(team, alice.user.id);
    const aliceOwn = await post(alice, "/api/leads", { name: "Alice's lead" });
    const assignedToAlice = await post(admin, "/api/leads", {
      name: "For Alice",
      assigned_to: alice.user.id,
    });
    const bobOwn = await post(bob, "/api/leads", { name: "Bob's lead" });
    const adminOwn = await post(admin, "/api/leads", { name: "Admin's lead" });
    const everything = [aliceOwn.id, assignedToAlice.id, bobOwn.id, adminOwn.id].sort();

    expect(await listIds(alice, "/api/leads")).toEqual([aliceOwn.id, assignedToAlice.id].sort());
    expect(await listIds(bob, "/api/leads")).toEqual([bobOwn.id]);
    // Admins on normal pages: the same rule as users (their own and assigned).
    expect(await listIds(admin, "/api/leads")).toEqual([adminOwn.id, assignedToAlice.id].sort());
    expect(await listIds(admin, "/api/leads?view=all")).toEqual(everything);
    expect(await listIds(manager, "/api/leads")).toEqual([]);
    expect(await listIds(manager, "/api/leads?view=all")).toEqual(everything);
    expect(await listIds(viewer, "/api/leads?view=all")).toEqual(everything);
    // The team leader keeps the team scope: own + the team members'.
    expect(await listIds(leader, "/api/leads")).toEqual([aliceOwn.id, assignedToAlice.id].sort());

    expect((await call("GET", `/api/leads/${bobOwn.id}`, { token: alice.token })).status).toBe(404);
    expect((await call("GET", `/api/leads/${bobOwn.id}`, { token: admin.token })).status).toBe(404);
    expect((await call("GET", `/api/leads/${bobOwn.id}?view=all`, { token: admin.token })).status).toBe(200);
    const refused = await call<ErrorEnvelope>("GET", "/api/leads?view=all", { token: alice.token });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("AUTHORIZATION_ERROR");
    expect((await call("GET", `/api/leads/${bobOwn.id}?view=all`, { token: bob.token })).status).toBe(403);
    // Writes keep the role's scope: an admin may update any row of the tenant, a member only theirs.
    expect(
      (await call("PATCH", `/api/leads/${bobOwn.id}`, { token: alice.token, body: { company: "X" } })).status,
    ).toBe(404);
    expect(
      (await call("PATCH", `/api/leads/${bobOwn.id}`, { token: admin.token, body: { company: "X" } })).status,
    ).toBe(200);
    // The viewer reads but never writes.
    expect((await call("POST", "/api/leads", { token: viewer.token, body: { name: "No" } })).status).toBe(
      403,
    );

    const other = await createTenant();
    const otherAdmin = await createUser(other, ["admin"]);
    expect(await listIds(otherAdmin, "/api/leads?view=all")).toEqual([]);
    expect((await call("GET", `/api/leads/${bobOwn.id}?view=all`, { token: otherAdmin.token })).status).toBe(
      404,
    );
  });
});

describe("CRM statuses and sources (seed 003 Rule 4)", () => {
  it("accepts the seed's values exactly and refuses anything else with 400 naming the field", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    for (const source of [
      "Website",
      "Referral",
      "Cold Call",
      "Email Campaign",
      "Social Media",
      "Trade Show",
      "Advertisement",
      "Partner",
      "Other",
    ]) {
      await post(admin, "/api/leads", { name: `Lead ${source}`, lead_source: source });
    }
    for (const [path, body, field] of [
      ["/api/leads", { name: "x", lead_source: "cold call" }, "lead_source"],
      ["/api/leads", { name: "x", lead_status: "won" }, "lead_status"],
      ["/api/clients", { name: "x", status: "Active" }, "status"],
      ["/api/projects", { name: "x", status: "won" }, "status"],
    ] as const) {
      const result = await call<ErrorEnvelope>("POST", path, { token: admin.token, body });
      expect(result.status, `${path} ${field}`).toBe(400);
      expect(result.json.error.details?.map((d) => d.field)).toContain(field);
    }
  });
});

describe("POST /api/leads/{id}/convert", () => {
  it("creates the client and project, marks the lead converted, links them, audits all three, in one round trip", async () => {
    const tenant = await createTenant();
    const [admin, member] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
    ]);
    const lead = await post(member, "/api/leads", {
      name: "Jane Smith",
      email: "jane@acme.test",
      phone: "+1 555 0101",
      company: "Acme",
      lead_source: "Referral",
      assigned_to: member.user.id,
    });
    const converted = await call<{
      data: {
        lead: Record<string, unknown>;
        client: Record<string, unknown>;
        project: Record<string, unknown>;
      };
    }>("POST", `/api/leads/${lead.id}/convert`, {
      token: member.token,
      body: {
        client: { name: "Acme Corp" },
        project: { name: "Acme rollout", value: 12500, currency: "USD" },
      },
      headers: { "if-match": '"v1"' },
    });
    expect(converted.status, converted.text).toBe(200);
    expect(roundTrips(converted.headers)).toBe(1);
    const { lead: after, client, project } = converted.json.data;
    expect(after.lead_status).toBe("converted");
    expect(typeof after.converted_at).toBe("string");
    expect(after.converted_client_id).toBe(client.id);
    expect(after.converted_project_id).toBe(project.id);
    expect(client).toMatchObject({
      name: "Acme Corp",
      email: "jane@acme.test",
      phone: "+1 555 0101",
      status: "active",
      assigned_to: member.user.id,
    });
    expect(project).toMatchObject({
      name: "Acme rollout",
      client_id: client.id,
      lead_id: lead.id,
      value: 12500,
      status: "pending",
    });

    const db = testDb();
    const [leadRow] = await db
      .select()
      .from(leads)
      .where(and(eq(leads.tenantId, tenant.id), eq(leads.id, lead.id)));
    expect(leadRow?.leadStatus).toBe("converted");
    expect(leadRow?.convertedAt).toBeInstanceOf(Date);
    const audit = await db.select().from(auditLogs).where(eq(auditLogs.tenantId, tenant.id));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "client.create",
      "lead.convert",
      "lead.create",
      "project.create",
    ]);

    const again = await call<ErrorEnvelope>("POST", `/api/leads/${lead.id}/convert`, {
      token: member.token,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(await db.select().from(clients).where(eq(clients.tenantId, tenant.id))).toHaveLength(1);

    // Without a project; a stale If-Match → 412 and nothing written; another tenant → 404.
    const second = await post(admin, "/api/leads", { name: "Solo" });
    const stale = await call("POST", `/api/leads/${second.id}/convert`, {
      token: admin.token,
      body: {},
      headers: { "if-match": '"v7"' },
    });
    expect(stale.status).toBe(412);
    const other = await createUser(await createTenant(), ["admin"]);
    expect(
      (await call("POST", `/api/leads/${second.id}/convert`, { token: other.token, body: {} })).status,
    ).toBe(404);
    const badAccount = await call<ErrorEnvelope>("POST", `/api/leads/${second.id}/convert`, {
      token: admin.token,
      body: { client: { account_id: "0190a000-0000-7000-8000-000000000009" } },
    });
    expect(badAccount.status).toBe(404);
    expect(await db.select().from(clients).where(eq(clients.tenantId, tenant.id))).toHaveLength(1);
    const solo = await call<{ data: { project: unknown; client: { name: string } } }>(
      "POST",
      `/api/leads/${second.id}/convert`,
      { token: admin.token, body: {} },
    );
    expect(solo.status).toBe(200);
    expect(solo.json.data.project).toBeNull();
    expect(solo.json.data.client.name).toBe("Solo");
    // A member cannot convert someone else's lead.
    const bobs = await post(admin, "/api/leads", { name: "Not yours" });
    expect(
      (await call("POST", `/api/leads/${bobs.id}/convert`, { token: member.token, body: {} })).status,
    ).toBe(404);
  });
});

describe("clients and projects rules", () => {
  it("deleting a client with open projects → 409 naming them; after closing them, 204", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const client = await post(admin, "/api/clients", { name: "Busy client" });
    const open = await post(admin, "/api/projects", { name: "Open", client_id: client.id, status: "active" });
    await post(admin, "/api/projects", { name: "Done", client_id: client.id, status: "completed" });
    const refused = await call<ErrorEnvelope>("DELETE", `/api/clients/${client.id}`, { token: admin.token });
    expect(refused.status).toBe(409);
    expect(refused.json.error.details).toEqual([{ field: "project_id", message: open.id }]);
    expect((await call("GET", `/api/clients/${client.id}`, { token: admin.token })).status).toBe(200);
    const closed = await call<One>("PATCH", `/api/projects/${open.id}`, {
      token: admin.token,
      body: { status: "cancelled" },
    });
    expect(closed.json.data.closed_at).toEqual(expect.any(String));
    expect(closed.json.data.won_at).toBeNull();
    const deleted = await call("DELETE", `/api/clients/${client.id}`, { token: admin.token });
    expect(deleted.status).toBe(204);
    expect(roundTrips(deleted.headers)).toBe(1);
  });

  it("projects: completed stamps won_at and closed_at; end_date before start_date → 400", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const project = await post(admin, "/api/projects", { name: "P", start_date: "2026-01-10" });
    expect(project.won_at).toBeNull();
    const won = await call<One>("PATCH", `/api/projects/${project.id}`, {
      token: admin.token,
      body: { status: "completed" },
    });
    expect(won.json.data.won_at).toEqual(expect.any(String));
    expect(won.json.data.closed_at).toEqual(won.json.data.won_at);
    const bad = await call<ErrorEnvelope>("PATCH", `/api/projects/${project.id}`, {
      token: admin.token,
      body: { end_date: "2026-01-01" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([{ field: "end_date", message: "Must not be before start_date" }]);
    const [row] = await testDb().select().from(projects).where(eq(projects.id, project.id));
    expect(row?.endDate).toBeNull();
  });

  it("leads: setting lead_status converted stamps converted_at, another status clears it, a sent one is kept", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const lead = await post(admin, "/api/leads", { name: "L" });
    expect(lead.converted_at).toBeNull();
    const before = Date.now();
    const converted = await call<One>("PATCH", `/api/leads/${lead.id}`, {
      token: admin.token,
      body: { lead_status: "converted" },
    });
    expect(converted.status).toBe(200);
    expect(Date.parse(String(converted.json.data.converted_at))).toBeGreaterThanOrEqual(before - 1000);
    const [row] = await testDb().select().from(leads).where(eq(leads.id, lead.id));
    expect(row?.convertedAt?.toISOString()).toBe(converted.json.data.converted_at);
    const reopened = await call<One>("PATCH", `/api/leads/${lead.id}`, {
      token: admin.token,
      body: { lead_status: "qualified" },
    });
    expect(reopened.json.data.converted_at).toBeNull();
    const imported = await post(admin, "/api/leads", {
      name: "Imported",
      lead_status: "converted",
      converted_at: "2026-03-31T22:00:00Z",
    });
    expect(imported.converted_at).toBe("2026-03-31T22:00:00.000Z");
  });
});

describe("interactions: seed 001's fields", () => {
  it("validates the IANA timezone and end ≥ start (create and partial update), nothing written", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const base = {
      title: "Client Meeting",
      type: "Meeting",
      lead: "Jane Smith",
      start_date_time: "2023-08-15T13:00:00Z",
    };
    const badTz = await call<ErrorEnvelope>("POST", "/api/interactions", {
      token: admin.token,
      body: { ...base, timezone: "Mars/Olympus" },
    });
    expect(badTz.status).toBe(400);
    expect(badTz.json.error.details?.[0]?.field).toBe("timezone");
    const backwards = await call<ErrorEnvelope>("POST", "/api/interactions", {
      token: admin.token,
      body: { ...base, end_date_time: "2023-08-15T12:00:00Z" },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.details).toEqual([
      { field: "end_date_time", message: "Must not be before start_date_time" },
    ]);
    const ok = await post(admin, "/api/interactions", {
      ...base,
      timezone: "America/New_York",
      end_date_time: "2023-08-15T14:00:00-00:00",
    });
    expect(ok).toMatchObject({
      timezone: "America/New_York",
      start_date_time: "2023-08-15T13:00:00.000Z",
      end_date_time: "2023-08-15T14:00:00.000Z",
      done: false,
    });
    const later = await call<ErrorEnvelope>("PATCH", `/api/interactions/${ok.id}`, {
      token: admin.token,
      body: { start_date_time: "2023-08-15T15:00:00Z" },
    });
    expect(later.status).toBe(400);
    expect(
      (await call<One>("GET", `/api/interactions/${ok.id}`, { token: admin.token })).json.data.version,
    ).toBe(1);
  });
});
