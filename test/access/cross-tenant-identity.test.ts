import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/core/ids";
import { emailChanges, passwordResetTokens, systemAudit, users } from "../../src/db/schema";
import { hashResetToken, newResetToken } from "../../src/modules/auth/refresh-token";
import { login, randomIp, type SessionBody, uniqueEmail } from "../auth/support";
import { testDb } from "../helpers/db";
import { createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";

const me = (token: string) => call("GET", "/api/auth/me", { token });
const refresh = (token: string) =>
  call<SessionBody>("POST", "/api/auth/refresh", { body: { refresh_token: token } });

/** A person who is admin of tenant A and, added by B's admin by email, a member of tenant B. */
async function sharedPerson() {
  const a = await createTenant();
  const b = await createTenant();
  const person = await createUser(a, ["admin"]);
  const adminB = await createUser(b, ["admin"]);
  const added = await call("POST", `/api/organizations/${b.id}/members`, {
    token: adminB.token,
    body: { email: person.user.email, role: "agent" },
  });
  expect(added.status).toBe(201);
  const ip = randomIp();
  const inA = await call<SessionBody>("POST", "/api/auth/login", {
    body: { email: person.user.email, password: FACTORY_PASSWORD, tenant_id: a.id },
    headers: { "cf-connecting-ip": ip },
  });
  const inB = await call<SessionBody>("POST", "/api/auth/login", {
    body: { email: person.user.email, password: FACTORY_PASSWORD, tenant_id: b.id },
    headers: { "cf-connecting-ip": ip },
  });
  expect([inA.status, inB.status]).toEqual([200, 200]);
  return { a, b, person, adminB, inA: inA.json.data, inB: inB.json.data };
}

async function userRow(id: string) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  return row;
}

describe("a person who belongs to two tenants", () => {
  it("the takeover sequence is refused at its first step: B's admin cannot rename them or move their email", async () => {
    const { person, adminB } = await sharedPerson();
    const before = await userRow(person.user.id);
    const rename = await call<ErrorEnvelope>("PATCH", `/api/users/${person.user.id}`, {
      token: adminB.token,
      body: { first_name: "renamed-by-B" },
    });
    expect(rename.status).toBe(409);
    expect(rename.json.error.code).toBe("CONFLICT");
    expect(rename.json.error.details?.map((d) => d.field)).toEqual(["first_name"]);
    const attackerEmail = uniqueEmail("attacker");
    const move = await call<ErrorEnvelope>("PATCH", `/api/users/${person.user.id}`, {
      token: adminB.token,
      body: { email: attackerEmail },
    });
    expect(move.status).toBe(409);
    expect(move.json.error.message).toMatch(/another organization/);
    expect(await userRow(person.user.id)).toEqual(before);
    // The next steps of the attack lead nowhere: no account has the attacker's address.
    const forgot = await call("POST", "/api/auth/forgot-password", {
      body: { email: attackerEmail },
      headers: { "cf-connecting-ip": randomIp() },
    });
    expect(forgot.status).toBe(202);
    const resets = await testDb()
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, person.user.id));
    expect(resets).toHaveLength(0);
  });

  it("B may still disable them in B: their B token dies, their A sessions keep working", async () => {
    const { person, adminB, inA, inB } = await sharedPerson();
    const disabled = await call("PATCH", `/api/users/${person.user.id}`, {
      token: adminB.token,
      body: { is_active: false },
    });
    expect(disabled.status).toBe(200);
    expect((await me(inB.access_token)).status).toBe(401);
    expect((await refresh(inB.refresh_token)).status).toBe(401);
    expect((await me(inA.access_token)).status).toBe(200);
    expect((await refresh(inA.refresh_token)).status).toBe(200);
  });

  it("DELETE /api/users in B ends only the B sessions", async () => {
    const { person, adminB, inA, inB } = await sharedPerson();
    expect((await call("DELETE", `/api/users/${person.user.id}`, { token: adminB.token })).status).toBe(204);
    expect((await me(inB.access_token)).status).toBe(401);
    expect((await me(inA.access_token)).status).toBe(200);
    expect((await refresh(inA.refresh_token)).status).toBe(200);
  });

  it("a membership removal in B leaves their A sessions working", async () => {
    const { b, person, adminB, inA, inB } = await sharedPerson();
    const removed = await call("DELETE", `/api/organizations/${b.id}/members/${person.user.id}`, {
      token: adminB.token,
    });
    expect(removed.status).toBe(204);
    expect((await me(inB.access_token)).status).toBe(401);
    expect((await me(inA.access_token)).status).toBe(200);
    expect((await refresh(inA.refresh_token)).status).toBe(200);
  });

  it("they may change their own names; a platform super admin may change their identity", async () => {
    const { person, inB } = await sharedPerson();
    const own = await call<{ data: { first_name: string } }>("PATCH", `/api/users/${person.user.id}`, {
      token: inB.access_token,
      body: { first_name: "Chosen" },
    });
    expect(own.status).toBe(200);
    expect(own.json.data.first_name).toBe("Chosen");
    const home = await createTenant();
    const root = await createUser(home, ["admin"]);
    await testDb().update(users).set({ isSuperAdmin: true }).where(eq(users.id, root.user.id));
    const rootLogin = await login(root.user.email, FACTORY_PASSWORD, randomIp());
    const byRoot = await call<{ data: { last_name: string } }>("PATCH", `/api/users/${person.user.id}`, {
      token: rootLogin.json.data.access_token,
      headers: { "x-tenant-id": inB.tenant.id },
      body: { last_name: "Fixed-by-platform" },
    });
    expect(byRoot.status).toBe(200);
    expect((await userRow(person.user.id))?.lastName).toBe("Fixed-by-platform");
  });
});

describe("a person who belongs to one tenant only", () => {
  it("can still be edited by that tenant's admin, email included", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const agent = await createUser(tenant, ["agent"]);
    const email = uniqueEmail("moved");
    const res = await call<{ data: { email: string; first_name: string } }>(
      "PATCH",
      `/api/users/${agent.user.id}`,
      { token: admin.token, body: { first_name: "Renamed", email } },
    );
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ email, first_name: "Renamed" });
  });
});

/** A pending change stored as change-email stores it; returns the token the emailed link carries. */
async function pendingChange(userId: string, newEmail: string, expiresAt = new Date(Date.now() + 3600_000)) {
  const token = newResetToken();
  await testDb()
    .insert(emailChanges)
    .values({ id: uuidv7(), userId, newEmail, tokenHash: await hashResetToken(token), expiresAt });
  return token;
}

describe("changing one's own email", () => {
  it("is requested with the password, confirmed from the new address, and audited", async () => {
    const tenant = await createTenant();
    const person = await createUser(tenant, ["agent"]);
    const newEmail = uniqueEmail("new");
    const ip = randomIp();
    const wrong = await call<ErrorEnvelope>("POST", "/api/auth/change-email", {
      token: person.token,
      body: { new_email: newEmail, password: "not-the-password" },
      headers: { "cf-connecting-ip": ip },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details?.[0]?.field).toBe("password");
    const asked = await call("POST", "/api/auth/change-email", {
      token: person.token,
      body: { new_email: newEmail, password: FACTORY_PASSWORD },
      headers: { "cf-connecting-ip": ip },
    });
    expect(asked.status).toBe(202);
    // Nothing moves until the link is confirmed; only the token's hash is stored.
    expect((await userRow(person.user.id))?.email).toBe(person.user.email);
    const pending = await testDb().select().from(emailChanges).where(eq(emailChanges.userId, person.user.id));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ newEmail, usedAt: null });
    expect(pending[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const token = await pendingChange(person.user.id, newEmail);
    const confirmed = await call("POST", "/api/auth/confirm-email", { body: { token } });
    expect(confirmed.status).toBe(204);
    expect((await userRow(person.user.id))?.email).toBe(newEmail);
    expect((await login(newEmail, FACTORY_PASSWORD, randomIp())).status).toBe(200);
    expect((await login(person.user.email, FACTORY_PASSWORD, randomIp())).status).toBe(401);
    const audit = await testDb()
      .select()
      .from(systemAudit)
      .where(and(eq(systemAudit.entityId, person.user.id), eq(systemAudit.action, "user.email_change")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      oldValues: { email: person.user.email },
      newValues: { email: newEmail },
    });
    // The link works once; the earlier request was dropped by the confirmation.
    expect((await call("POST", "/api/auth/confirm-email", { body: { token } })).status).toBe(400);
    const left = await testDb().select().from(emailChanges).where(eq(emailChanges.userId, person.user.id));
    expect(left.filter((r) => r.usedAt === null)).toHaveLength(0);
  });

  it("refuses an address another account uses (409) and an expired link (400)", async () => {
    const tenant = await createTenant();
    const person = await createUser(tenant, ["agent"]);
    const other = await createUser(tenant, ["agent"]);
    const taken = await call<ErrorEnvelope>("POST", "/api/auth/change-email", {
      token: person.token,
      body: { new_email: other.user.email.toUpperCase(), password: FACTORY_PASSWORD },
      headers: { "cf-connecting-ip": randomIp() },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details?.[0]?.field).toBe("new_email");
    const expired = await pendingChange(person.user.id, uniqueEmail("late"), new Date(Date.now() - 1000));
    const res = await call<ErrorEnvelope>("POST", "/api/auth/confirm-email", { body: { token: expired } });
    expect(res.status).toBe(400);
    expect(res.json.error.details?.[0]?.field).toBe("token");
    // Taken between the request and the confirmation: 409, nothing changes.
    const race = await pendingChange(person.user.id, other.user.email);
    expect((await call("POST", "/api/auth/confirm-email", { body: { token: race } })).status).toBe(409);
    expect((await userRow(person.user.id))?.email).toBe(person.user.email);
  });

  it("cannot go through PATCH /api/users on oneself", async () => {
    const tenant = await createTenant();
    const person = await createUser(tenant, ["admin"]);
    const res = await call<ErrorEnvelope>("PATCH", `/api/users/${person.user.id}`, {
      token: person.token,
      body: { email: uniqueEmail() },
    });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain("/api/auth/change-email");
  });
});
