import type { TestUser } from "../helpers/factories";
import { call } from "../helpers/http";

export type Row = { id: string; version: number } & Record<string, unknown>;
export type One = { data: Row };
export type List = { data: Row[]; pagination: { total: number | null; page: number; page_size: number } };

/** Creates a row through the API as `user`; fails the test on anything but 201. */
export async function post(user: TestUser, path: string, body: Record<string, unknown>): Promise<Row> {
  const result = await call<One>("POST", path, { token: user.token, body });
  if (result.status !== 201) throw new Error(`POST ${path} → ${result.status}: ${result.text}`);
  return result.json.data;
}

/** The ids a list answers, sorted. */
export async function listIds(user: TestUser, path: string): Promise<string[]> {
  const result = await call<List>("GET", path, { token: user.token });
  if (result.status !== 200) throw new Error(`GET ${path} → ${result.status}: ${result.text}`);
  return result.json.data.map((r) => r.id).sort();
}
