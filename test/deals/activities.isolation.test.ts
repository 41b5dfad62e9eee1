import { sql } from "drizzle-orm";
import { testDb } from "../helpers/db";
import { createUser, type TenantRow } from "../helpers/factories";
import { describeTenantIsolation } from "../helpers/isolation";
import { createDeal } from "./support";

/** The activities routes of a deal (extra verbs on the deals router) keep tenant isolation. */

const dealIn = async (tenant: TenantRow) => (await createDeal(await createUser(tenant, ["admin"]))).id;

const activitiesOf = async (tenant: TenantRow, id: string) =>
  (
    await testDb().execute(
      sql`select id, kind, body from deal_activities where tenant_id = ${tenant.id}::uuid and deal_id = ${id}::uuid order by id`,
    )
  ).rows;

describeTenantIsolation({
  name: "GET /api/deals/:id/activities",
  method: "GET",
  path: (id) => `/api/deals/${id}/activities`,
  permission: "deals:read",
  create: dealIn,
  snapshot: activitiesOf,
});

describeTenantIsolation({
  name: "POST /api/deals/:id/activities",
  method: "POST",
  path: (id) => `/api/deals/${id}/activities`,
  permission: "deals:write",
  body: { body: "A comment" },
  create: dealIn,
  snapshot: activitiesOf,
});
