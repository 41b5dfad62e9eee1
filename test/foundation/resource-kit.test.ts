import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { TenantContext } from "../../src/core/context";
import { defineResource, field } from "../../src/core/resource/declaration";
import { componentName } from "../../src/core/resource/schemas";
import { findRow, insertRow, restoreRow, softDeleteRow, updateRow } from "../../src/core/resource/statements";
import { listPage } from "../../src/core/resource/verbs";
import { brands, shops, teams } from "../../src/db/schema";
import { resources } from "../../src/modules/resources";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call } from "../helpers/http";
import { auditOf } from "../helpers/teams";

/**
 * The kit below the HTTP surface: declarations are checked when a module loads, and the data
 * scope of an owned resource (no kit resource is owned yet; the contract test covers it over
 * HTTP once one is) filters reads and writes. Restore is the trash's statement.
 */

const spec = {
  name: "owned_shop",
  entity: "Shop",
  path: "/owned-shops",
  tag: "owned-shops",
  table: shops,
  fields: {
    name: field(shops.name, z.string(), z.string()),
    lat: field(shops.lat, z.number(), z.number()),
    lng: field(shops.lng, z.number(), z.number()),
  },
  permissions: { read: "shops:read", write: "shops:write", delete: "shops:write" },
  scope: [shops.createdBy],
  order: { column: shops.name, caseInsensitive: true },
} as const;

describe("defineResource: checked at load time", () => {
  it("refuses a field of another table, a missing unique index, a nullable order, a table without the kit columns", () => {
    expect(() =>
      defineResource({ ...spec, fields: { name: field(brands.name, z.string(), z.string()) } }),
    ).toThrow(/field name \(name\) is not a column of shops/);
    expect(() =>
      defineResource({ ...spec, unique: { shops_nope_key: { field: "name", message: "taken" } } }),
    ).toThrow(/unique index shops_nope_key does not exist on shops/);
    expect(() => defineResource({ ...spec, order: { column: shops.channel } })).toThrow(/must be NOT NULL/);
    expect(() =>
      defineResource({
        ...spec,
        table: teams,
        fields: { name: field(teams.name, z.string(), z.string()) },
        scope: "tenant",
        order: { column: teams.name },
      }),
    ).toThrow(/table teams has no (version|created_by|deleted_at) column/);
    expect(() =>
      defineResource({ ...spec, fields: { version: field(shops.version, z.number(), z.number()) } }),
    ).toThrow(/server-owned/);
  });
});

describe("an owned resource: the scope predicate in every statement", () => {
  const owned = defineResource(spec);

  async function contexts() {
    const tenant = await createTenant();
    const [a, b] = await Promise.all([createUser(tenant, ["agent"]), createUser(tenant, ["agent"])]);
    const ctx = (userId: string, scope: TenantContext["scope"]): TenantContext => ({
      tenantId: tenant.id,
      userId,
      roles: [],
      permissions: new Set(),
      scope,
      isSuperAdmin: false,
      db: testDb(),
      requestId: "kit-test",
      ip: null,
      userAgent: null,
    });
    return { tenant, a: ctx(a.user.id, "own"), b: ctx(b.user.id, "own"), all: ctx(a.user.id, "tenant") };
  }

  it("own sees and changes only its rows; tenant sees all; restore brings a deleted row back, audited", async () => {
    const { tenant, a, b, all } = await contexts();
    const mine = await insertRow<{ id: string; version: number }>(a, owned, { name: "Mine", lat: 1, lng: 2 });
    const theirs = await insertRow<{ id: string; version: number }>(b, owned, {
      name: "Theirs",
      lat: 1,
      lng: 2,
    });
    const mineId = mine.row?.id ?? "";
    const theirsId = theirs.row?.id ?? "";
    const query = { page_size: 25, include_total: true };
    expect((await listPage<{ id: string }>(a, owned, query)).data.map((r) => r.id)).toEqual([mineId]);
    expect((await listPage<{ id: string }>(all, owned, query)).data.map((r) => r.id).sort()).toEqual(
      [mineId, theirsId].sort(),
    );
    expect(await findRow(a, owned, theirsId)).toBeUndefined();
    expect((await updateRow(a, owned, theirsId, { name: "Taken" }, undefined)).found).toBe(false);
    expect((await softDeleteRow(a, owned, theirsId, undefined)).found).toBe(false);
    expect(await findRow(b, owned, theirsId)).toMatchObject({ name: "Theirs", version: 1 });

    expect((await softDeleteRow(a, owned, mineId, 1)).row).not.toBeNull();
    expect(await findRow(a, owned, mineId)).toBeUndefined();
    expect(await restoreRow(b, owned, mineId)).toBeNull();
    expect(await restoreRow(a, owned, mineId)).toMatchObject({ id: mineId, version: 3 });
    expect(await findRow(a, owned, mineId)).toMatchObject({ name: "Mine" });
    expect((await auditOf(tenant.id, mineId)).map((r) => r.action)).toEqual([
      "owned_shop.restore",
      "owned_shop.delete",
      "owned_shop.create",
    ]);
  });
});

describe("src/modules/resources.ts: every kit declaration is published", () => {
  it("has its component and its six operations in /api/openapi.json, lists with the cursor parameter", async () => {
    const doc = await call<{
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, unknown> };
    }>("GET", "/api/openapi.json");
    expect(resources.length).toBeGreaterThan(0);
    for (const res of resources) {
      expect(doc.json.components.schemas, res.name).toHaveProperty(componentName(res.entity));
      const list = doc.json.paths[`/api${res.path}`];
      const one = doc.json.paths[`/api${res.path}/{id}`];
      expect(Object.keys(list ?? {}).sort(), res.name).toEqual(["get", "post"]);
      expect(Object.keys(one ?? {}).sort(), res.name).toEqual(["delete", "get", "patch", "put"]);
      expect(
        list?.get?.parameters?.map((p) => p.name),
        res.name,
      ).toContain("cursor");
    }
  });
});
