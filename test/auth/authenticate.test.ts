import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { deniedTokenKey, signAccessToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../src/core/auth/tokens";
import { loadConfig } from "../../src/core/env";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";

const config = loadConfig(env);
const b64url = (s: string) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");

async function setup() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: admin.user.id,
    tid: tenant.id,
    roles: ["admin"],
    perms: ["tenants:read"],
    scope: "tenant",
    typ: "access",
    jti: crypto.randomUUID(),
    sid: crypto.randomUUID(),
    iat: now,
    nbf: now,
    exp: now + 600,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
  };
  const key = (secret: string, kid = config.JWT_KID) => ({
    kty: "oct",
    k: b64url(secret),
    alg: "HS256",
    kid,
  });
  const get = (token: string) =>
    call<ErrorEnvelope>("GET", `/api/tenants/${tenant.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  return { tenant, admin, claims, key, get };
}

describe("access token verification (JWT attack set)", () => {
  it("accepts a well-formed token", async () => {
    const { claims, key, get } = await setup();
    expect((await get(await sign(claims, key(config.JWT_SECRET)))).status).toBe(200);
  });

  it("rejects every forged or stale token with 401", async () => {
    const { claims, key, get, admin } = await setup();
    const now = claims.iat;
    const good = await sign(claims, key(config.JWT_SECRET));
    const [head, body, sig] = good.split(".") as [string, string, string];
    const forged: Record<string, string> = {
      "alg none": `${b64url(JSON.stringify({ alg: "none", typ: "JWT", kid: config.JWT_KID }))}.${body}.`,
      "alg HS512": await sign(claims, { ...key(config.JWT_SECRET), alg: "HS512" }),
      "wrong secret": await sign(claims, key("another-secret-another-secret-another-secret")),
      expired: await sign(
        { ...claims, iat: now - 1000, nbf: now - 1000, exp: now - 10 },
        key(config.JWT_SECRET),
      ),
      "no exp": await sign({ ...claims, exp: undefined }, key(config.JWT_SECRET)),
      "nbf in the future": await sign({ ...claims, nbf: now + 3600 }, key(config.JWT_SECRET)),
      "wrong iss": await sign({ ...claims, iss: "someone-else" }, key(config.JWT_SECRET)),
      "wrong aud": await sign({ ...claims, aud: "another-api" }, key(config.JWT_SECRET)),
      "unknown kid": await sign(claims, key(config.JWT_SECRET, "k-unknown")),
      "no kid": await sign(claims, config.JWT_SECRET),
      "tampered payload": `${head}.${b64url(JSON.stringify({ ...claims, perms: ["tenants:read", "tenants:write"] }))}.${sig}`,
      "refresh typ": await sign({ ...claims, typ: "refresh" }, key(config.JWT_SECRET)),
      "opaque refresh token as access token": "rt_8f14e45fceea167a5a36dedd4bea2543",
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(forged)) {
      const res = await get(token);
      expect(res.status, name).toBe(401);
      expect(res.json.error.code, name).toBe("AUTHENTICATION_ERROR");
      expect(res.headers.get("www-authenticate"), name).toContain("Bearer");
    }
    expect((await get(admin.token)).status).toBe(200);
  });

  it("keeps verifying tokens of the previous key during a rotation", async () => {
    const { claims, get } = await setup();
    expect(config.JWT_SECRET_PREVIOUS).toBeUndefined();
    const old = await sign(claims, {
      kty: "oct",
      k: b64url("old-secret-old-secret-old-secret-0000"),
      alg: "HS256",
      kid: "k0",
    });
    expect((await get(old)).status).toBe(401);
    // A rotated configuration: k0 is the previous key.
    const rotated = loadConfig({
      ...env,
      JWT_SECRET_PREVIOUS: "old-secret-old-secret-old-secret-0000",
      JWT_KID_PREVIOUS: "k0",
    } as Env);
    const { verifyAccessToken } = await import("../../src/core/auth/tokens");
    expect(await verifyAccessToken(rotated, old)).toMatchObject({ sub: claims.sub, tid: claims.tid });
    expect(await verifyAccessToken(config, old)).toBeUndefined();
  });

  it("a token accepted once is refused as soon as it expires (the isolate's verified-token cache keeps exp)", async () => {
    const { claims, key, get } = await setup();
    const exp = Math.floor(Date.now() / 1000) + 3;
    const token = await sign({ ...claims, exp }, key(config.JWT_SECRET));
    expect((await get(token)).status).toBe(200);
    expect((await get(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    expect((await get(token)).status).toBe(401);
  });

  it("a token on the KV deny-list is refused before it expires", async () => {
    const { tenant, admin, get } = await setup();
    const { token, jti } = await signAccessToken(config, {
      sub: admin.user.id,
      tid: tenant.id,
      roles: ["admin"],
      perms: ["tenants:read"],
      scope: "tenant",
      sid: crypto.randomUUID(),
    });
    expect((await get(token)).status).toBe(200);
    await env.KV.put(deniedTokenKey(jti), "1", { expirationTtl: config.ACCESS_TOKEN_TTL_SECONDS });
    expect((await get(token)).status).toBe(401);
  });

  it("X-Tenant-ID from anyone but a platform super admin is refused", async () => {
    const { admin, tenant } = await setup();
    const other = await createTenant();
    const res = await call<ErrorEnvelope>("GET", `/api/tenants/${tenant.id}`, {
      token: admin.token,
      headers: { "x-tenant-id": other.id },
    });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("AUTHORIZATION_ERROR");
  });

  it("authenticating costs no database round trip", async () => {
    const { admin } = await setup();
    // A route that needs the token but not the database: a permission refusal happens before any query.
    const agentTenant = await createTenant();
    const agent = await createUser(agentTenant, ["agent"]);
    const res = await call("PATCH", `/api/tenants/${agentTenant.id}`, {
      token: agent.token,
      body: { name: "x" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("server-timing")).toContain('desc="0 round trips"');
    expect(admin.token).toBeTruthy();
  });
});
