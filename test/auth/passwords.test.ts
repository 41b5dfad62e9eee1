import bcrypt from "bcryptjs";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/core/auth/password";
import { auditLogs, refreshTokens, systemAudit, users } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { createResetToken, login, randomIp, resetTokensOf, type SessionBody, uniqueEmail } from "./support";

const NEW_PASSWORD = "Brand-new-passw0rd";

async function userRow(id: string) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  if (!row) throw new Error("user vanished");
  return row;
}

function refresh(token: string) {
  return call<SessionBody>("POST", "/api/auth/refresh", { body: { refresh_token: token } });
}

function me(token: string) {
  return call("GET", "/api/auth/me", { token });
}

function changePassword(token: string, body: unknown, ip?: string) {
  return call<SessionBody & ErrorEnvelope>("POST", "/api/auth/change-password", {
    token,
    body,
    headers: ip ? { "cf-connecting-ip": ip } : {},
  });
}

describe("POST /api/auth/change-password", () => {
  it("refuses a wrong current password and changes nothing", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const session = await login(user.email, FACTORY_PASSWORD);
    expect(session.status).toBe(200);
    const before = await userRow(user.id);

    const res = await changePassword(session.json.data.access_token, {
      current_password: "not-my-password-1",
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_ERROR");
    expect(res.json.error.details).toEqual([{ field: "current_password", message: "Incorrect password" }]);
    expect(roundTrips(res.headers)).toBe(2);

    expect(await userRow(user.id)).toEqual(before);
    expect((await me(session.json.data.access_token)).status).toBe(200);
    expect((await refresh(session.json.data.refresh_token)).status).toBe(200);
    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(200);
  });

  it("changes the password, ends every other session and keeps this device logged in", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const phone = await login(user.email, FACTORY_PASSWORD);
    const laptop = await login(user.email, FACTORY_PASSWORD);
    const before = await userRow(user.id);

    const res = await changePassword(phone.json.data.access_token, {
      current_password: FACTORY_PASSWORD,
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(roundTrips(res.headers)).toBe(2);
    expect(res.json.data).toMatchObject({
      user: { id: user.id },
      tenant: { id: tenant.id },
      token_type: "Bearer",
      expires_in: 900,
      sites: [{ id: tenant.id, roles: ["agent"] }],
    });

    // Every earlier token is dead: both refresh families and both access tokens.
    for (const old of [phone, laptop]) {
      expect((await me(old.json.data.access_token)).status).toBe(401);
      expect((await refresh(old.json.data.refresh_token)).status).toBe(401);
    }
    // The new pair works.
    expect((await me(res.json.data.access_token)).status).toBe(200);
    const rotated = await refresh(res.json.data.refresh_token);
    expect(rotated.status).toBe(200);
    expect((await me(rotated.json.data.access_token)).status).toBe(200);

    const after = await userRow(user.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.passwordChangedAt).not.toBeNull();
    expect(after.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect((await verifyPassword(NEW_PASSWORD, after.passwordHash)).valid).toBe(true);

    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(401);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);

    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.action, "user.password_change")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: user.id, entityType: "user", entityId: user.id });
    expect(JSON.stringify(audit[0]?.newValues)).not.toContain(NEW_PASSWORD);
  });

  it("applies the registration password policy and rejects unknown fields", async () => {
    const tenant = await createTenant();
    const { token } = await createUser(tenant, ["agent"]);
    for (const body of [
      { current_password: FACTORY_PASSWORD, new_password: "short1" },
      { current_password: FACTORY_PASSWORD, new_password: "onlyletterslong" },
      { current_password: FACTORY_PASSWORD },
      { current_password: FACTORY_PASSWORD, new_password: NEW_PASSWORD, user_id: crypto.randomUUID() },
    ]) {
      const res = await changePassword(token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const same = await changePassword(token, {
      current_password: FACTORY_PASSWORD,
      new_password: FACTORY_PASSWORD,
    });
    expect(same.status).toBe(400);
    expect(same.json.error.details?.[0]?.field).toBe("new_password");
  });

  it("requires a token", async () => {
    const res = await call<ErrorEnvelope>("POST", "/api/auth/change-password", {
      body: { current_password: FACTORY_PASSWORD, new_password: NEW_PASSWORD },
    });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("AUTHENTICATION_ERROR");
  });
});

const FORGOT_BODY = { data: { message: "If the address is registered, a reset link has been sent" } };

function forgot(email: string, ip?: string) {
  return call("POST", "/api/auth/forgot-password", {
    body: { email },
    headers: ip ? { "cf-connecting-ip": ip } : {},
  });
}

describe("POST /api/auth/forgot-password", () => {
  it("answers known, unknown and disabled emails alike, in one round trip, storing a token only for the active user", async () => {
    const tenant = await createTenant();
    const known = await createUser(tenant, ["agent"], { email: uniqueEmail("Known") });
    const disabled = await createUser(tenant, ["agent"], { isActive: false });
    const answers = [];
    for (const email of [known.user.email.toUpperCase(), uniqueEmail("nobody"), disabled.user.email]) {
      const res = await forgot(email);
      expect(res.status, email).toBe(202);
      expect(roundTrips(res.headers), email).toBe(1);
      expect(res.headers.get("cache-control")).toBe("no-store");
      answers.push(res.text);
    }
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0] ?? "null")).toEqual(FORGOT_BODY);

    const tokens = await resetTokensOf(known.user.id);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0]?.usedAt).toBeNull();
    const ttl = (tokens[0]?.expiresAt.getTime() ?? 0) - Date.now();
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    expect(await resetTokensOf(disabled.user.id)).toEqual([]);
  });

  it("replaces the user's unused tokens with the new one", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const older = await createResetToken(user.id);
    expect((await forgot(user.email)).status).toBe(202);
    const tokens = await resetTokensOf(user.id);
    expect(tokens).toHaveLength(1);
    const res = await call<ErrorEnvelope>("POST", "/api/auth/reset-password", {
      body: { token: older, new_password: NEW_PASSWORD },
    });
    expect(res.status).toBe(400);
  });

  it("validates the body", async () => {
    for (const body of [{}, { email: "" }, { email: "a@b.c", tenant_id: crypto.randomUUID() }]) {
      const res = await call("POST", "/api/auth/forgot-password", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

function reset(token: string, newPassword = NEW_PASSWORD) {
  return call<ErrorEnvelope>("POST", "/api/auth/reset-password", {
    body: { token, new_password: newPassword },
  });
}

describe("POST /api/auth/reset-password", () => {
  it("sets the new password once, ends every session and writes system_audit, in one round trip", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const session = await login(user.email, FACTORY_PASSWORD);
    const other = await createResetToken(user.id);
    const token = await createResetToken(user.id);
    const before = await userRow(user.id);
    const ip = randomIp();

    const res = await call("POST", "/api/auth/reset-password", {
      body: { token, new_password: NEW_PASSWORD },
      headers: { "cf-connecting-ip": ip, "user-agent": "reset-test" },
    });
    expect(res.status).toBe(204);
    expect(roundTrips(res.headers)).toBe(1);

    const after = await userRow(user.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.passwordChangedAt).not.toBeNull();
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(401);
    expect((await me(session.json.data.access_token)).status).toBe(401);
    expect((await refresh(session.json.data.refresh_token)).status).toBe(401);
    const live = await testDb()
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.userId, user.id), isNull(refreshTokens.revokedAt)));
    expect(live).toHaveLength(1); // only the login made after the reset

    const tokens = await resetTokensOf(user.id);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.usedAt).not.toBeNull();
    expect((await reset(other)).status).toBe(400);

    const audit = await testDb()
      .select()
      .from(systemAudit)
      .where(and(eq(systemAudit.entityId, user.id), eq(systemAudit.action, "user.password_reset")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: user.id,
      action: "user.password_reset",
      entityType: "user",
      ip,
      userAgent: "reset-test",
    });

    const again = await reset(token, "Another-passw0rd");
    expect(again.status).toBe(400);
    expect(again.json.error).toMatchObject({
      code: "VALIDATION_ERROR",
      details: [{ field: "token", message: "Invalid or expired" }],
    });
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("refuses expired, used and unknown tokens with the same answer, changing nothing", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const disabled = await createUser(tenant, ["agent"], { isActive: false });
    const before = await userRow(user.id);
    const tokens = [
      await createResetToken(user.id, { expiresAt: new Date(Date.now() - 1000) }),
      await createResetToken(user.id, { usedAt: new Date() }),
      "prt_not-a-real-token",
      await createResetToken(disabled.user.id),
    ];
    const answers = [];
    for (const token of tokens) {
      const res = await reset(token);
      expect(res.status).toBe(400);
      answers.push(res.json.error);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await userRow(user.id)).toEqual(before);
    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(200);
  });

  it("applies the password policy", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const token = await createResetToken(user.id);
    const res = await reset(token, "short");
    expect(res.status).toBe(400);
    expect(res.json.error.details?.[0]?.field).toBe("new_password");
    expect((await reset(token)).status).toBe(204);
  });
});

describe("legacy bcrypt hashes", () => {
  for (const prefix of ["$2a$", "$2b$", "$2y$"]) {
    it(`a ${prefix} hash logs in, in two round trips, and is re-hashed to PBKDF2`, async () => {
      const tenant = await createTenant();
      const legacy = bcrypt.hashSync("Legacy-passw0rd", 4).replace(/^\$2[aby]\$/, prefix);
      const { user } = await createUser(tenant, ["agent"], { passwordHash: legacy });

      expect((await login(user.email, "wrong-passw0rd")).status).toBe(401);
      expect((await userRow(user.id)).passwordHash).toBe(legacy);

      const res = await login(user.email, "Legacy-passw0rd");
      expect(res.status).toBe(200);
      expect(roundTrips(res.headers)).toBe(2);
      const stored = (await userRow(user.id)).passwordHash;
      expect(stored).toMatch(/^pbkdf2-sha256\$100000\$/);
      expect((await verifyPassword("Legacy-passw0rd", stored)).valid).toBe(true);
      expect((await login(user.email, "Legacy-passw0rd")).status).toBe(200);
    });
  }

  it("a bcrypt user can change their password", async () => {
    const tenant = await createTenant();
    const legacy = bcrypt.hashSync("Legacy-passw0rd", 4);
    const { user, token } = await createUser(tenant, ["agent"], { passwordHash: legacy });
    const res = await changePassword(token, {
      current_password: "Legacy-passw0rd",
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect((await userRow(user.id)).passwordHash).toMatch(/^pbkdf2-sha256\$/);
  });

  it("malformed bcrypt-looking hashes never verify", async () => {
    expect(await verifyPassword("x", "$2b$10$tooshort")).toEqual({ valid: false, needsRehash: false });
    expect(await verifyPassword("x", "$2x$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234")).toEqual(
      {
        valid: false,
        needsRehash: false,
      },
    );
  });
});
