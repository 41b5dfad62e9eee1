import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/core/env";
import { clientAddressKey } from "../../src/core/rate-limit";
import { loginAttempts } from "../../src/db/schema";
import { LOCKOUT } from "../../src/modules/auth/abuse";
import { testDb } from "../helpers/db";
import { createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { type CallResult, call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { attemptsOf, createResetToken, expireLock, login, randomIp, uniqueEmail } from "./support";

const WRONG = "Wrong-passw0rd";

function retryAfter(headers: Headers): number {
  return Number(headers.get("retry-after"));
}

async function failLogins(email: string, times: number, ip?: string): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await login(email, WRONG, ip);
    expect(res.status, `failure ${i + 1}`).toBe(401);
  }
}

/**
 * Sends `send()` until it answers 429, at most `max` times. A fixed window may roll over once
 * during a test, so the limit can take up to twice its size to trip: tests allow for that.
 */
async function untilLimited(send: (i: number) => Promise<CallResult>, max: number) {
  for (let i = 0; i < max; i++) {
    const res = await send(i);
    if (res.status === 429) return { res, sent: i + 1 };
    expect(res.status).toBeLessThan(429);
  }
  throw new Error(`no 429 after ${max} requests`);
}

describe("login lockout with backoff", () => {
  it(`locks an email after ${LOCKOUT.emailThreshold} failures, even for the right password, with Retry-After`, async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    await failLogins(user.email, LOCKOUT.emailThreshold);

    const locked = await call<ErrorEnvelope>("POST", "/api/auth/login", {
      body: { email: user.email.toUpperCase(), password: FACTORY_PASSWORD },
    });
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe("RATE_LIMITED");
    expect(retryAfter(locked.headers)).toBeGreaterThan(50);
    expect(retryAfter(locked.headers)).toBeLessThanOrEqual(60);
    expect(roundTrips(locked.headers)).toBe(1);

    const row = await attemptsOf(`email:${user.email.toLowerCase()}`);
    expect(row).toMatchObject({ failures: 0, lockouts: 1 });
  });

  it("locks an unknown email exactly like a known one, with the same answer", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const unknown = uniqueEmail("ghost");
    await failLogins(user.email, LOCKOUT.emailThreshold);
    await failLogins(unknown, LOCKOUT.emailThreshold);
    const answers = [];
    for (const email of [user.email, unknown]) {
      const res = await call<ErrorEnvelope>("POST", "/api/auth/login", {
        body: { email, password: FACTORY_PASSWORD },
      });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      answers.push(res.json.error);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it("doubles the lock with each further lockout, capped", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const subject = `email:${user.email.toLowerCase()}`;
    // Each round starts one failure short of the threshold (the test above proves the count), so
    // the test stays under the per-account rate limit.
    const oneShort = (lockouts?: number) =>
      testDb()
        .update(loginAttempts)
        .set({ failures: LOCKOUT.emailThreshold - 1, ...(lockouts === undefined ? {} : { lockouts }) })
        .where(eq(loginAttempts.subject, subject));
    await failLogins(user.email, 1);
    for (const seconds of [60, 120, 240]) {
      await oneShort();
      await failLogins(user.email, 1);
      const res = await login(user.email, FACTORY_PASSWORD);
      expect(res.status).toBe(429);
      expect(retryAfter(res.headers)).toBeGreaterThan(seconds - 10);
      expect(retryAfter(res.headers)).toBeLessThanOrEqual(seconds);
      await expireLock(subject);
    }
    // After many lockouts the lock stops growing at the cap.
    await oneShort(20);
    await failLogins(user.email, 1);
    const capped = await login(user.email, FACTORY_PASSWORD);
    expect(capped.status).toBe(429);
    expect(retryAfter(capped.headers)).toBeLessThanOrEqual(LOCKOUT.maxSeconds);
    expect(retryAfter(capped.headers)).toBeGreaterThan(LOCKOUT.maxSeconds - 10);
  });

  it("a success resets the email's count, in the same two round trips", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const ip = randomIp();
    await failLogins(user.email, LOCKOUT.emailThreshold - 1, ip);
    const ok = await login(user.email, FACTORY_PASSWORD, ip);
    expect(ok.status).toBe(200);
    expect(roundTrips(ok.headers)).toBe(2);
    expect(await attemptsOf(`email:${user.email.toLowerCase()}`)).toBeUndefined();
    // The address keeps its count: a success must not let an attacker clear it.
    expect((await attemptsOf(`ip:${ip}`))?.failures).toBe(LOCKOUT.emailThreshold - 1);
    await failLogins(user.email, LOCKOUT.emailThreshold - 1, ip);
    expect((await login(user.email, FACTORY_PASSWORD, ip)).status).toBe(200);
  });

  it("a failed login costs two round trips, like a success", async () => {
    const res = await login(uniqueEmail(), WRONG, randomIp());
    expect(res.status).toBe(401);
    expect(roundTrips(res.headers)).toBe(2);
  });

  it(`locks a client address after ${LOCKOUT.ipThreshold} failures, for every email`, async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const ip = randomIp();
    // The window already holds threshold − 1 failures from this address (spread over many emails).
    await testDb()
      .insert(loginAttempts)
      .values({ subject: `ip:${ip}`, failures: LOCKOUT.ipThreshold - 1, lockouts: 0 });
    await failLogins(uniqueEmail(), 1, ip);
    const locked = await login(user.email, FACTORY_PASSWORD, ip);
    expect(locked.status).toBe(429);
    expect(retryAfter(locked.headers)).toBeGreaterThan(50);
    // The same user from another address is fine.
    expect((await login(user.email, FACTORY_PASSWORD, randomIp())).status).toBe(200);
  });

  it("forgets failures older than the window", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const subject = `email:${user.email.toLowerCase()}`;
    await testDb()
      .insert(loginAttempts)
      .values({
        subject,
        failures: LOCKOUT.emailThreshold - 1,
        lastFailureAt: new Date(Date.now() - (LOCKOUT.windowMinutes + 1) * 60_000),
      });
    await failLogins(user.email, 1);
    expect((await attemptsOf(subject))?.failures).toBe(1);
    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(200);
  });

  it("change-password's wrong current password counts towards the same lockout", async () => {
    const tenant = await createTenant();
    const { user, token } = await createUser(tenant, ["agent"]);
    for (let i = 0; i < LOCKOUT.emailThreshold; i++) {
      const res = await call("POST", "/api/auth/change-password", {
        token,
        body: { current_password: WRONG, new_password: "Brand-new-passw0rd" },
      });
      expect(res.status).toBe(400);
    }
    const locked = await call("POST", "/api/auth/change-password", {
      token,
      body: { current_password: FACTORY_PASSWORD, new_password: "Brand-new-passw0rd" },
    });
    expect(locked.status).toBe(429);
    expect(retryAfter(locked.headers)).toBeGreaterThan(0);
    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(429);
  });

  it("a password reset lifts the email's lock", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    await failLogins(user.email, LOCKOUT.emailThreshold);
    expect((await login(user.email, FACTORY_PASSWORD)).status).toBe(429);
    const token = await createResetToken(user.id);
    const reset = await call("POST", "/api/auth/reset-password", {
      body: { token, new_password: "After-reset-passw0rd" },
    });
    expect(reset.status).toBe(204);
    expect((await login(user.email, "After-reset-passw0rd")).status).toBe(200);
  });
});

describe("rate limits", () => {
  it("limits forgot-password per client address, whatever the emails", async () => {
    const ip = randomIp();
    const { res, sent } = await untilLimited(
      () =>
        call("POST", "/api/auth/forgot-password", {
          body: { email: uniqueEmail() },
          headers: { "cf-connecting-ip": ip },
        }),
      61,
    );
    expect(sent).toBeGreaterThan(30);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((res.json as unknown as ErrorEnvelope).error.code).toBe("RATE_LIMITED");
    const other = await call("POST", "/api/auth/forgot-password", {
      body: { email: uniqueEmail() },
      headers: { "cf-connecting-ip": randomIp() },
    });
    expect(other.status).toBe(202);
  });

  it("limits forgot-password per email, whatever the addresses, and answers unknown emails alike", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const answers = [];
    for (const email of [user.email, uniqueEmail()]) {
      const { res, sent } = await untilLimited(
        () =>
          call("POST", "/api/auth/forgot-password", {
            body: { email },
            headers: { "cf-connecting-ip": randomIp() },
          }),
        7,
      );
      expect(sent).toBeGreaterThan(3);
      expect(res.headers.get("retry-after")).toBe("60");
      answers.push((res.json as unknown as ErrorEnvelope).error);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it("limits login per account, whatever the addresses", async () => {
    const tenant = await createTenant();
    const { user } = await createUser(tenant, ["agent"]);
    const { res, sent } = await untilLimited(() => login(user.email, FACTORY_PASSWORD, randomIp()), 21);
    expect(sent).toBeGreaterThan(10);
    expect(res.headers.get("retry-after")).toBe("60");
  });

  it("limits login per client address, whatever the accounts", async () => {
    const ip = randomIp();
    const { res, sent } = await untilLimited(() => login(uniqueEmail(), WRONG, ip), 61);
    expect(sent).toBeGreaterThan(30);
    // The binding's answer (a whole period), not the address lockout, which needs more failures.
    expect(res.headers.get("retry-after")).toBe("60");
  });

  it("limits reset-password per token and per address", async () => {
    const { res, sent } = await untilLimited(
      () =>
        call("POST", "/api/auth/reset-password", {
          body: { token: "prt_the-same-bad-token", new_password: "Whatever-passw0rd" },
          headers: { "cf-connecting-ip": randomIp() },
        }),
      21,
    );
    expect(sent).toBeGreaterThan(10);
    expect(res.headers.get("retry-after")).toBe("60");

    const ip = randomIp();
    const byAddress = await untilLimited(
      (i) =>
        call("POST", "/api/auth/reset-password", {
          body: { token: `prt_bad-${i}`, new_password: "Whatever-passw0rd" },
          headers: { "cf-connecting-ip": ip },
        }),
      61,
    );
    expect(byAddress.sent).toBeGreaterThan(30);
  });
});

describe("configuration", () => {
  it("AUTH_RATE_LIMITS=off is for development only; APP_BASE_URL loses its trailing slash", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => loadConfig({ ...env, APP_ENV: "production", AUTH_RATE_LIMITS: "off" } as Env)).toThrow(
      /misconfigured/,
    );
    const dev = loadConfig({
      ...env,
      AUTH_RATE_LIMITS: "off",
      APP_BASE_URL: "https://app.example.test/",
    } as Env);
    expect(dev.AUTH_RATE_LIMITS).toBe("off");
    expect(dev.APP_BASE_URL).toBe("https://app.example.test");
    expect(loadConfig(env).AUTH_RATE_LIMITS).toBe("on");
    vi.restoreAllMocks();
  });
});

describe("client address keys", () => {
  it("keeps IPv4 as is, folds IPv6 to its /64 and ignores garbage", () => {
    expect(clientAddressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientAddressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientAddressKey("2001:DB8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(clientAddressKey("::ffff:203.0.113.7")).toBe("0:0:0:0::/64");
    expect(clientAddressKey("::1")).toBe("0:0:0:0::/64");
    expect(clientAddressKey("not an ip")).toBeUndefined();
    expect(clientAddressKey("999.1.1.1")).toBeUndefined();
    expect(clientAddressKey("1:2:3:4:5:6:7:8:9")).toBeUndefined();
    expect(clientAddressKey(null)).toBeUndefined();
  });

  it("a garbage cf-connecting-ip is ignored, not a 500", async () => {
    const res = await call("POST", "/api/auth/forgot-password", {
      body: { email: uniqueEmail() },
      headers: { "cf-connecting-ip": "<script>" },
    });
    expect(res.status).toBe(202);
  });
});
