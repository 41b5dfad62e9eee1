import type { TestUser } from "../helpers/factories";
import { call } from "../helpers/http";
import { describeResourceContract } from "../helpers/resource-contract";

/** Every CRM resource keeps the kit's contract (owned by created_by and its assignee/owner column). */

const createClient = async (user: TestUser) => {
  const result = await call<{ data: { id: string } }>("POST", "/api/clients", {
    token: user.token,
    body: { name: "Parent client" },
  });
  if (result.status !== 201) throw new Error(result.text);
  return result.json.data.id;
};

describeResourceContract("account", {
  body: (n) => ({ name: `Account ${n}`, industry: "Retail" }),
  update: { industry: "Mining", phone: "+27 11 000 0000" },
});

describeResourceContract("client", {
  body: (n) => ({ name: `Client ${n}`, email: `client${n}@example.com` }),
  update: { status: "active", phone: "+1 555 0100" },
});

describeResourceContract("lead", {
  body: (n) => ({ name: `Lead ${n}`, lead_source: "Cold Call" }),
  update: { lead_status: "contacted", company: "Acme" },
});

describeResourceContract("project", {
  body: (n) => ({ name: `Project ${n}`, value: 1000 + n, currency: "USD" }),
  update: { status: "active", value: 2500.5 },
});

describeResourceContract("contact", {
  body: (n) => ({ first_name: `Contact ${n}`, last_name: "Smith" }),
  update: { title: "CFO", email: "cfo@example.com" },
});

describeResourceContract("interaction", {
  body: (n) => ({
    title: `Meeting ${n}`,
    type: "Meeting",
    lead: "Jane Smith",
    start_date_time: `2026-08-15T09:${String(n % 60).padStart(2, "0")}:00Z`,
    timezone: "America/New_York",
  }),
  update: { location: "Conference Room A", done: true },
});

describeResourceContract("note", {
  body: (n) => ({ body: `Note ${n}` }),
  with: async (creator) => ({ client_id: await createClient(creator) }),
  update: { body: "Changed note" },
});
