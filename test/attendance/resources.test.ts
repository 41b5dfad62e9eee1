import { describe, expect, it } from "vitest";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { OFFICE_LOCATION } from "./support";

type Body = { data: Record<string, unknown> & { id: string } };
const err = (json: unknown) => (json as ErrorEnvelope).error;

describe("employees, shifts and departments: their own rules", () => {
  it("an employee's user must be a member of the tenant; one employee per user; codes unique", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const member = await createUser(tenant, ["member"]);
    const stranger = await createUser(other, ["member"]);
    const post = (body: Record<string, unknown>) =>
      call<Body>("POST", "/api/employees", { token: admin.token, body });
    const base = { first_name: "Ana", last_name: "Lee", work_locations: [OFFICE_LOCATION] };
    const foreign = await post({ ...base, employee_code: "A1", user_id: stranger.user.id });
    expect(foreign.status).toBe(404);
    expect(err(foreign.json).details?.[0]?.field).toBe("user_id");
    const ok = await post({ ...base, employee_code: "A1", user_id: member.user.id });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.data).toMatchObject({
      user_id: member.user.id,
      status: "active",
      work_locations: [OFFICE_LOCATION],
    });
    const twice = await post({ ...base, employee_code: "A2", user_id: member.user.id });
    expect(twice.status).toBe(409);
    expect(err(twice.json).details?.[0]?.field).toBe("user_id");
    const code = await post({ ...base, employee_code: "a1" });
    expect(code.status).toBe(409);
    expect(err(code.json).details?.[0]?.field).toBe("employee_code");
    const badRadius = await post({
      ...base,
      employee_code: "A3",
      work_locations: [{ ...OFFICE_LOCATION, radius_m: 5 }],
    });
    expect(badRadius.status).toBe(400);
    // An employee (own scope) sees their own record only; an admin every one.
    await post({ ...base, employee_code: "B1" });
    const mine = await call<{ data: { id: string }[] }>("GET", "/api/employees", { token: member.token });
    expect(mine.json.data.map((e) => e.id)).toEqual([ok.json.data.id]);
    const all = await call<{ data: { id: string }[] }>("GET", "/api/employees", { token: admin.token });
    expect(all.json.data).toHaveLength(2);
    const badShift = await post({
      ...base,
      employee_code: "A4",
      default_shift_id: "0190a000-0000-7000-8000-000000000009",
    });
    expect(badShift.status).toBe(404);
    expect(err(badShift.json).details?.[0]?.field).toBe("default_shift_id");
  });

  it("a shift is overnight when its end is not after its start; times and zones are validated", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const post = (body: Record<string, unknown>) =>
      call<Body>("POST", "/api/shifts", { token: admin.token, body });
    const night = await post({ name: "Night", start_time: "22:00", end_time: "06:00" });
    expect(night.status, night.text).toBe(201);
    expect(night.json.data).toMatchObject({
      overnight: true,
      start_time: "22:00:00",
      end_time: "06:00:00",
      weekdays: [1, 2, 3, 4, 5],
      timezone: null,
    });
    const day = await post({
      name: "Day",
      start_time: "08:00",
      end_time: "16:30",
      timezone: "Europe/Berlin",
    });
    expect(day.json.data.overnight).toBe(false);
    expect((await post({ name: "X", start_time: "25:00", end_time: "06:00" })).status).toBe(400);
    expect(
      (await post({ name: "Y", start_time: "08:00", end_time: "16:00", timezone: "Mars/Base" })).status,
    ).toBe(400);
    expect((await post({ name: "Z", start_time: "08:00", end_time: "16:00", weekdays: [1, 1] })).status).toBe(
      400,
    );
  });

  it("a department's parent and manager must be of the tenant", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const res = await call("POST", "/api/departments", {
      token: admin.token,
      body: { name: "Sales", manager_employee_id: "0190a000-0000-7000-8000-000000000009" },
    });
    expect(res.status).toBe(404);
    expect(err(res.json).details?.[0]?.field).toBe("manager_employee_id");
  });
});
