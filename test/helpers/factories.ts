import { uuidv7 } from "../../src/core/ids";
import { tenants } from "../../src/db/schema";
import { testDb } from "./db";

export type TenantRow = typeof tenants.$inferSelect;

/** A fresh tenant per test keeps tests independent without truncating anything. */
export async function createTenant(overrides: Partial<typeof tenants.$inferInsert> = {}): Promise<TenantRow> {
  const id = uuidv7();
  const [row] = await testDb()
    .insert(tenants)
    .values({ id, name: `Tenant ${id.slice(-6)}`, slug: `t-${id}`, ...overrides })
    .returning();
  if (!row) throw new Error("tenant insert returned nothing");
  return row;
}
