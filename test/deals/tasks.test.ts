import { describe, expect, it } from "vitest";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { call, type ErrorEnvelope } from "../helpers/http";
import { createContact, createDeal } from "./support";

interface Task {
  id: string;
  assignee_id: string | null;
  done: boolean;
}

async function createTask(user: TestUser, body: Record<string, unknown>): Promise<Task> {
  const result = await call<{ data: Task }>("POST", "/api/tasks", {
    token: user.token,
    body: { title: "Call", ...body },
  });
  if (result.status !== 201) throw new Error(result.text);
  return result.json.data;
}

const ids = async (user: TestUser, query: string) => {
  const result = await call<{ data: Task[] }>("GET", `/api/tasks?${query}`, { token: user.token });
  expect(result.status, result.text).toBe(200);
  return result.json.data.map((t) => t.id).sort();
};

describe("tasks (seed 004)", () => {
  it("mine, overdue, due_before, deal and contact filters; assignee defaults to the creator", async () => {
    const tenant = await createTenant();
    const [manager, member] = await Promise.all([
      createUser(tenant, ["manager"]),
      createUser(tenant, ["member"]),
    ]);
    const deal = await createDeal(manager);
    const contact = await createContact(manager);
    const past = "2020-01-01";
    const future = "2099-01-01";
    const a = await createTask(manager, { due_date: past, deal_id: deal.id });
    const b = await createTask(manager, { due_date: past, done: true, contact_id: contact });
    const c = await createTask(manager, { due_date: future, assignee_id: member.user.id });
    expect(a.assignee_id).toBe(manager.user.id);
    expect(await ids(manager, "mine=true")).toEqual([a.id, b.id].sort());
    expect(await ids(manager, "mine=false")).toEqual([c.id]);
    expect(await ids(manager, "overdue=true")).toEqual([a.id]);
    expect(await ids(manager, "overdue=false")).toEqual([b.id, c.id].sort());
    expect(await ids(manager, "due_before=2021-01-01")).toEqual([a.id, b.id].sort());
    expect(await ids(manager, `deal_id=${deal.id}`)).toEqual([a.id]);
    expect(await ids(manager, `contact_id=${contact}`)).toEqual([b.id]);
    // The member sees only what they created or are assigned (own scope), and `mine` is theirs.
    expect(await ids(member, "")).toEqual([c.id]);
    expect(await ids(member, "mine=true")).toEqual([c.id]);
    expect(
      (await call("PATCH", `/api/tasks/${c.id}`, { token: member.token, body: { done: true } })).status,
    ).toBe(200);
    expect(
      (await call("PATCH", `/api/tasks/${a.id}`, { token: member.token, body: { done: true } })).status,
    ).toBe(404);
    const bad = await call<ErrorEnvelope>("GET", "/api/tasks?mine=yes", { token: member.token });
    expect(bad.status).toBe(400);
    const foreignDeal = await call<ErrorEnvelope>("POST", "/api/tasks", {
      token: manager.token,
      body: { title: "X", deal_id: "0190a000-0000-7000-8000-000000000009" },
    });
    expect(foreignDeal.status).toBe(404);
    expect(foreignDeal.json.error.details?.[0]?.field).toBe("deal_id");
  });

  it("a task names only a deal the caller may see: another member's deal is the same 404, and nothing is written", async () => {
    const tenant = await createTenant();
    const [manager, member] = await Promise.all([
      createUser(tenant, ["manager"]),
      createUser(tenant, ["member"]),
    ]);
    const managers = await createDeal(manager);
    const own = await createDeal(member);
    const hidden = await call<ErrorEnvelope>("POST", "/api/tasks", {
      token: member.token,
      body: { title: "Peek", deal_id: managers.id },
    });
    expect(hidden.status, hidden.text).toBe(404);
    expect(hidden.json.error.details?.[0]?.field).toBe("deal_id");
    const created = await createTask(member, { deal_id: own.id });
    const moved = await call<ErrorEnvelope>("PATCH", `/api/tasks/${created.id}`, {
      token: member.token,
      body: { deal_id: managers.id },
    });
    expect(moved.status, moved.text).toBe(404);
    expect(await ids(member, "")).toEqual([created.id]);
    expect(await ids(member, `deal_id=${own.id}`)).toEqual([created.id]);
    // A reader of the whole tenant may attach a task to any deal of it.
    await createTask(manager, { deal_id: own.id });
  });
});
