import { asc, eq } from "drizzle-orm";
import { uuidv7 } from "../../src/core/ids";
import { goalAssignments, goals } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createUser, type TenantRow } from "../helpers/factories";
import { describeTenantIsolation } from "../helpers/isolation";

/** The goal verbs beyond the kit's five run the shared suite: 401, 403, another tenant's id → 404, nothing changed. */

/** The agent each created goal is (or will be) assigned to. */
const agentOf = new Map<string, string>();

/** A weekly goal in `tenant` with one agent assigned; returns `<goal id>/<assignment id>`. */
async function createAssigned(tenant: TenantRow): Promise<string> {
  const agent = await createUser(tenant, ["agent"]);
  const goalId = uuidv7();
  const assignmentId = uuidv7();
  const db = testDb();
  await db.insert(goals).values({
    tenantId: tenant.id,
    id: goalId,
    name: "Isolated goal",
    metric: "visits_completed",
    target: 5,
    periodType: "weekly",
    startDate: "2026-11-02",
  });
  await db
    .insert(goalAssignments)
    .values({ tenantId: tenant.id, id: assignmentId, goalId, userId: agent.user.id });
  agentOf.set(goalId, agent.user.id);
  return `${goalId}/${assignmentId}`;
}

const goalOf = (id: string) => id.split("/")[0] ?? "";
const assignmentOf = (id: string) => id.split("/")[1] ?? "";

async function snapshot(tenant: TenantRow) {
  const db = testDb();
  return db.batch([
    db.select().from(goals).where(eq(goals.tenantId, tenant.id)).orderBy(asc(goals.id)),
    db
      .select()
      .from(goalAssignments)
      .where(eq(goalAssignments.tenantId, tenant.id))
      .orderBy(asc(goalAssignments.id)),
  ]);
}

describeTenantIsolation({
  name: "POST /api/goals/:id/assign",
  method: "POST",
  path: (id) => `/api/goals/${goalOf(id)}/assign`,
  permission: "goals:write",
  body: (id) => ({ user_ids: [agentOf.get(goalOf(id))] }),
  create: createAssigned,
  snapshot,
  allowedRoles: ["manager"],
});

describeTenantIsolation({
  name: "DELETE /api/goals/:id/assignments/:assignment_id",
  method: "DELETE",
  path: (id) => `/api/goals/${goalOf(id)}/assignments/${assignmentOf(id)}`,
  permission: "goals:write",
  create: createAssigned,
  snapshot,
});

describeTenantIsolation({
  name: "GET /api/goals/:id/progress",
  method: "GET",
  path: (id) => `/api/goals/${goalOf(id)}/progress?date=2026-11-05`,
  permission: "goals:read",
  create: createAssigned,
  snapshot,
  allowedRoles: ["agent"],
});
