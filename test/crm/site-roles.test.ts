import { describe, expect, it } from "vitest";
import { createTenant, createUser, FACTORY_PASSWORD } from "../helpers/factories";
import { call } from "../helpers/http";

/** Seed 001's site roles map to ours (DESIGN §2): admin → admin, editor → member (writes interactions), viewer → read-only. */

const meeting = { title: "Site meeting", type: "Meeting", start_date_time: "2026-08-15T09:00:00Z" };

describe("seed 001's site roles", () => {
  it("granting `editor` grants member: it writes interactions; a viewer reads and never writes", async () => {
    const tenant = await createTenant();
    const [admin, person, viewer] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["viewer"]),
      createUser(tenant, ["viewer"]),
    ]);
    const assigned = await call<{ data: { roles: string[] } }>("POST", `/api/users/${person.user.id}/roles`, {
      token: admin.token,
      body: { roles: ["editor"] },
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.json.data.roles).toEqual(["member"]);
    const login = await call<{ data: { access_token: string } }>("POST", "/api/auth/login", {
      body: { username: person.user.email, password: FACTORY_PASSWORD, tenant_id: tenant.id },
    });
    expect(login.status, login.text).toBe(200);
    const editorToken = login.json.data.access_token;
    const created = await call<{ data: { id: string } }>("POST", "/api/interactions", {
      token: editorToken,
      body: meeting,
    });
    expect(created.status, created.text).toBe(201);
    expect(
      (
        await call("PATCH", `/api/interactions/${created.json.data.id}`, {
          token: editorToken,
          body: { done: true },
        })
      ).status,
    ).toBe(200);

    expect((await call("POST", "/api/interactions", { token: viewer.token, body: meeting })).status).toBe(
      403,
    );
    const seen = await call<{ data: { id: string }[] }>("GET", "/api/interactions?view=all", {
      token: viewer.token,
    });
    expect(seen.status).toBe(200);
    expect(seen.json.data.map((r) => r.id)).toEqual([created.json.data.id]);
    expect(
      (await call("DELETE", `/api/interactions/${created.json.data.id}`, { token: viewer.token })).status,
    ).toBe(403);
  });
});
