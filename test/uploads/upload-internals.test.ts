import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/core/env";
import { ApiError } from "../../src/core/errors";
import { loadUploadConfig, type UploadConfig } from "../../src/core/uploads/config";
import { confirmUpload, receiveUpload } from "../../src/core/uploads/uploads.service";
import { downloadUrl, type UploadSite, uploadInstructions } from "../../src/core/uploads/urls";
import { auditLogs } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createTenant, createUser } from "../helpers/factories";
import { createPhotoRow, createVisit, fakeImage, photoRow, sha256Hex } from "../photos/support";

const ORIGIN = "https://api.example.test";
const R2 = {
  accountId: "0123456789abcdef0123456789abcdef",
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  bucket: "sales-sync-files",
};

function site(overrides: Partial<UploadConfig> = {}): UploadSite {
  const config = loadUploadConfig(env, loadConfig(env));
  return { config: { ...config, ...overrides }, bucket: env.FILES, origin: ORIGIN };
}

async function pendingPhoto() {
  const tenant = await createTenant();
  const agent = await createUser(tenant, ["agent"]);
  const visit = await createVisit(tenant, agent.user.id);
  const photo = await createPhotoRow(visit);
  return { tenant, agent, photo, target: { kind: "photo" as const, tenantId: tenant.id, id: photo.id } };
}

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

const meta = { requestId: "test-request-0001", ip: null, userAgent: null };

async function caught(work: Promise<unknown>): Promise<ApiError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

describe("streaming limit", () => {
  it("a body that outgrows the limit while streaming is cut off with 413 and nothing kept", async () => {
    const { tenant, photo, target } = await pendingPhoto();
    const small = site({ maxBytes: 2048 });
    const grant = await uploadInstructions(small, { ...target, contentType: "image/jpeg", size: 1000 });
    const url = new URL(grant.url);
    const err = await caught(
      receiveUpload(small, testDb(), {
        target,
        exp: Number(url.searchParams.get("exp")),
        sig: url.searchParams.get("sig") ?? "",
        contentType: "image/jpeg",
        // Claims to fit; the bytes say otherwise.
        contentLength: "2048",
        body: chunked(fakeImage(4096), 1024),
        meta,
      }),
    );
    expect(err.status).toBe(413);
    expect(await env.FILES.head(photo.objectKey)).toBeNull();
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({ status: "pending", sizeBytes: null });
  });

  it("a body shorter than its Content-Length → 400 and nothing kept", async () => {
    const { tenant, photo, target } = await pendingPhoto();
    const s = site();
    const grant = await uploadInstructions(s, { ...target, contentType: "image/jpeg", size: 1000 });
    const url = new URL(grant.url);
    const err = await caught(
      receiveUpload(s, testDb(), {
        target,
        exp: Number(url.searchParams.get("exp")),
        sig: url.searchParams.get("sig") ?? "",
        contentType: "image/jpeg",
        contentLength: "2048",
        body: chunked(fakeImage(1000), 300),
        meta,
      }),
    );
    expect(err.status).toBe(400);
    expect(await env.FILES.head(photo.objectKey)).toBeNull();
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({ status: "pending" });
  });

  it("many small chunks hash and store exactly", async () => {
    const { tenant, photo, target } = await pendingPhoto();
    const s = site();
    const bytes = fakeImage(70_001, 3);
    const grant = await uploadInstructions(s, {
      ...target,
      contentType: "image/webp",
      size: bytes.byteLength,
    });
    const url = new URL(grant.url);
    const receipt = await receiveUpload(s, testDb(), {
      target,
      exp: Number(url.searchParams.get("exp")),
      sig: url.searchParams.get("sig") ?? "",
      contentType: "image/webp",
      contentLength: String(bytes.byteLength),
      body: chunked(bytes, 997),
      meta,
    });
    expect(receipt).toEqual({ id: photo.id, size_bytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
    const stored = await env.FILES.get(photo.objectKey);
    expect(await sha256Hex(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0)))).toBe(
      receipt.sha256,
    );
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({
      status: "uploaded",
      sizeBytes: bytes.byteLength,
    });
  });
});

describe("presigned R2 mode (R2 S3 credentials configured)", () => {
  it("hands out a SigV4 presigned PUT bound to the content type and size, and a presigned GET", async () => {
    const s = site({ r2: R2 });
    const target = { kind: "photo" as const, tenantId: crypto.randomUUID(), id: crypto.randomUUID() };
    const put = await uploadInstructions(s, { ...target, contentType: "image/png", size: 4321 });
    expect(put.method).toBe("PUT");
    expect(put.headers).toEqual({ "content-type": "image/png", "content-length": "4321" });
    const url = new URL(put.url);
    expect(url.host).toBe(`${R2.accountId}.r2.cloudflarestorage.com`);
    expect(url.pathname).toBe(`/${R2.bucket}/t/${target.tenantId}/photo/${target.id}`);
    expect(url.searchParams.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(/^AKIDEXAMPLE\/\d{8}\/auto\/s3\/aws4_request$/);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(put.expires_at) - Date.now()).toBeGreaterThan(890_000);

    const get = await downloadUrl(s, target);
    const getUrl = new URL(get.url);
    expect(getUrl.pathname).toBe(url.pathname);
    expect(getUrl.searchParams.get("X-Amz-SignedHeaders")).toBe("host");
    expect(getUrl.searchParams.get("X-Amz-Signature")).not.toBe(url.searchParams.get("X-Amz-Signature"));
  });

  it("confirmUpload marks a pending row once its object is in R2, once", async () => {
    const { tenant, agent, photo, target } = await pendingPhoto();
    const s = site({ r2: R2 });
    expect(await confirmUpload(s, testDb(), target, meta)).toBeUndefined();
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({ status: "pending" });

    const bytes = fakeImage(5000, 5);
    await env.FILES.put(photo.objectKey, bytes, { httpMetadata: { contentType: "image/jpeg" } });
    const confirmed = await confirmUpload(s, testDb(), target, meta);
    expect(confirmed).toMatchObject({ sizeBytes: 5000, sha256: await sha256Hex(bytes) });
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({
      status: "uploaded",
      sizeBytes: 5000,
      sha256: await sha256Hex(bytes),
    });
    await confirmUpload(s, testDb(), target, meta);
    const audit = await testDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenant.id), eq(auditLogs.entityId, photo.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "photo.upload", actorId: agent.user.id });
    expect(audit[0]?.newValues).toMatchObject({ via: "r2_presigned" });
  });

  it("confirmUpload deletes an object over the limit and leaves the row pending", async () => {
    const { tenant, photo, target } = await pendingPhoto();
    await env.FILES.put(photo.objectKey, fakeImage(4096), { httpMetadata: { contentType: "image/jpeg" } });
    expect(await confirmUpload(site({ r2: R2, maxBytes: 2048 }), testDb(), target, meta)).toBeUndefined();
    expect(await env.FILES.head(photo.objectKey)).toBeNull();
    expect(await photoRow(tenant.id, photo.id)).toMatchObject({ status: "pending" });
  });
});

describe("upload configuration", () => {
  const app = { JWT_SECRET: "x".repeat(40), isDev: true };
  const load = (vars: Record<string, string>) => loadUploadConfig(vars as unknown as Env, app);

  it("defaults: 15 MB, 15 minutes, Worker URLs signed with a key derived from JWT_SECRET", () => {
    expect(load({})).toEqual({
      maxBytes: 15_728_640,
      ttlSeconds: 900,
      r2: undefined,
      signingSecret: app.JWT_SECRET,
    });
    expect(load({ MAX_UPLOAD_BYTES: "", R2_ACCOUNT_ID: "" }).r2).toBeUndefined();
  });

  it("reads the limit, the lifetime, a signing secret and complete R2 credentials", () => {
    const config = load({
      MAX_UPLOAD_BYTES: "5000000",
      UPLOAD_URL_TTL_SECONDS: "300",
      UPLOAD_SIGNING_SECRET: "s".repeat(32),
      R2_ACCOUNT_ID: R2.accountId,
      R2_ACCESS_KEY_ID: R2.accessKeyId,
      R2_SECRET_ACCESS_KEY: R2.secretAccessKey,
      R2_BUCKET_NAME: R2.bucket,
    });
    expect(config).toEqual({ maxBytes: 5_000_000, ttlSeconds: 300, r2: R2, signingSecret: "s".repeat(32) });
  });

  it("refuses partial R2 credentials and out-of-range values, naming the variable", () => {
    for (const [vars, name] of [
      [{ R2_ACCOUNT_ID: R2.accountId }, "R2_"],
      [{ MAX_UPLOAD_BYTES: "ten" }, "MAX_UPLOAD_BYTES"],
      [{ UPLOAD_URL_TTL_SECONDS: "1" }, "UPLOAD_URL_TTL_SECONDS"],
      [{ UPLOAD_SIGNING_SECRET: "short" }, "UPLOAD_SIGNING_SECRET"],
    ] as const) {
      expect(() => load(vars), name).toThrow(name);
    }
  });
});

describe("upload signatures", () => {
  it("only the canonical encoding verifies: the unused bits of the last character are not a second valid signature", async () => {
    const { signGrant, verifyGrant } = await import("../../src/core/uploads/signing");
    const secret = "signing-secret-0123456789abcdef0123456789";
    const grant = {
      method: "PUT" as const,
      kind: "photo" as const,
      tenantId: crypto.randomUUID(),
      id: crypto.randomUUID(),
      contentType: "image/jpeg",
      maxBytes: 1000,
      expires: 2_000_000_000,
    };
    const sig = await signGrant(secret, grant);
    expect(await verifyGrant(secret, grant, sig)).toBe(true);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(sig.at(-1) ?? "A");
    for (const flip of [1, 2, 3]) {
      const twin = `${sig.slice(0, -1)}${alphabet[last ^ flip]}`;
      expect(await verifyGrant(secret, grant, twin), twin).toBe(false);
    }
    expect(await verifyGrant(secret, { ...grant, maxBytes: 1001 }, sig)).toBe(false);
  });
});
