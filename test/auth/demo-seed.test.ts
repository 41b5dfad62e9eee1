import { describe, expect, it } from "vitest";
import DEMO_USERS from "../../scripts/local-db/demo-users.json";
import { call } from "../helpers/http";

interface Login {
  data: {
    tenant: { id: string; slug: string };
    user: { id: string };
    sites: { roles: string[] }[];
    access_token: string;
  };
}

describe("demo data seeded by npm run dev", () => {
  it("the printed demo credentials log in through the API with their roles", async () => {
    for (const demo of DEMO_USERS) {
      const res = await call<Login>("POST", "/api/auth/login", {
        body: { email: demo.email, password: demo.password },
      });
      expect(res.status, demo.email).toBe(200);
      expect(res.json.data.tenant.slug).toBe("demo");
      expect(res.json.data.sites[0]?.roles).toEqual([demo.role]);
    }
  });

  it("makes UUID v7 ids, as the Worker does", async () => {
    const [demo] = DEMO_USERS;
    if (!demo) throw new Error("no demo user");
    const res = await call<Login>("POST", "/api/auth/login", {
      body: { email: demo.email, password: demo.password },
    });
    expect(res.status).toBe(200);
    for (const id of [res.json.data.tenant.id, res.json.data.user.id]) expect(id[14], id).toBe("7");
  });
});
