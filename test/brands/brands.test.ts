import { describe, expect, it } from "vitest";
import { brandRow, catalogSnapshot, createBrand } from "../helpers/catalog";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { auditOf } from "../helpers/teams";

interface BrandJson {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  logo_url: string | null;
  is_active: boolean;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

interface ListJson<T> {
  data: T[];
  pagination: {
    page: number;
    page_size: number;
    total: number | null;
    pages: number | null;
    next_cursor: null;
  };
}

async function setup() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  return { tenant, admin };
}

describe("POST /api/brands", () => {
  it("creates a brand with a derived slug, ETag, Location and an audit row in one round trip", async () => {
    const { tenant, admin } = await setup();
    const res = await call<{ data: BrandJson }>("POST", "/api/brands", {
      token: admin.token,
      body: {
        name: "  Crème Brûlée Co.  ",
        description: "Desserts",
        logo_url: "https://cdn.example.com/l.png",
      },
    });
    expect(res.status).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    const brand = res.json.data;
    expect(brand).toMatchObject({
      name: "Crème Brûlée Co.",
      slug: "creme-brulee-co",
      description: "Desserts",
      logo_url: "https://cdn.example.com/l.png",
      is_active: true,
      version: 1,
      created_by: admin.user.id,
    });
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("location")).toBe(`/api/brands/${brand.id}`);
    const audit = await auditOf(tenant.id, brand.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "brand.create", entityType: "brand", actorId: admin.user.id });
    expect(audit[0]?.newValues).toMatchObject({ name: "Crème Brûlée Co.", slug: "creme-brulee-co" });
  });

  it("a duplicate name (any case) or slug → 409 naming the field, nothing written", async () => {
    const { tenant, admin } = await setup();
    const first = await call("POST", "/api/brands", { token: admin.token, body: { name: "Acme" } });
    expect(first.status).toBe(201);
    const before = await catalogSnapshot(tenant.id);
    const byName = await call<ErrorEnvelope>("POST", "/api/brands", {
      token: admin.token,
      body: { name: "ACME", slug: "other" },
    });
    expect(byName.status).toBe(409);
    expect(byName.json.error.code).toBe("CONFLICT");
    expect(byName.json.error.details).toEqual([{ field: "name", message: "Already taken" }]);
    const bySlug = await call<ErrorEnvelope>("POST", "/api/brands", {
      token: admin.token,
      body: { name: "Acme Two", slug: "acme" },
    });
    expect(bySlug.status).toBe(409);
    expect(bySlug.json.error.details).toEqual([{ field: "slug", message: "Already taken" }]);
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("a derived slug that another brand already has → 409 on slug telling the client to send one", async () => {
    const { admin } = await setup();
    expect((await call("POST", "/api/brands", { token: admin.token, body: { name: "Acme" } })).status).toBe(
      201,
    );
    const res = await call<ErrorEnvelope>("POST", "/api/brands", {
      token: admin.token,
      body: { name: "ACME!" },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/derived from the name, "acme".*send a slug/);
    const ok = await call<{ data: BrandJson }>("POST", "/api/brands", {
      token: admin.token,
      body: { name: "ACME!", slug: "acme-bang" },
    });
    expect(ok.status).toBe(201);
  });

  it("the same name in another tenant is fine", async () => {
    const [a, b] = await Promise.all([setup(), setup()]);
    for (const { admin } of [a, b]) {
      const res = await call("POST", "/api/brands", { token: admin.token, body: { name: "Shared Name" } });
      expect(res.status).toBe(201);
    }
  });

  it("server-owned fields are refused (no mass assignment) and nothing is written", async () => {
    const { tenant, admin } = await setup();
    const other = await createTenant();
    const before = await catalogSnapshot(tenant.id);
    for (const extra of [
      { tenant_id: other.id },
      { id: "0190a000-0000-7000-8000-000000000001" },
      { created_by: admin.user.id },
      { version: 7 },
      { deleted_at: "2026-01-01T00:00:00Z" },
    ]) {
      const res = await call<ErrorEnvelope>("POST", "/api/brands", {
        token: admin.token,
        body: { name: "Sneaky", ...extra },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.details?.[0]).toEqual({ field: Object.keys(extra)[0], message: "Unknown field" });
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
    expect((await catalogSnapshot(other.id)).brands).toEqual([]);
  });

  it("invalid input → 400 naming the field, nothing written", async () => {
    const { tenant, admin } = await setup();
    const cases: [Record<string, unknown>, string][] = [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "x".repeat(201) }, "name"],
      [{ name: "Ok", slug: "Not A Slug" }, "slug"],
      [{ name: "Ok", slug: "trailing-" }, "slug"],
      [{ name: "Ok", logo_url: "http://insecure.example.com/x.png" }, "logo_url"],
      [{ name: "Ok", logo_url: "not a url" }, "logo_url"],
      [{ name: "Ok", is_active: "yes" }, "is_active"],
      [{ name: "日本" }, "slug"],
    ];
    const before = await catalogSnapshot(tenant.id);
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/brands", { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION_ERROR");
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("an agent (brands:read only) may not create", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const res = await call<ErrorEnvelope>("POST", "/api/brands", {
      token: agent.token,
      body: { name: "Nope" },
    });
    expect(res.status).toBe(403);
  });
});

describe("GET /api/brands and /api/brands/:id", () => {
  it("gets a brand in one round trip; If-None-Match → 304; unknown → 404; malformed id → 400", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const brand = await createBrand(tenant, { name: "Zeta" });
    const res = await call<{ data: BrandJson }>("GET", `/api/brands/${brand.id}`, { token: agent.token });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ id: brand.id, name: "Zeta", version: 1 });
    expect(res.headers.get("etag")).toBe('"v1"');
    const cached = await call("GET", `/api/brands/${brand.id}`, {
      token: agent.token,
      headers: { "if-none-match": '"v1"' },
    });
    expect(cached.status).toBe(304);
    const missing = await call<ErrorEnvelope>("GET", "/api/brands/0190a000-0000-7000-8000-000000000001", {
      token: agent.token,
    });
    expect(missing.status).toBe(404);
    expect((await call("GET", "/api/brands/nope", { token: agent.token })).status).toBe(400);
  });

  it("lists live brands by name with q / is_active filters, paging and totals; one round trip; 304 on a repeat", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    await createBrand(tenant, { name: "banana Foods", slug: "banana" });
    await createBrand(tenant, { name: "Apple 100%", slug: "apple" });
    await createBrand(tenant, { name: "Cherry", slug: "cherry", isActive: false });
    await createBrand(tenant, { name: "Gone", slug: "gone", deletedAt: new Date() });
    await createBrand(await createTenant(), { name: "Other tenant" });

    const all = await call<ListJson<BrandJson>>("GET", "/api/brands?include_total=true", {
      token: agent.token,
    });
    expect(all.status).toBe(200);
    expect(roundTrips(all.headers)).toBe(1);
    expect(all.json.data.map((b) => b.name)).toEqual(["Apple 100%", "banana Foods", "Cherry"]);
    expect(all.json.pagination).toEqual({ page: 1, page_size: 25, total: 3, pages: 1, next_cursor: null });

    const etag = all.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await call("GET", "/api/brands?include_total=true", {
      token: agent.token,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(again.status).toBe(304);

    const q = await call<ListJson<BrandJson>>("GET", "/api/brands?q=AN", { token: agent.token });
    expect(q.json.data.map((b) => b.name)).toEqual(["banana Foods"]);
    expect(q.json.pagination.total).toBeNull();
    const pct = await call<ListJson<BrandJson>>("GET", `/api/brands?q=${encodeURIComponent("0%")}`, {
      token: agent.token,
    });
    expect(pct.json.data.map((b) => b.name)).toEqual(["Apple 100%"]);
    const inactive = await call<ListJson<BrandJson>>("GET", "/api/brands?is_active=false", {
      token: agent.token,
    });
    expect(inactive.json.data.map((b) => b.name)).toEqual(["Cherry"]);
    const page2 = await call<ListJson<BrandJson>>(
      "GET",
      "/api/brands?page=2&page_size=2&include_total=true",
      {
        token: agent.token,
      },
    );
    expect(page2.json.data.map((b) => b.name)).toEqual(["Cherry"]);
    expect(page2.json.pagination).toMatchObject({ page: 2, page_size: 2, total: 3, pages: 2 });
  });

  it("rejects bad list queries with 400", async () => {
    const { admin } = await setup();
    for (const qs of ["page=0", "page_size=101", "is_active=maybe", "unknown=1", "include_total=yes"]) {
      const res = await call<ErrorEnvelope>("GET", `/api/brands?${qs}`, { token: admin.token });
      expect(res.status, qs).toBe(400);
    }
  });
});

describe("PUT/PATCH /api/brands/:id", () => {
  it("partially updates with PUT and PATCH, bumps the version, audits old and new values; one round trip", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant, { name: "Old", slug: "old", description: "keep" });
    const res = await call<{ data: BrandJson }>("PATCH", `/api/brands/${brand.id}`, {
      token: admin.token,
      body: { name: "New" },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ name: "New", slug: "old", description: "keep", version: 2 });
    expect(res.headers.get("etag")).toBe('"v2"');
    const put = await call<{ data: BrandJson }>("PUT", `/api/brands/${brand.id}`, {
      token: admin.token,
      body: { is_active: false, description: null, logo_url: "https://x.example/l.webp" },
    });
    expect(put.status).toBe(200);
    expect(put.json.data).toMatchObject({
      name: "New",
      is_active: false,
      description: null,
      logo_url: "https://x.example/l.webp",
      version: 3,
    });
    const [latest, first] = await auditOf(tenant.id, brand.id);
    expect(first).toMatchObject({
      action: "brand.update",
      oldValues: { name: "Old" },
      newValues: { name: "New" },
    });
    expect(latest?.oldValues).toEqual({ is_active: true, description: "keep", logo_url: null });
  });

  it("a duplicate name or slug → 409; an empty body, unknown or server-owned fields → 400; nothing written", async () => {
    const { tenant, admin } = await setup();
    await createBrand(tenant, { name: "Taken", slug: "taken" });
    const brand = await createBrand(tenant, { name: "Mine", slug: "mine" });
    const before = await catalogSnapshot(tenant.id);
    const dupName = await call<ErrorEnvelope>("PATCH", `/api/brands/${brand.id}`, {
      token: admin.token,
      body: { name: "taken" },
    });
    expect(dupName.status).toBe(409);
    expect(dupName.json.error.details?.[0]?.field).toBe("name");
    const dupSlug = await call<ErrorEnvelope>("PUT", `/api/brands/${brand.id}`, {
      token: admin.token,
      body: { slug: "taken" },
    });
    expect(dupSlug.status).toBe(409);
    expect(dupSlug.json.error.details?.[0]?.field).toBe("slug");
    for (const body of [
      {},
      { tenant_id: tenant.id },
      { version: 9 },
      { id: brand.id },
      { deleted_at: null },
    ]) {
      const res = await call<ErrorEnvelope>("PATCH", `/api/brands/${brand.id}`, { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("If-Match: a stale version → 412 and nothing written; the current one applies", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant, { name: "Versioned", slug: "versioned" });
    const before = await brandRow(tenant.id, brand.id);
    const stale = await call<ErrorEnvelope>("PATCH", `/api/brands/${brand.id}`, {
      token: admin.token,
      headers: { "if-match": '"v7"' },
      body: { name: "Nope" },
    });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe("PRECONDITION_FAILED");
    const garbage = await call("PATCH", `/api/brands/${brand.id}`, {
      token: admin.token,
      headers: { "if-match": "W/abc" },
      body: { name: "Nope" },
    });
    expect(garbage.status).toBe(412);
    expect(await brandRow(tenant.id, brand.id)).toEqual(before);
    const ok = await call<{ data: BrandJson }>("PATCH", `/api/brands/${brand.id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
      body: { name: "Yes" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.data.version).toBe(2);
  });

  it("concurrent updates with the same If-Match: exactly one 200, the others 412", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant, { name: "Race", slug: "race" });
    const results = await Promise.all(
      ["Left", "Right", "Up", "Down"].map((name) =>
        call<{ data: BrandJson }>("PATCH", `/api/brands/${brand.id}`, {
          token: admin.token,
          headers: { "if-match": '"v1"' },
          body: { name },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200);
    const row = await brandRow(tenant.id, brand.id);
    expect(row?.version).toBe(2);
    expect(row?.name).toBe(winner?.json.data.name);
    expect(await auditOf(tenant.id, brand.id)).toHaveLength(1);
  });
});

describe("DELETE /api/brands/:id", () => {
  it("soft-deletes: 204, then 404 and gone from the list; name and slug free again; audited; one round trip", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant, { name: "Doomed", slug: "doomed" });
    const del = await call("DELETE", `/api/brands/${brand.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    expect(roundTrips(del.headers)).toBe(1);
    const row = await brandRow(tenant.id, brand.id);
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect((await call("GET", `/api/brands/${brand.id}`, { token: admin.token })).status).toBe(404);
    expect(
      (await call("PATCH", `/api/brands/${brand.id}`, { token: admin.token, body: { name: "x" } })).status,
    ).toBe(404);
    expect((await call("DELETE", `/api/brands/${brand.id}`, { token: admin.token })).status).toBe(404);
    const list = await call<ListJson<BrandJson>>("GET", "/api/brands", { token: admin.token });
    expect(list.json.data).toEqual([]);
    const again = await call("POST", "/api/brands", { token: admin.token, body: { name: "Doomed" } });
    expect(again.status).toBe(201);
    const audit = await auditOf(tenant.id, brand.id);
    expect(audit.map((a) => a.action)).toEqual(["brand.delete"]);
    expect(audit[0]?.oldValues).toMatchObject({ name: "Doomed", slug: "doomed" });
  });

  it("honours If-Match", async () => {
    const { tenant, admin } = await setup();
    const brand = await createBrand(tenant);
    const stale = await call("DELETE", `/api/brands/${brand.id}`, {
      token: admin.token,
      headers: { "if-match": '"v2"' },
    });
    expect(stale.status).toBe(412);
    expect((await brandRow(tenant.id, brand.id))?.deletedAt).toBeNull();
    const ok = await call("DELETE", `/api/brands/${brand.id}`, {
      token: admin.token,
      headers: { "if-match": '"v1"' },
    });
    expect(ok.status).toBe(204);
  });
});
