import { SELF } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { brandInfographics } from "../../src/db/schema";
import { catalogSnapshot, createBrand } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { auditOf } from "../helpers/teams";

interface InfographicJson {
  id: string;
  brand_id: string;
  title: string;
  description: string | null;
  content_type: string;
  declared_size: number;
  size_bytes: number | null;
  sha256: string | null;
  status: "pending" | "uploaded";
  created_by: string | null;
  uploaded_at: string | null;
  upload?: { url: string; method: "PUT"; headers: Record<string, string>; expires_at: string };
  download?: { url: string; expires_at: string } | null;
}

async function setup() {
  const tenant = await createTenant();
  const admin = await createUser(tenant, ["admin"]);
  const brand = await createBrand(tenant);
  return { tenant, admin, brand };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("POST /api/brands/:id/infographics", () => {
  it("registers the image (pending) with upload instructions like photos; one round trip; audited", async () => {
    const { tenant, admin, brand } = await setup();
    const res = await call<{ data: InfographicJson }>("POST", `/api/brands/${brand.id}/infographics`, {
      token: admin.token,
      body: { title: "Planogram Q3", description: "Shelf layout", content_type: "image/png", size: 2048 },
    });
    expect(res.status, res.text).toBe(201);
    expect(roundTrips(res.headers)).toBe(1);
    const info = res.json.data;
    expect(info).toMatchObject({
      brand_id: brand.id,
      title: "Planogram Q3",
      description: "Shelf layout",
      content_type: "image/png",
      declared_size: 2048,
      size_bytes: null,
      sha256: null,
      status: "pending",
      created_by: admin.user.id,
      uploaded_at: null,
    });
    expect(info.upload?.method).toBe("PUT");
    expect(info.upload?.headers).toMatchObject({ "content-type": "image/png" });
    expect(info.upload?.url).toContain(`/api/uploads/infographic/${tenant.id}/${info.id}?`);
    expect(Date.parse(info.upload?.expires_at ?? "")).toBeGreaterThan(Date.now());
    const [row] = await testDb()
      .select()
      .from(brandInfographics)
      .where(and(eq(brandInfographics.tenantId, tenant.id), eq(brandInfographics.id, info.id)));
    expect(row?.objectKey).toBe(`t/${tenant.id}/infographic/${info.id}`);
    expect((await auditOf(tenant.id, info.id)).map((a) => a.action)).toEqual(["brand_infographic.create"]);
  });

  it("wrong content type → 415, over the limit → 413, bad input → 400; nothing written", async () => {
    const { tenant, admin, brand } = await setup();
    const before = await catalogSnapshot(tenant.id);
    const post = (body: Record<string, unknown>) =>
      call<ErrorEnvelope>("POST", `/api/brands/${brand.id}/infographics`, { token: admin.token, body });
    const gif = await post({ title: "x", content_type: "image/gif", size: 10 });
    expect(gif.status).toBe(415);
    expect(gif.json.error.details?.[0]?.field).toBe("content_type");
    const big = await post({ title: "x", content_type: "image/jpeg", size: 15 * 1024 * 1024 + 1 });
    expect(big.status).toBe(413);
    expect(big.json.error.details?.[0]?.field).toBe("size");
    for (const [body, field] of [
      [{ content_type: "image/jpeg", size: 10 }, "title"],
      [{ title: "x", content_type: "image/jpeg", size: 0 }, "size"],
      [{ title: "x", content_type: "image/jpeg", size: 1.5 }, "size"],
      [{ title: "x", content_type: "image/jpeg" }, "size"],
      [{ title: "x", content_type: "image/jpeg", size: 10, status: "uploaded" }, "status"],
      [{ title: "x", content_type: "image/jpeg", size: 10, sha256: "00" }, "sha256"],
      [{ title: "x", content_type: "image/jpeg", size: 10, brand_id: brand.id }, "brand_id"],
      [{ title: "x", content_type: "image/jpeg", size: 10, tenant_id: tenant.id }, "tenant_id"],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details?.map((d) => d.field)).toContain(field);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
  });

  it("a deleted or unknown brand → 404, nothing written; an agent may not register", async () => {
    const { tenant, admin } = await setup();
    const gone = await createBrand(tenant, { deletedAt: new Date() });
    const before = await catalogSnapshot(tenant.id);
    for (const id of [gone.id, "0190a000-0000-7000-8000-000000000001"]) {
      const res = await call("POST", `/api/brands/${id}/infographics`, {
        token: admin.token,
        body: { title: "x", content_type: "image/webp", size: 10 },
      });
      expect(res.status).toBe(404);
    }
    expect(await catalogSnapshot(tenant.id)).toEqual(before);
    const agent = await createUser(tenant, ["agent"]);
    const brand = await createBrand(tenant);
    const denied = await call("POST", `/api/brands/${brand.id}/infographics`, {
      token: agent.token,
      body: { title: "x", content_type: "image/webp", size: 10 },
    });
    expect(denied.status).toBe(403);
  });
});

describe("GET /api/brands/:id/infographics", () => {
  it("end to end: register, PUT the bytes to the upload URL, list with a download URL that serves them", async () => {
    const { tenant, admin, brand } = await setup();
    const agent = await createUser(tenant, ["agent"]);
    const bytes = crypto.getRandomValues(new Uint8Array(3000));
    const first = await call<{ data: InfographicJson }>("POST", `/api/brands/${brand.id}/infographics`, {
      token: admin.token,
      body: { title: "Uploaded", content_type: "image/jpeg", size: bytes.byteLength },
    });
    const second = await call<{ data: InfographicJson }>("POST", `/api/brands/${brand.id}/infographics`, {
      token: admin.token,
      body: { title: "Still pending", content_type: "image/heic", size: 99 },
    });
    const upload = first.json.data.upload;
    if (!upload) throw new Error("no upload instructions");
    const put = await SELF.fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
    expect(put.status, await put.clone().text()).toBe(200);

    const res = await call<{ data: InfographicJson[]; pagination: { total: number | null } }>(
      "GET",
      `/api/brands/${brand.id}/infographics?include_total=true`,
      { token: agent.token },
    );
    expect(res.status).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.pagination.total).toBe(2);
    const [uploaded, pending] = res.json.data;
    expect(uploaded).toMatchObject({
      id: first.json.data.id,
      title: "Uploaded",
      status: "uploaded",
      size_bytes: bytes.byteLength,
      sha256: await sha256Hex(bytes),
    });
    expect(uploaded?.uploaded_at).not.toBeNull();
    expect(uploaded).not.toHaveProperty("upload");
    expect(pending).toMatchObject({ id: second.json.data.id, status: "pending", download: null });
    const download = uploaded?.download;
    if (!download) throw new Error("no download link");
    const file = await SELF.fetch(download.url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
  });

  it("a deleted brand's infographics → 404; an empty brand → []", async () => {
    const { tenant, admin, brand } = await setup();
    const empty = await call<{ data: unknown[] }>("GET", `/api/brands/${brand.id}/infographics`, {
      token: admin.token,
    });
    expect(empty.status).toBe(200);
    expect(empty.json.data).toEqual([]);
    await call("POST", `/api/brands/${brand.id}/infographics`, {
      token: admin.token,
      body: { title: "x", content_type: "image/png", size: 10 },
    });
    expect((await call("DELETE", `/api/brands/${brand.id}`, { token: admin.token })).status).toBe(204);
    expect((await call("GET", `/api/brands/${brand.id}/infographics`, { token: admin.token })).status).toBe(
      404,
    );
    expect((await catalogSnapshot(tenant.id)).infographics).toHaveLength(1);
  });
});
