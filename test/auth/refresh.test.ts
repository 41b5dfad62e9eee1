import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs, refreshTokens, users } from "../../src/db/schema";
import { hashRefreshToken } from "../../src/modules/auth/refresh-token";
import { testDb } from "../helpers/db";
import { createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";

interface Pair {
  data: { access_token: string; refresh_token: string; tenant: { id: string } };
}

async function loggedIn() {
  const tenant = await createTenant();
  const { user } = await createUser(tenant, ["agent"]);
  const res = await call<Pair>("POST", "/api/auth/login", {
    body: { email: user.email, password: FACTORY_PASSWORD },
  });
  expect(res.status).toBe(200);
  return { ...res.json.data, tenant, user };
}

const refresh = (token: string) =>
  call<Pair & ErrorEnvelope>("POST", "/api/auth/refresh", { body: { refresh_token: token } });
const me = (access: string) => call("GET", "/api/auth/me", { token: access });

/** Pretends the token was rotated long ago (past the retry grace). */
async function ageRotation(token: string) {
  await testDb()
    .update(refreshTokens)
    .set({ rotatedAt: sql`now() - interval '5 minutes'` })
    .where(eq(refreshTokens.tokenHash, await hashRefreshToken(token)));
}

describe("POST /api/auth/refresh", () => {
  it("rotates the pair in two round trips, from the body or the Authorization header", async () => {
    const s = await loggedIn();
    const first = await refresh(s.refresh_token);
    expect(first.status).toBe(200);
    expect(roundTrips(first.headers)).toBe(2);
    expect(first.json.data.refresh_token).not.toBe(s.refresh_token);
    expect((await me(first.json.data.access_token)).status).toBe(200);
    const viaHeader = await call<Pair>("POST", "/api/auth/refresh", {
      headers: { authorization: `Bearer ${first.json.data.refresh_token}` },
    });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.json.data.tenant.id).toBe(s.tenant.id);
  });

  it("reuse of a rotated token revokes the whole family", async () => {
    const s = await loggedIn();
    const next = await refresh(s.refresh_token);
    expect(next.status).toBe(200);
    await ageRotation(s.refresh_token);
    const replay = await refresh(s.refresh_token);
    expect(replay.status).toBe(401);
    // Both tokens of the family are dead now, including the legitimately issued one.
    expect((await refresh(next.json.data.refresh_token)).status).toBe(401);
    const rows = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, s.user.id));
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it("a quick retry after a lost response gets the same successor, which works", async () => {
    const s = await loggedIn();
    const lost = await refresh(s.refresh_token);
    const retry = await refresh(s.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.json.data.refresh_token).toBe(lost.json.data.refresh_token);
    expect((await me(lost.json.data.access_token)).status).toBe(200);
    expect((await me(retry.json.data.access_token)).status).toBe(200);
    expect((await refresh(retry.json.data.refresh_token)).status).toBe(200);
  });

  it("a retry within the grace window whose new token was already used is reuse", async () => {
    const s = await loggedIn();
    const next = await refresh(s.refresh_token);
    const used = await refresh(next.json.data.refresh_token);
    expect(used.status).toBe(200);
    expect((await refresh(s.refresh_token)).status).toBe(401);
    expect((await refresh(used.json.data.refresh_token)).status).toBe(401);
  });

  it("20 concurrent duplicates of one refresh all get the same working successor, in one family", async () => {
    const s = await loggedIn();
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(s.refresh_token)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const successors = new Set(answers.map((a) => a.json.data.refresh_token));
    expect(successors.size).toBe(1);
    // Every access token handed out works, whichever answer the phone kept.
    const mes = await Promise.all(answers.map((a) => me(a.json.data.access_token)));
    expect(mes.map((m) => m.status)).toEqual(Array(20).fill(200));
    const rows = await testDb().select().from(refreshTokens).where(eq(refreshTokens.userId, s.user.id));
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
    expect(rows).toHaveLength(2);
    // And the successor rotates on.
    const [successor] = [...successors];
    expect((await refresh(successor as string)).status).toBe(200);
  });

  it("a repeat after the successor was used ends the family and its access tokens at once", async () => {
    const s = await loggedIn();
    const next = await refresh(s.refresh_token);
    const used = await refresh(next.json.data.refresh_token);
    expect(used.status).toBe(200);
    expect((await me(used.json.data.access_token)).status).toBe(200);
    expect((await refresh(s.refresh_token)).status).toBe(401);
    // The family's live access tokens die now, not in 15 minutes.
    expect((await me(used.json.data.access_token)).status).toBe(401);
    expect((await me(next.json.data.access_token)).status).toBe(401);
    expect((await refresh(used.json.data.refresh_token)).status).toBe(401);
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.actorId, s.user.id), eq(auditLogs.action, "auth.refresh_reuse")));
    expect(audit).toHaveLength(1);
  });

  it("refuses unknown, malformed and disabled users' tokens", async () => {
    const s = await loggedIn();
    expect((await refresh("rt_unknown")).status).toBe(401);
    expect((await call("POST", "/api/auth/refresh", { body: {} })).status).toBe(400);
    expect((await call("POST", "/api/auth/refresh", { body: { refresh_token: 5 } })).status).toBe(400);
    await testDb().update(users).set({ isActive: false }).where(eq(users.id, s.user.id));
    expect((await refresh(s.refresh_token)).status).toBe(401);
  });

  it("an access token is not a refresh token", async () => {
    const s = await loggedIn();
    expect((await refresh(s.access_token)).status).toBe(401);
  });
});

describe("POST /api/auth/logout", () => {
  it("kills the access token before it expires and the refresh family with it", async () => {
    const s = await loggedIn();
    expect((await me(s.access_token)).status).toBe(200);
    const out = await call("POST", "/api/auth/logout", { token: s.access_token });
    expect(out.status).toBe(204);
    expect((await me(s.access_token)).status).toBe(401);
    expect((await refresh(s.refresh_token)).status).toBe(401);
  });

  it("needs a token", async () => {
    expect((await call("POST", "/api/auth/logout")).status).toBe(401);
  });
});
