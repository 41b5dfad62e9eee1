import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { createTenant, createUser } from "../helpers/factories";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * One request through the Worker's fetch handler with LOG_LEVEL=info (the tests run at "warn"),
 * returning its status and its access log line.
 */
async function accessLine(
  path: string,
  token?: string,
): Promise<{ status: number; line: Record<string, unknown> }> {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  const ctx = createExecutionContext();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await worker.fetch(
    new Request(`https://api.example.test${path}`, { headers }),
    { ...env, LOG_LEVEL: "info" },
    ctx,
  );
  await res.text();
  await waitOnExecutionContext(ctx);
  const lines = spy.mock.calls
    .map((args) => {
      try {
        return JSON.parse(String(args[0])) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((l) => l.msg === "request" && l.path === path);
  spy.mockRestore();
  expect(lines).toHaveLength(1);
  return { status: res.status, line: lines[0] ?? {} };
}

describe("access log", () => {
  it("names the tenant and the user of an authenticated request", async () => {
    const tenant = await createTenant();
    const agent = await createUser(tenant, ["agent"]);
    const { status, line } = await accessLine("/api/auth/me", agent.token);
    expect(status).toBe(200);
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      status: 200,
      tenant_id: tenant.id,
      user_id: agent.user.id,
    });
    expect(typeof line.request_id).toBe("string");
  });

  it("has tenant_id and user_id null without a valid token", async () => {
    const anonymous = await accessLine("/api/health");
    expect(anonymous.status).toBe(200);
    expect(anonymous.line).toMatchObject({ tenant_id: null, user_id: null });
    const refused = await accessLine("/api/auth/me", "not-a-token");
    expect(refused.status).toBe(401);
    expect(refused.line).toMatchObject({ status: 401, tenant_id: null, user_id: null });
  });
});
