import { describe, expect, it } from "vitest";
import { EARTH_RADIUS_M, haversineMeters } from "../../src/modules/shops/geo";
import { catalogSnapshot, createShop, shopRow } from "../helpers/catalog";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { auditOf } from "../helpers/teams";

interface ShopJson {
  id: string;
  name: string;
  address: string | null;
  lat: number;
  lng: number;
  channel: string | null;
  region: string | null;
  external_code: string | null;
  is_active: boolean;
  version: number;
  created_by: string | null;
  distance_m?: number;
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

/** Metres per degree of latitude on the API's sphere. */
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;
const CENTER = { lat: -26.2041, lng: 28.0473 };
const north = (m: number) => ({ lat: CENTER.lat + m / M_PER_DEG, lng: CENTER.lng });
const south = (m: number) => ({ lat: CENTER.lat - m / M_PER_DEG, lng: CENTER.lng });
const east = (m: number) => ({
  lat: CENTER.lat,
  lng: CENTER.lng + m / (M_PER_DEG * Math.cos((CENTER.lat * Math.PI) / 180)),
});
const west = (m: number) => ({
  lat: CENTER.lat,
  lng: CENTER.lng - m / (M_PER_DEG * Math.cos((CENTER.lat * Math.PI) / 180)),
});

const valid = {
  name: "Corner Spaza",
  address: "12 Main Rd, Soweto",
  lat: -26.2485,
  lng: 27.854,
  channel: "spaza",
  region: "Gauteng",
  external_code: "ERP-001",
};

describe("POST /api/shops", () => {
  it("creates a shop with ETag, Location and audit in one round trip", async () => {
    const { tenant, admin } = await setup();
    const res = await call<{ data: ShopJson }>("POST", "/api/shops", { token: admin.token, body: valid });
    expect(res.status).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ ...valid, is_active: true, version: 1, created_by: admin.user.id });
    expect(res.headers.get("etag")).toBe('"v1"');
    expect(res.headers.get("location")).toBe(`/api/shops/${res.json.data.id}`);
    const audit = await auditOf(tenant.id, res.json.data.id);
    expect(audit.map((a) => a.action)).toEqual(["shop.create"]);
    expect(audit[0]?.newValues).toMatchObject({ name: valid.name, lat: valid.lat, external_code: "ERP-001" });
  });

  it("a duplicate live external_code → 409 naming the field; none or a deleted one is fine", async () => {
    const { tenant, admin } = await setup();
    await createShop(tenant, { externalCode: "ERP-9" });
    await createShop(tenant, { externalCode: "ERP-OLD", deletedAt: new Date() });
    const before = await catalogSnapshot(tenant.id);
    const dup = await call<ErrorEnvelope>("POST", "/api/shops", {
      token: admin.token,
      body: { ...valid, external_code: "ERP-9" },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.details).toEqual([{ field: "external_code", message: "Already taken" }]);
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
    const { external_code: _omit, ...noCode } = valid;
    for (const body of [noCode, noCode, { ...valid, external_code: "ERP-OLD" }]) {
      expect((await call("POST", "/api/shops", { token: admin.token, body })).status).toBe(201);
    }
  });

  it("out-of-range coordinates and bad input → 400 naming the field, nothing written", async () => {
    const { tenant, admin } = await setup();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, lat: 90.0001 }, "lat"],
      [{ ...valid, lat: -91 }, "lat"],
      [{ ...valid, lng: 180.5 }, "lng"],
      [{ ...valid, lng: -181 }, "lng"],
      [{ ...valid, lat: "12.5" }, "lat"],
      [{ name: "No coordinates" }, "lat"],
      [{ ...valid, name: " " }, "name"],
      [{ ...valid, external_code: "" }, "external_code"],
      [{ ...valid, channel: "x".repeat(101) }, "channel"],
    ];
    const before = await catalogSnapshot(tenant.id);
    for (const [body, field] of cases) {
      const res = await call<ErrorEnvelope>("POST", "/api/shops", { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("server-owned fields are refused (no mass assignment), nothing written", async () => {
    const { tenant, admin } = await setup();
    const other = await createTenant();
    const before = await catalogSnapshot(tenant.id);
    for (const extra of [
      { tenant_id: other.id },
      { id: "0190a000-0000-7000-8000-000000000001" },
      { created_by: admin.user.id },
      { version: 3 },
      { deleted_at: null },
    ]) {
      const res = await call<ErrorEnvelope>("POST", "/api/shops", {
        token: admin.token,
        body: { ...valid, ...extra },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.details?.[0]).toEqual({ field: Object.keys(extra)[0], message: "Unknown field" });
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
    expect((await catalogSnapshot(other.id)).shops).toEqual([]);
  });
});

describe("GET /api/shops", () => {
  it("near=lat,lng&radius_m: the shops within the radius, nearest first, with distance_m; one round trip", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const at100 = await createShop(tenant, { name: "A 100 m north", ...north(100) });
    const at900 = await createShop(tenant, { name: "B 900 m east", ...east(900) });
    await createShop(tenant, { name: "C 5 km south", ...south(5000) });
    await createShop(tenant, { name: "D 1010 m west", ...west(1010) });
    const at990 = await createShop(tenant, { name: "E 990 m west", ...west(990) });
    await createShop(tenant, { name: "F deleted, 10 m", ...north(10), deletedAt: new Date() });
    await createShop(await createTenant(), { name: "G other tenant, 10 m", ...north(10) });

    const res = await call<ListJson<ShopJson>>(
      "GET",
      `/api/shops?near=${CENTER.lat},${CENTER.lng}&radius_m=1000&include_total=true`,
      { token: agent.token },
    );
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.map((s) => s.id)).toEqual([at100.id, at900.id, at990.id]);
    const [d100, d900, d990] = res.json.data.map((s) => s.distance_m ?? Number.NaN);
    expect(d100).toBeCloseTo(100, 0);
    expect(d900).toBeCloseTo(900, 0);
    expect(d990).toBeCloseTo(990, 0);
    expect(res.json.pagination.total).toBe(3);

    const small = await call<ListJson<ShopJson>>(
      "GET",
      `/api/shops?near=${CENTER.lat},${CENTER.lng}&radius_m=150`,
      {
        token: agent.token,
      },
    );
    expect(small.json.data.map((s) => s.name)).toEqual(["A 100 m north"]);
    const wide = await call<ListJson<ShopJson>>(
      "GET",
      `/api/shops?near=${CENTER.lat},${CENTER.lng}&radius_m=6000&page_size=2&page=2&include_total=true`,
      { token: agent.token },
    );
    expect(wide.json.data.map((s) => s.name)).toEqual(["E 990 m west", "D 1010 m west"]);
    expect(wide.json.pagination).toMatchObject({ total: 5, pages: 3 });
    const plain = await call<ListJson<ShopJson>>("GET", "/api/shops", { token: agent.token });
    expect(plain.json.data[0]).not.toHaveProperty("distance_m");
  });

  it("near works across the antimeridian and at the poles (the bounding box never drops a shop)", async () => {
    const { tenant, admin } = await setup();
    const across = await createShop(tenant, { name: "across", lat: 0, lng: -179.9995 });
    await createShop(tenant, { name: "too far", lat: 0, lng: 179.99 });
    const res = await call<ListJson<ShopJson>>("GET", "/api/shops?near=0,179.9995&radius_m=1000", {
      token: admin.token,
    });
    expect(res.json.data.map((s) => s.id)).toEqual([across.id]);
    expect(res.json.data[0]?.distance_m).toBeCloseTo(haversineMeters({ lat: 0, lng: 179.9995 }, across), 0);

    const polar = await createShop(tenant, { name: "other side of the pole", lat: 89.999, lng: 180 });
    const pole = await call<ListJson<ShopJson>>("GET", "/api/shops?near=89.999,0&radius_m=1000", {
      token: admin.token,
    });
    expect(pole.json.data.map((s) => s.id)).toEqual([polar.id]);
    expect(pole.json.data[0]?.distance_m).toBeCloseTo(222.4, 0);
  });

  it("filters by q (name contains), channel, region and is_active; by name; one round trip; 304 on a repeat", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    await createShop(tenant, { name: "Shoprite Soweto", channel: "supermarket", region: "Gauteng" });
    await createShop(tenant, { name: "spaza Soweto", channel: "spaza", region: "Gauteng" });
    await createShop(tenant, { name: "Pick n Pay Durban", channel: "supermarket", region: "KZN" });
    await createShop(tenant, { name: "Closed Soweto", channel: "spaza", region: "Gauteng", isActive: false });
    const names = async (qs: string) => {
      const res = await call<ListJson<ShopJson>>("GET", `/api/shops?${qs}`, { token: agent.token });
      expect(res.status, qs).toBe(200);
      expect(roundTrips(res.headers)).toBe(1);
      return res.json.data.map((s) => s.name);
    };
    expect(await names("")).toEqual([
      "Closed Soweto",
      "Pick n Pay Durban",
      "Shoprite Soweto",
      "spaza Soweto",
    ]);
    expect(await names("q=soweto")).toEqual(["Closed Soweto", "Shoprite Soweto", "spaza Soweto"]);
    expect(await names("channel=supermarket")).toEqual(["Pick n Pay Durban", "Shoprite Soweto"]);
    expect(await names("region=Gauteng&is_active=true")).toEqual(["Shoprite Soweto", "spaza Soweto"]);
    expect(await names("q=sow&channel=spaza&is_active=false")).toEqual(["Closed Soweto"]);
    const first = await call("GET", "/api/shops?q=soweto", { token: agent.token });
    const cached = await call("GET", "/api/shops?q=soweto", {
      token: agent.token,
      headers: { "if-none-match": first.headers.get("etag") ?? "" },
    });
    expect(cached.status).toBe(304);
  });

  it("bad near / radius → 400 naming the field", async () => {
    const { admin } = await setup();
    const cases: [string, string][] = [
      ["near=1,2", "radius_m"],
      ["radius_m=100", "near"],
      ["near=91,0&radius_m=10", "near"],
      ["near=0,181&radius_m=10", "near"],
      ["near=abc&radius_m=10", "near"],
      ["near=0,0&radius_m=0", "radius_m"],
      ["near=0,0&radius_m=50001", "radius_m"],
      ["near=0,0&radius_m=1.5", "radius_m"],
    ];
    for (const [qs, field] of cases) {
      const res = await call<ErrorEnvelope>("GET", `/api/shops?${qs}`, { token: admin.token });
      expect(res.status, qs).toBe(400);
      expect(
        res.json.error.details?.map((d) => d.field),
        qs,
      ).toContain(field);
    }
  });

  it("GET /api/shops/:id: one round trip, ETag, 304; unknown → 404", async () => {
    const { tenant } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const shop = await createShop(tenant, { name: "One", lat: 1.5, lng: -2.25 });
    const res = await call<{ data: ShopJson }>("GET", `/api/shops/${shop.id}`, { token: agent.token });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ id: shop.id, name: "One", lat: 1.5, lng: -2.25, version: 1 });
    expect(
      (
        await call("GET", `/api/shops/${shop.id}`, {
          token: agent.token,
          headers: { "if-none-match": '"v1"' },
        })
      ).status,
    ).toBe(304);
    expect(
      (await call("GET", "/api/shops/0190a000-0000-7000-8000-000000000001", { token: agent.token })).status,
    ).toBe(404);
  });
});

describe("PUT/PATCH/DELETE /api/shops/:id", () => {
  it("partial update with PUT and PATCH; audited old/new; one round trip", async () => {
    const { tenant, admin } = await setup();
    const shop = await createShop(tenant, { name: "Before", channel: "spaza", externalCode: "X1" });
    const res = await call<{ data: ShopJson }>("PATCH", `/api/shops/${shop.id}`, {
      token: admin.token,
      body: { name: "After", lat: 10, lng: 20 },
    });
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data).toMatchObject({ name: "After", lat: 10, lng: 20, channel: "spaza", version: 2 });
    const put = await call<{ data: ShopJson }>("PUT", `/api/shops/${shop.id}`, {
      token: admin.token,
      body: { external_code: null, channel: null },
    });
    expect(put.json.data).toMatchObject({ external_code: null, channel: null, name: "After", version: 3 });
    const audit = await auditOf(tenant.id, shop.id);
    expect(audit.map((a) => a.action)).toEqual(["shop.update", "shop.update"]);
    expect(audit[1]?.oldValues).toEqual({ name: "Before", lat: shop.lat, lng: shop.lng });
  });

  it("duplicate external_code → 409; out-of-range lat → 400; server-owned fields → 400; nothing written", async () => {
    const { tenant, admin } = await setup();
    await createShop(tenant, { externalCode: "TAKEN" });
    const shop = await createShop(tenant);
    const before = await catalogSnapshot(tenant.id);
    const dup = await call<ErrorEnvelope>("PATCH", `/api/shops/${shop.id}`, {
      token: admin.token,
      body: { external_code: "TAKEN" },
    });
    expect(dup.status).toBe(409);
    for (const body of [
      { lat: 100 },
      { lng: -200 },
      {},
      { tenant_id: tenant.id },
      { created_by: admin.user.id },
    ]) {
      const res = await call("PATCH", `/api/shops/${shop.id}`, { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("If-Match stale → 412; concurrent updates with the same If-Match → one 200, one 412", async () => {
    const { tenant, admin } = await setup();
    const shop = await createShop(tenant);
    const stale = await call("PUT", `/api/shops/${shop.id}`, {
      token: admin.token,
      headers: { "if-match": '"v5"' },
      body: { name: "x" },
    });
    expect(stale.status).toBe(412);
    expect(await shopRow(tenant.id, shop.id)).toEqual(shop);
    const results = await Promise.all(
      ["One", "Two"].map((name) =>
        call("PATCH", `/api/shops/${shop.id}`, {
          token: admin.token,
          headers: { "if-match": '"v1"' },
          body: { name },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect((await shopRow(tenant.id, shop.id))?.version).toBe(2);
  });

  it("DELETE soft-deletes: 404 afterwards, not listed (nor near), external code free; one round trip", async () => {
    const { tenant, admin } = await setup();
    const shop = await createShop(tenant, { externalCode: "GONE", lat: 0, lng: 0 });
    const del = await call("DELETE", `/api/shops/${shop.id}`, { token: admin.token });
    expect(del.status).toBe(204);
    expect(roundTrips(del.headers)).toBe(1);
    expect((await shopRow(tenant.id, shop.id))?.deletedAt).toBeInstanceOf(Date);
    expect((await call("GET", `/api/shops/${shop.id}`, { token: admin.token })).status).toBe(404);
    expect((await call("DELETE", `/api/shops/${shop.id}`, { token: admin.token })).status).toBe(404);
    const list = await call<ListJson<ShopJson>>("GET", "/api/shops", { token: admin.token });
    expect(list.json.data).toEqual([]);
    const near = await call<ListJson<ShopJson>>("GET", "/api/shops?near=0,0&radius_m=10", {
      token: admin.token,
    });
    expect(near.json.data).toEqual([]);
    const again = await call("POST", "/api/shops", {
      token: admin.token,
      body: { name: "New", lat: 0, lng: 0, external_code: "GONE" },
    });
    expect(again.status).toBe(201);
    expect((await auditOf(tenant.id, shop.id)).map((a) => a.action)).toEqual(["shop.delete"]);
  });
});
