import { describe, expect, it } from "vitest";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { post } from "./support";

type NotesPage = { data: { id: string; body: string; created_by: string }[]; pagination: { total: number } };

describe("notes on every CRM parent", () => {
  it("each parent lists its notes (everyone's, newest first) when you may see it; 404 otherwise", async () => {
    const tenant = await createTenant();
    const [admin, alice, bob] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
      createUser(tenant, ["member"]),
    ]);
    const parents: Record<string, { id: string }> = {
      accounts: await post(alice, "/api/accounts", { name: "Acme" }),
      clients: await post(alice, "/api/clients", { name: "Acme client", assigned_to: bob.user.id }),
      leads: await post(alice, "/api/leads", { name: "Jane" }),
      projects: await post(alice, "/api/projects", { name: "Rollout" }),
      contacts: await post(alice, "/api/contacts", { first_name: "Jane" }),
      interactions: await post(alice, "/api/interactions", {
        title: "Kick-off",
        type: "Meeting",
        start_date_time: "2026-08-15T09:00:00Z",
      }),
    };
    const field: Record<string, string> = {
      accounts: "account_id",
      clients: "client_id",
      leads: "lead_id",
      projects: "project_id",
      contacts: "contact_id",
      interactions: "interaction_id",
    };
    for (const [path, parent] of Object.entries(parents)) {
      const first = await post(alice, "/api/notes", {
        body: `First on ${path}`,
        [field[path] ?? ""]: parent.id,
      });
      const second = await post(alice, "/api/notes", {
        body: `Second on ${path}`,
        [field[path] ?? ""]: parent.id,
      });
      const listed = await call<NotesPage>("GET", `/api/${path}/${parent.id}/notes`, { token: alice.token });
      expect(listed.status, listed.text).toBe(200);
      expect(roundTrips(listed.headers)).toBe(1);
      expect(listed.json.data.map((n) => n.id)).toEqual([second.id, first.id]);
      expect(listed.json.pagination.total).toBe(2);
      // Bob cannot see Alice's rows (except the client assigned to him) → 404, the admin only with view=all.
      const bobs = await call("GET", `/api/${path}/${parent.id}/notes`, { token: bob.token });
      expect(bobs.status, path).toBe(path === "clients" ? 200 : 404);
      expect((await call("GET", `/api/${path}/${parent.id}/notes`, { token: admin.token })).status).toBe(404);
      expect(
        (await call("GET", `/api/${path}/${parent.id}/notes?view=all`, { token: admin.token })).status,
      ).toBe(200);
    }
    // Bob adds a note on the client assigned to him: Alice sees it on her client too.
    const bobsNote = await post(bob, "/api/notes", { body: "Bob was here", client_id: parents.clients?.id });
    const onClient = await call<NotesPage>("GET", `/api/clients/${parents.clients?.id}/notes`, {
      token: alice.token,
    });
    expect(onClient.json.data[0]?.id).toBe(bobsNote.id);

    const none = await call<ErrorEnvelope>("POST", "/api/notes", {
      token: alice.token,
      body: { body: "Orphan" },
    });
    expect(none.status).toBe(400);
    const two = await call<ErrorEnvelope>("POST", "/api/notes", {
      token: alice.token,
      body: { body: "Twins", client_id: parents.clients?.id, lead_id: parents.leads?.id },
    });
    expect(two.status).toBe(400);
    const stranger = await createUser(await createTenant(), ["admin"]);
    expect(
      (await call("GET", `/api/clients/${parents.clients?.id}/notes?view=all`, { token: stranger.token }))
        .status,
    ).toBe(404);
    const foreignParent = await call<ErrorEnvelope>("POST", "/api/notes", {
      token: stranger.token,
      body: { body: "Sneaky", client_id: parents.clients?.id },
    });
    expect(foreignParent.status).toBe(404);
    expect(foreignParent.json.error.details?.[0]?.field).toBe("client_id");
  });
});
