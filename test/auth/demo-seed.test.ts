import { describe, expect, it } from "vitest";
import DEMO_USERS from "../../scripts/local-db/demo-users.json";
import { call } from "../helpers/http";

interface Login {
  data: { tenant: { slug: string }; sites: { roles: string[] }[]; access_token: string };
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
});
