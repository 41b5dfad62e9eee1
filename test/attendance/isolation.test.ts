import { and, eq } from "drizzle-orm";
import { auditLogs, faceEmbeddings, leaveRequests } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createUser } from "../helpers/factories";
import { call } from "../helpers/http";
import { describeTenantIsolation } from "../helpers/isolation";
import { descriptor, insertEmployee } from "./support";

/** The attendance verbs outside the kit: 401, 403, another tenant's id → 404, nothing changed. */

async function pendingLeave(tenant: { id: string }): Promise<string> {
  const admin = await createUser(tenant, ["admin"]);
  const employeeId = await insertEmployee(tenant);
  const res = await call<{ data: { id: string } }>("POST", "/api/leave-requests", {
    token: admin.token,
    body: { employee_id: employeeId, leave_type: "annual", start_date: "2027-02-01", end_date: "2027-02-02" },
  });
  return res.json.data.id;
}

const leaveSnapshot = async (tenant: { id: string }, id: string) => ({
  leave: await testDb()
    .select()
    .from(leaveRequests)
    .where(and(eq(leaveRequests.tenantId, tenant.id), eq(leaveRequests.id, id))),
  audit: (await testDb().select().from(auditLogs).where(eq(auditLogs.tenantId, tenant.id))).length,
});

for (const verb of ["approve", "reject", "cancel"] as const) {
  describeTenantIsolation({
    name: `POST /api/leave-requests/{id}/${verb}`,
    method: "POST",
    path: (id) => `/api/leave-requests/${id}/${verb}`,
    permission: "leave:request",
    body: {},
    create: pendingLeave,
    snapshot: leaveSnapshot,
  });
}

async function employeeWithFace(tenant: { id: string }): Promise<string> {
  const admin = await createUser(tenant, ["admin"]);
  const employeeId = await insertEmployee(tenant);
  await call("POST", `/api/employees/${employeeId}/face-embeddings`, {
    token: admin.token,
    body: { embedding: descriptor(5), consent: true },
  });
  return employeeId;
}

const faceSnapshot = async (tenant: { id: string }, id: string) =>
  testDb()
    .select({ id: faceEmbeddings.id })
    .from(faceEmbeddings)
    .where(and(eq(faceEmbeddings.tenantId, tenant.id), eq(faceEmbeddings.employeeId, id)));

describeTenantIsolation({
  name: "DELETE /api/employees/{id}/face-embeddings",
  method: "DELETE",
  path: (id) => `/api/employees/${id}/face-embeddings`,
  permission: "attendance:write",
  create: employeeWithFace,
  snapshot: faceSnapshot,
});

describeTenantIsolation({
  name: "GET /api/employees/{id}/face-embeddings",
  method: "GET",
  path: (id) => `/api/employees/${id}/face-embeddings`,
  permission: "attendance:write",
  create: employeeWithFace,
  snapshot: faceSnapshot,
});
