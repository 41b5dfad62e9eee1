import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/core/env";
import { uuidv7 } from "../../src/core/ids";
import { loadUploadConfig } from "../../src/core/uploads/config";
import { type UploadSite, uploadInstructions } from "../../src/core/uploads/urls";
import { auditLogs, brandInfographics } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import {
  createBrand,
  createVisit,
  fakeImage,
  type PhotoJson,
  photoRow,
  photosOfVisit,
  sha256Hex,
} from "../photos/support";

const LIMIT = 15 * 1024 * 1024;
const ORIGIN = "https://api.example.test";

function site(): UploadSite {
  return { config: loadUploadConfig(env, loadConfig(env)), bucket: env.FILES, origin: ORIGIN };
}

async function agentWithVisit() {
  const tenant = await createTenant();
  const agent = await createUser(tenant, ["agent"]);
  const visit = await createVisit(tenant, agent.user.id);
  return { tenant, agent, visit };
}

async function register(token: string, visitId: string, body: Record<string, unknown> = {}) {
  return call<{ data: PhotoJson }>("POST", "/api/photos", {
    token,
    body: { visit_id: visitId, purpose: "shelf", content_type: "image/jpeg", size: 1000, ...body },
  });
}

function put(url: string, body: BodyInit, headers: Record<string, string>) {
  return SELF.fetch(url, { method: "PUT", headers, body });
}

/** Byte-for-byte equality (vitest's deep equality is slow on megabyte arrays). */
function sameBytes(actual: ArrayBuffer | undefined, expected: Uint8Array): boolean {
  if (!actual || actual.byteLength !== expected.byteLength) return false;
  const a = new Uint8Array(actual);
  for (let i = 0; i < a.length; i++) if (a[i] !== expected[i]) return false;
  return true;
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

const keyOf = (tenantId: string, id: string) => `t/${tenantId}/photo/${id}`;

describe("upload round trip (signed Worker URL)", () => {
  it("registers, streams the bytes into R2, records size and SHA-256, and serves them back", async () => {
    const { tenant, agent, visit } = await agentWithVisit();
    // Larger than MAX_BODY_BYTES (1 MB): the upload route is exempt from the global body limit.
    const bytes = fakeImage(1_500_000);
    const reg = await register(agent.token, visit.id, {
      size: bytes.byteLength,
      taken_at: "2026-03-01T10:00:00+02:00",
    });
    expect(reg.status).toBe(201);
    expect(roundTrips(reg.headers)).toBe(1);
    const photo = reg.json.data;
    expect(photo).toMatchObject({
      visit_id: visit.id,
      purpose: "shelf",
      content_type: "image/jpeg",
      declared_size: bytes.byteLength,
      status: "pending",
      size_bytes: null,
      sha256: null,
      created_by: agent.user.id,
    });
    expect(reg.headers.get("location")).toBe(`/api/photos/${photo.id}`);
    expect(photo.upload.method).toBe("PUT");
    expect(photo.upload.headers).toEqual({ "content-type": "image/jpeg" });
    expect(photo.upload.url).toMatch(
      new RegExp(`^${ORIGIN}/api/uploads/photo/${tenant.id}/${photo.id}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`),
    );
    const expires = Date.parse(photo.upload.expires_at);
    expect(expires - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1000);

    const uploaded = await put(photo.upload.url, bytes, photo.upload.headers);
    expect(uploaded.status).toBe(200);
    expect(roundTrips(uploaded.headers)).toBe(1);
    const expectedHash = await sha256Hex(bytes);
    expect(await json(uploaded)).toEqual({
      data: { id: photo.id, size_bytes: bytes.byteLength, sha256: expectedHash },
    });

    const object = await env.FILES.get(keyOf(tenant.id, photo.id));
    expect(object).not.toBeNull();
    expect(object?.httpMetadata?.contentType).toBe("image/jpeg");
    expect(sameBytes(await object?.arrayBuffer(), bytes)).toBe(true);

    const row = await photoRow(tenant.id, photo.id);
    expect(row).toMatchObject({ status: "uploaded", sizeBytes: bytes.byteLength, sha256: expectedHash });
    expect(row?.uploadedAt).toBeInstanceOf(Date);
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, photo.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["photo.create", "photo.upload"]);
    expect(audit.every((a) => a.actorId === agent.user.id)).toBe(true);
    expect(audit.find((a) => a.action === "photo.upload")?.newValues).toEqual({
      size_bytes: bytes.byteLength,
      sha256: expectedHash,
      via: "worker",
    });

    const got = await call<{ data: PhotoJson }>("GET", `/api/photos/${photo.id}`, { token: agent.token });
    expect(got.status).toBe(200);
    expect(roundTrips(got.headers)).toBe(1);
    expect(got.json.data).toMatchObject({
      status: "uploaded",
      size_bytes: bytes.byteLength,
      sha256: expectedHash,
    });
    const download = got.json.data.download;
    expect(download?.url).toMatch(new RegExp(`^${ORIGIN}/api/uploads/photo/${tenant.id}/${photo.id}\\?exp=`));
    const file = await SELF.fetch(download?.url ?? "");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(file.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(sameBytes(await file.arrayBuffer(), bytes)).toBe(true);
  });

  it("a pending photo has no download URL; a retried upload replaces the file", async () => {
    const { tenant, agent, visit } = await agentWithVisit();
    const reg = await register(agent.token, visit.id, { content_type: "image/png" });
    const photo = reg.json.data;
    const pending = await call<{ data: PhotoJson }>("GET", `/api/photos/${photo.id}`, { token: agent.token });
    expect(pending.json.data).toMatchObject({ status: "pending", download: null, shelf_quadrants: [] });

    const first = fakeImage(900, 1);
    const second = fakeImage(1100, 2);
    expect((await put(photo.upload.url, first, photo.upload.headers)).status).toBe(200);
    const again = await put(photo.upload.url, second, photo.upload.headers);
    expect(again.status).toBe(200);
    // Declared 1000, actually 1100: fine while under the limit; the actual size is recorded.
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({
      sizeBytes: 1100,
      declaredSize: 1000,
      sha256: await sha256Hex(second),
    });
    const object = await env.FILES.get(keyOf(tenant.id, photo.id));
    expect(sameBytes(await object?.arrayBuffer(), second)).toBe(true);
  });
});

describe("upload refusals", () => {
  async function registered() {
    const ctx = await agentWithVisit();
    const reg = await register(ctx.agent.token, ctx.visit.id);
    expect(reg.status).toBe(201);
    return { ...ctx, photo: reg.json.data };
  }

  async function expectNothingStored(tenantId: string, id: string) {
    expect(await env.FILES.head(keyOf(tenantId, id))).toBeNull();
    expect(await photoRow(tenantId, id)).toMatchObject({ status: "pending", sizeBytes: null, sha256: null });
  }

  it("a bad signature → 403", async () => {
    const { tenant, photo } = await registered();
    const url = new URL(photo.upload.url);
    const sig = url.searchParams.get("sig") ?? "";
    url.searchParams.set("sig", `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`);
    const res = await put(url.toString(), fakeImage(1000), photo.upload.headers);
    expect(res.status).toBe(403);
    expect((await json<ErrorEnvelope>(res)).error.code).toBe("AUTHORIZATION_ERROR");
    url.searchParams.set("sig", "not-a-signature");
    expect((await put(url.toString(), fakeImage(1000), photo.upload.headers)).status).toBe(403);
    await expectNothingStored(tenant.id, photo.id);
  });

  it("an expired URL → 403, and so is a URL whose expiry was pushed back", async () => {
    const { tenant, photo } = await registered();
    const old = await uploadInstructions(
      site(),
      { kind: "photo", tenantId: tenant.id, id: photo.id, contentType: "image/jpeg", size: 1000 },
      Date.now() - 3_600_000,
    );
    expect(Date.parse(old.expires_at)).toBeLessThan(Date.now());
    const res = await put(old.url, fakeImage(1000), old.headers);
    expect(res.status).toBe(403);
    expect((await json<ErrorEnvelope>(res)).error.code).toBe("AUTHORIZATION_ERROR");
    const extended = new URL(old.url);
    extended.searchParams.set("exp", String(Math.floor(Date.now() / 1000) + 3600));
    expect((await put(extended.toString(), fakeImage(1000), old.headers)).status).toBe(403);
    await expectNothingStored(tenant.id, photo.id);
  });

  it("a URL with another id, tenant or kind → 403", async () => {
    const { tenant, photo, agent, visit } = await registered();
    const other = (await register(agent.token, visit.id)).json.data;
    const theirs = await createTenant();
    const url = photo.upload.url;
    for (const tampered of [
      url.replace(photo.id, other.id),
      url.replace(tenant.id, theirs.id),
      url.replace("/uploads/photo/", "/uploads/infographic/"),
    ]) {
      const res = await put(tampered, fakeImage(1000), photo.upload.headers);
      expect(res.status, tampered).toBe(403);
    }
    await expectNothingStored(tenant.id, photo.id);
    await expectNothingStored(tenant.id, other.id);
    expect(await env.FILES.head(keyOf(theirs.id, photo.id))).toBeNull();
  });

  it("another content type than the signed one → 415", async () => {
    const { tenant, photo } = await registered();
    for (const type of ["image/png", "text/plain", "application/json"]) {
      const res = await put(photo.upload.url, fakeImage(1000), { "content-type": type });
      expect(res.status, type).toBe(415);
      expect((await json<ErrorEnvelope>(res)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    await expectNothingStored(tenant.id, photo.id);
  });

  it("more bytes than the limit → 413 with nothing kept in R2", async () => {
    const { tenant, photo } = await registered();
    const res = await put(photo.upload.url, new Uint8Array(LIMIT + 1), photo.upload.headers);
    expect(res.status).toBe(413);
    expect((await json<ErrorEnvelope>(res)).error.code).toBe("PAYLOAD_TOO_LARGE");
    await expectNothingStored(tenant.id, photo.id);
  });

  it("a download URL is not an upload URL, and a tampered download URL → 403", async () => {
    const { tenant, photo, agent } = await registered();
    expect((await put(photo.upload.url, fakeImage(1000), photo.upload.headers)).status).toBe(200);
    const got = await call<{ data: PhotoJson }>("GET", `/api/photos/${photo.id}`, { token: agent.token });
    const download = got.json.data.download?.url ?? "";
    const asUpload = await put(download, fakeImage(1000, 9), photo.upload.headers);
    expect(asUpload.status).toBe(403);
    expect((await SELF.fetch(photo.upload.url)).status).toBe(403);
    const other = await createTenant();
    expect((await SELF.fetch(download.replace(tenant.id, other.id))).status).toBe(403);
    const expired = new URL(download);
    expired.searchParams.set("exp", "1000");
    expect((await SELF.fetch(expired.toString())).status).toBe(403);
  });
});

describe("registration refusals", () => {
  it("a declared size over the limit → 413, a disallowed type → 415, nothing written", async () => {
    const { tenant, agent, visit } = await agentWithVisit();
    const big = await register(agent.token, visit.id, { size: LIMIT + 1 });
    expect(big.status).toBe(413);
    expect((big.json as unknown as ErrorEnvelope).error.code).toBe("PAYLOAD_TOO_LARGE");
    for (const type of ["image/gif", "application/pdf", "text/html"]) {
      const res = await register(agent.token, visit.id, { content_type: type });
      expect(res.status, type).toBe(415);
      expect((res.json as unknown as ErrorEnvelope).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await photosOfVisit(tenant.id, visit.id)).toEqual([]);
    const exact = await register(agent.token, visit.id, { size: LIMIT, content_type: "IMAGE/HEIC" });
    expect(exact.status).toBe(201);
    expect(exact.json.data.content_type).toBe("image/heic");
  });
});

describe("infographic uploads (the same flow, kind infographic)", () => {
  it("streams into R2 under t/<tenant>/infographic/<id> and marks the brand_infographics row", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, ["admin"]);
    const brandId = await createBrand(tenant);
    const id = uuidv7();
    const key = `t/${tenant.id}/infographic/${id}`;
    await testDb().insert(brandInfographics).values({
      tenantId: tenant.id,
      id,
      brandId,
      title: "Planogram",
      objectKey: key,
      contentType: "image/png",
      declaredSize: 3000,
      createdBy: admin.user.id,
    });
    const grant = await uploadInstructions(site(), {
      kind: "infographic",
      tenantId: tenant.id,
      id,
      contentType: "image/png",
      size: 3000,
    });
    expect(grant.url).toContain(`/api/uploads/infographic/${tenant.id}/${id}?`);
    const bytes = fakeImage(3000, 11);
    const res = await put(grant.url, bytes, grant.headers);
    expect(res.status).toBe(200);
    const [row] = await testDb().select().from(brandInfographics).where(eq(brandInfographics.id, id));
    expect(row).toMatchObject({ status: "uploaded", sizeBytes: 3000, sha256: await sha256Hex(bytes) });
    expect(sameBytes(await (await env.FILES.get(key))?.arrayBuffer(), bytes)).toBe(true);
    const [audit] = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, id)));
    expect(audit).toMatchObject({
      action: "brand_infographic.upload",
      entityType: "brand_infographic",
      actorId: admin.user.id,
    });
  });
});
