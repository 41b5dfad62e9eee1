import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApi, startApi } from "./worker";

/**
 * `npm run admin:create`: the first platform super admin, written straight into DATABASE_URL,
 * then logging in through the API like any other user (same PBKDF2 format, same password policy).
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api?.stop();
});

/**
 * Runs the CLI as `npm run admin:create -- …` does, with `input` on standard input (not a TTY).
 * Asynchronous on purpose: the in-memory database lives in this process and must keep answering.
 */
function adminCreate(
  args: string[],
  input: string,
  env: Record<string, string | undefined> = {},
): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node_modules/.bin/tsx", ["scripts/admin-create.ts", ...args], {
      env: { ...process.env, DATABASE_URL: api.databaseUrl, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
    child.stdin.end(input);
  });
}

async function login(email: string, password: string) {
  const res = await fetch(`${api.origin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as {
    data?: { access_token: string; user: { is_super_admin: boolean }; tenant: { slug: string } };
  };
  return { status: res.status, data: body.data };
}

describe("npm run admin:create", () => {
  it("creates a super admin (password from stdin) who logs in through the API", async () => {
    const email = `ops-${Date.now()}@example.test`;
    const run = await adminCreate(["--email", email, "--first-name", "Olga"], "Ops-passw0rd-2026\n");
    expect(run.out).toContain(`created platform super admin ${email}`);
    expect(run.status).toBe(0);
    const session = await login(email, "Ops-passw0rd-2026");
    expect(session.status).toBe(200);
    expect(session.data?.user.is_super_admin).toBe(true);
    expect(session.data?.tenant.slug).toBe("platform");
    // A second run promotes the same user instead of failing or duplicating it.
    const again = await adminCreate(["--email", email.toUpperCase()], "");
    expect(again.out).toContain("promoted");
    expect(again.status).toBe(0);
    expect((await login(email, "Ops-passw0rd-2026")).status).toBe(200);
  });

  it("promotes an existing user, keeping their password", async () => {
    const email = `member-${Date.now()}@example.test`;
    const registered = await fetch(`${api.origin}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email,
        password: "Member-passw0rd-1",
        first_name: "Mo",
        last_name: "Member",
        tenant_name: "Member Co",
      }),
    });
    expect(registered.status).toBe(201);
    expect((await login(email, "Member-passw0rd-1")).data?.user.is_super_admin).toBe(false);
    const run = await adminCreate(["--email", email], "");
    expect(run.status, run.out).toBe(0);
    const session = await login(email, "Member-passw0rd-1");
    expect(session.status).toBe(200);
    expect(session.data?.user.is_super_admin).toBe(true);
  });

  it("refuses a weak password, a bad email and a missing DATABASE_URL, writing nothing", async () => {
    const email = `weak-${Date.now()}@example.test`;
    const weak = await adminCreate(["--email", email], "short\n");
    expect(weak.status).toBe(1);
    expect(weak.out).toContain("At least 8 characters");
    expect((await login(email, "short")).status).toBe(401);
    const bad = await adminCreate(["--email", "not-an-email"], "Ops-passw0rd-2026\n");
    expect(bad.status).toBe(1);
    expect(bad.out).toContain("a valid --email is required");
    const noDb = await adminCreate(["--email", email], "Ops-passw0rd-2026\n", { DATABASE_URL: "" });
    expect(noDb.status).toBe(1);
    expect(noDb.out).toContain("DATABASE_URL is not set");
  });
});
