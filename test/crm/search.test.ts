import { describe, expect, it } from "vitest";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, roundTrips } from "../helpers/http";
import { post } from "./support";

type Hits = {
  data: { type: string; id: string; label: string; rank: number; item: Record<string, unknown> }[];
  pagination: { total: number };
};
const search = (user: TestUser, query: string) =>
  call<Hits>("GET", `/api/search?${query}`, { token: user.token });

describe("GET /api/search: one query across the CRM", () => {
  it("finds partial words and typos across types, ranked, in the caller's visibility, never across tenants", async () => {
    const tenant = await createTenant();
    const [admin, alice, bob] = await Promise.all([
      createUser(tenant, ["admin"]),
      createUser(tenant, ["member"]),
      createUser(tenant, ["member"]),
    ]);
    const client = await post(alice, "/api/clients", { name: "Northwind Traders" });
    const lead = await post(alice, "/api/leads", { name: "Nora Vance", company: "Northwind Labs" });
    const contact = await post(alice, "/api/contacts", { first_name: "Ola", last_name: "Northwind" });
    const account = await post(alice, "/api/accounts", { name: "Northwind Holdings" });
    const project = await post(alice, "/api/projects", { name: "Northwind rollout" });
    const interaction = await post(alice, "/api/interactions", {
      title: "Call with Northwind",
      type: "Call",
      start_date_time: "2026-08-15T09:00:00Z",
    });
    await post(bob, "/api/clients", { name: "Northwind Bob's copy" });
    await post(alice, "/api/clients", { name: "Southwind" });

    const found = await search(alice, "q=northw");
    expect(found.status, found.text).toBe(200);
    expect(roundTrips(found.headers)).toBe(1);
    expect(found.json.data.map((h) => h.id).sort()).toEqual(
      [client.id, lead.id, contact.id, account.id, project.id, interaction.id].sort(),
    );
    expect(found.json.pagination.total).toBe(6);
    expect(found.json.data.find((h) => h.id === contact.id)?.label).toBe("Ola Northwind");
    // Prefix matches rank above matches inside the text.
    const first = found.json.data[0];
    expect(first?.rank).toBeGreaterThanOrEqual(found.json.data.at(-1)?.rank ?? 0);
    expect(["Northwind Traders", "Northwind Holdings", "Northwind rollout"]).toContain(first?.label);

    const typo = await search(alice, "q=nortwind&types=clients");
    expect(typo.json.data.map((h) => h.id)).toEqual([client.id]);
    // Interactions' typos go through the tenant's word dictionary.
    const typoInteraction = await search(alice, "q=nortwind&types=interactions");
    expect(typoInteraction.json.data.map((h) => h.id)).toEqual([interaction.id]);
    const two = await search(alice, "q=northwind&types=leads,projects");
    expect(two.json.data.map((h) => h.type).sort()).toEqual(["leads", "projects"]);

    expect((await search(bob, "q=northwind&types=clients")).json.data.map((h) => h.label)).toEqual([
      "Northwind Bob's copy",
    ]);
    expect((await search(admin, "q=northwind")).json.data).toEqual([]);
    // The whole tenant with view=all; "Southwind" is a near miss (word similarity), ranked last; equal ranks by id.
    const all = await search(admin, "q=northwind&types=clients&view=all");
    expect(all.json.data.map((h) => h.label)).toEqual([
      "Northwind Traders",
      "Northwind Bob's copy",
      "Southwind",
    ]);
    expect((await search(alice, "q=northwind&view=all")).status).toBe(403);
    const stranger = await createUser(await createTenant(), ["admin"]);
    expect((await search(stranger, "q=northwind&view=all")).json.data).toEqual([]);
    expect((await search(alice, "q=northwind&types=deals")).status).toBe(400);
    expect((await search(alice, "q=n")).status).toBe(400);
  });
});
