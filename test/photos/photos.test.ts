import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { auditLogs, surveyQuestions } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TenantRow } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import { addTeamMember, createTeam } from "../helpers/teams";
import { createPhotoRow, createVisit, type PhotoJson, photoRow, photosOfVisit } from "./support";

const body = (visitId: string, extra: Record<string, unknown> = {}) => ({
  visit_id: visitId,
  purpose: "shelf",
  content_type: "image/jpeg",
  size: 2048,
  ...extra,
});

async function visitIn(tenant: TenantRow): Promise<string> {
  const agent = await createUser(tenant, ["agent"]);
  return (await createVisit(tenant, agent.user.id)).id;
}

async function photoIn(tenant: TenantRow): Promise<string> {
  const agent = await createUser(tenant, ["agent"]);
  return (await createPhotoRow(await createVisit(tenant, agent.user.id))).id;
}

describeTenantIsolation({
  name: "POST /api/photos",
  method: "POST",
  path: () => "/api/photos",
  permission: "photos:create",
  body: (visitId) => body(visitId),
  create: visitIn,
  snapshot: (tenant, visitId) => photosOfVisit(tenant.id, visitId),
});

describeTenantIsolation({
  name: "GET /api/photos/:id",
  method: "GET",
  path: (id) => `/api/photos/${id}`,
  permission: "photos:read",
  create: photoIn,
  snapshot: (tenant, id) => photoRow(tenant.id, id),
});

const register = (token: string, payload: unknown) =>
  call<{ data: PhotoJson }>("POST", "/api/photos", { token, body: payload });

describe("registering photos", () => {
  it("a resend with the same client_id returns the same photo with fresh instructions, never a duplicate", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const visit = await createVisit(tenant, agent.user.id);
    const payload = body(visit.id, { client_id: "phone-42", purpose: "storefront" });
    const first = await register(agent.token, payload);
    expect(first.status).toBe(201);
    expect(roundTrips(first.headers)).toBe(1);
    expect(first.json.data).toMatchObject({
      client_id: "phone-42",
      purpose: "storefront",
      status: "pending",
    });
    const again = await register(agent.token, payload);
    expect(again.status).toBe(200);
    expect(roundTrips(again.headers)).toBe(1);
    expect(again.json.data.id).toBe(first.json.data.id);
    expect(again.json.data.upload.url).toContain(`/api/uploads/photo/${tenant.id}/${first.json.data.id}?`);
    expect(await photosOfVisit(tenant.id, visit.id)).toHaveLength(1);
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, first.json.data.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "photo.create", entityType: "photo", actorId: agent.user.id });
    expect(audit[0]?.newValues).toMatchObject({ visit_id: visit.id, client_id: "phone-42", size: 2048 });

    // The same client_id for another visit is a client bug, not a resend.
    const otherVisit = await createVisit(tenant, agent.user.id);
    const clash = await call<ErrorEnvelope>("POST", "/api/photos", {
      token: agent.token,
      body: body(otherVisit.id, { client_id: "phone-42" }),
    });
    expect(clash.status).toBe(409);
    expect(await photosOfVisit(tenant.id, otherVisit.id)).toEqual([]);
    // Another agent's client ids are their own.
    const colleague = await createUser(tenant, ["agent"]);
    const theirVisit = await createVisit(tenant, colleague.user.id);
    expect((await register(colleague.token, body(theirVisit.id, { client_id: "phone-42" }))).status).toBe(
      201,
    );
  });

  it("concurrent resends with one client_id make one photo", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const visit = await createVisit(tenant, agent.user.id);
    const payload = body(visit.id, { client_id: "burst" });
    const results = await Promise.all([1, 2, 3].map(() => register(agent.token, payload)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => r.json.data.id)).size).toBe(1);
    expect(await photosOfVisit(tenant.id, visit.id)).toHaveLength(1);
  });

  it("a question must belong to the visit's survey", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const visit = await createVisit(tenant, agent.user.id);
    const other = await createVisit(tenant, agent.user.id);
    const db = testDb();
    const [mine, foreign] = [uuidv7(), uuidv7()];
    await db.insert(surveyQuestions).values([
      {
        tenantId: tenant.id,
        id: mine,
        surveyId: visit.surveyId,
        prompt: "Shelf photo",
        type: "photo",
        position: 1,
      },
      {
        tenantId: tenant.id,
        id: foreign,
        surveyId: other.surveyId,
        prompt: "Other",
        type: "photo",
        position: 1,
      },
    ]);
    const ok = await register(agent.token, body(visit.id, { question_id: mine, purpose: "survey" }));
    expect(ok.status).toBe(201);
    const bad = await call<ErrorEnvelope>("POST", "/api/photos", {
      token: agent.token,
      body: body(visit.id, { question_id: foreign }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details?.map((d) => d.field)).toEqual(["question_id"]);
    expect(await photosOfVisit(tenant.id, visit.id)).toHaveLength(1);
  });

  it("rejects bad input with per-field errors and writes nothing", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const visit = await createVisit(tenant, agent.user.id);
    const cases: [unknown, string][] = [
      [body(visit.id, { purpose: "selfie" }), "purpose"],
      [body(visit.id, { size: 0 }), "size"],
      [body(visit.id, { size: 1.5 }), "size"],
      [body(visit.id, { size: "2048" }), "size"],
      [body("not-a-uuid"), "visit_id"],
      [body(visit.id, { taken_at: "yesterday" }), "taken_at"],
      [body(visit.id, { tenant_id: tenant.id }), "tenant_id"],
      [body(visit.id, { created_by: agent.user.id }), "created_by"],
      [body(visit.id, { status: "uploaded" }), "status"],
      [{ purpose: "shelf", content_type: "image/jpeg", size: 1 }, "visit_id"],
    ];
    for (const [payload, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/photos", { token: agent.token, body: payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    const form = await call<ErrorEnvelope>("POST", "/api/photos", {
      token: agent.token,
      rawBody: "visit_id=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect(await photosOfVisit(tenant.id, visit.id)).toEqual([]);
  });
});

describe("photo scope", () => {
  async function scene() {
    const tenant = await createTenant();
    // One at a time: the embedded Postgres serves a single session.
    const agent = await createUser(tenant, ["agent"]);
    const colleague = await createUser(tenant, ["agent"]);
    const leader = await createUser(tenant, ["team_leader"]);
    const outsider = await createUser(tenant, ["agent"]);
    const manager = await createUser(tenant, ["manager"]);
    const team = await createTeam(tenant);
    await addTeamMember(team, leader.user.id, true);
    await addTeamMember(team, agent.user.id);
    const visit = await createVisit(tenant, agent.user.id);
    const outsiderVisit = await createVisit(tenant, outsider.user.id);
    return { tenant, agent, colleague, leader, manager, visit, outsiderVisit };
  }

  it("an agent cannot register a photo on another agent's visit (404, nothing written)", async () => {
    const { tenant, colleague, visit } = await scene();
    const res = await call<ErrorEnvelope>("POST", "/api/photos", {
      token: colleague.token,
      body: body(visit.id),
    });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("RESOURCE_NOT_FOUND");
    expect(roundTrips(res.headers)).toBe(1);
    expect(await photosOfVisit(tenant.id, visit.id)).toEqual([]);
  });

  it("a team leader registers on a team member's visit, not on anyone else's", async () => {
    const { tenant, leader, visit, outsiderVisit } = await scene();
    const res = await register(leader.token, body(visit.id));
    expect(res.status).toBe(201);
    expect(res.json.data.created_by).toBe(leader.user.id);
    expect((await register(leader.token, body(outsiderVisit.id))).status).toBe(404);
    expect(await photosOfVisit(tenant.id, outsiderVisit.id)).toEqual([]);
  });

  it("another tenant's visit → 404, even for its admin role in our tenant", async () => {
    const { tenant } = await scene();
    const theirs = await createTenant();
    const theirVisit = await createVisit(theirs, (await createUser(theirs, ["agent"])).user.id);
    const admin = await createUser(tenant, ["admin"]);
    expect((await register(admin.token, body(theirVisit.id))).status).toBe(404);
    expect(await photosOfVisit(theirs.id, theirVisit.id)).toEqual([]);
  });

  it("reading: the agent, their team leader and a manager see the photo; another agent does not", async () => {
    const { agent, colleague, leader, manager, visit } = await scene();
    const photo = (await register(agent.token, body(visit.id))).json.data;
    for (const reader of [agent, leader, manager]) {
      const res = await call<{ data: PhotoJson }>("GET", `/api/photos/${photo.id}`, { token: reader.token });
      expect(res.status, reader.roles.join()).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      expect(res.json.data).toMatchObject({
        id: photo.id,
        status: "pending",
        download: null,
        shelf_quadrants: [],
      });
    }
    const hidden = await call<ErrorEnvelope>("GET", `/api/photos/${photo.id}`, { token: colleague.token });
    expect(hidden.status).toBe(404);
    expect((await call("GET", `/api/photos/${uuidv7()}`, { token: agent.token })).status).toBe(404);
    expect((await call("GET", "/api/photos/nope", { token: agent.token })).status).toBe(400);
  });

  it("a photo the leader took of a member's visit stays visible to the member", async () => {
    const { agent, leader, visit } = await scene();
    const photo = (await register(leader.token, body(visit.id))).json.data;
    expect((await call("GET", `/api/photos/${photo.id}`, { token: agent.token })).status).toBe(200);
  });
});
