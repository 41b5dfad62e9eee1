import type { TestUser } from "../helpers/factories";
import { call } from "../helpers/http";

/** Deal rows as the API answers them. */
export interface Deal {
  id: string;
  version: number;
  title: string;
  amount: number;
  stage: string;
  status: string;
  owner_id: string;
  contact_id: string | null;
  closed_at: string | null;
}

export interface Activity {
  kind: string;
  actor_id: string | null;
  from_stage: string | null;
  to_stage: string | null;
  from_status: string | null;
  to_status: string | null;
  body: string | null;
}

export async function createDeal(user: TestUser, body: Record<string, unknown> = {}): Promise<Deal> {
  const result = await call<{ data: Deal }>("POST", "/api/deals", {
    token: user.token,
    body: { title: "A deal", amount: 1000, ...body },
  });
  if (result.status !== 201) throw new Error(result.text);
  return result.json.data;
}

export async function createContact(user: TestUser): Promise<string> {
  const result = await call<{ data: { id: string } }>("POST", "/api/contacts", {
    token: user.token,
    body: { first_name: "Dana" },
  });
  if (result.status !== 201) throw new Error(result.text);
  return result.json.data.id;
}

export async function activities(user: TestUser, dealId: string): Promise<Activity[]> {
  const result = await call<{ data: Activity[] }>("GET", `/api/deals/${dealId}/activities?page_size=100`, {
    token: user.token,
  });
  if (result.status !== 200) throw new Error(result.text);
  return result.json.data;
}

export const patchDeal = (user: TestUser, id: string, body: Record<string, unknown>, headers = {}) =>
  call<{ data: Deal; error?: { code: string; details?: { field: string; message: string }[] } }>(
    "PATCH",
    `/api/deals/${id}`,
    { token: user.token, body, headers },
  );
