import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DbMeter, withSession } from "../../src/core/db";
import { loadConfig } from "../../src/core/env";
import { tenants } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant } from "../helpers/factories";

describe("WebSocket sessions (interactive transactions, jobs)", () => {
  it("runs an interactive transaction, counts its round trips and ends the pool", async () => {
    const tenant = await createTenant({ name: "Before" });
    const meter = new DbMeter();
    const ctx = createExecutionContext();
    const name = await withSession(
      loadConfig(env),
      meter,
      (p) => ctx.waitUntil(p),
      (db) =>
        db.transaction(async (tx) => {
          const [row] = await tx.select().from(tenants).where(eq(tenants.id, tenant.id)).for("update");
          await tx
            .update(tenants)
            .set({ name: `${row?.name} → after` })
            .where(eq(tenants.id, tenant.id));
          const [{ n } = { n: 0 }] = await tx
            .execute<{ n: number }>(sql`select 1::int4 as n`)
            .then((r) => r.rows);
          return `${row?.name}:${n}`;
        }),
    );
    await waitOnExecutionContext(ctx);
    expect(name).toBe("Before:1");
    // begin, select … for update, update, select 1, commit
    expect(meter.roundTrips).toBe(5);
    const [after] = await testDb().select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(after?.name).toBe("Before → after");
  });

  it("rolls the transaction back when the work throws", async () => {
    const tenant = await createTenant({ name: "Unchanged" });
    const ctx = createExecutionContext();
    await expect(
      withSession(
        loadConfig(env),
        new DbMeter(),
        (p) => ctx.waitUntil(p),
        (db) =>
          db.transaction(async (tx) => {
            await tx.update(tenants).set({ name: "Changed" }).where(eq(tenants.id, tenant.id));
            throw new Error("abort");
          }),
      ),
    ).rejects.toThrow("abort");
    await waitOnExecutionContext(ctx);
    const [row] = await testDb().select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row?.name).toBe("Unchanged");
  });
});
