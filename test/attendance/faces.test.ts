import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { attendanceRecords, auditLogs, employees, faceEmbeddings } from "../../src/db/schema";
import { testDb } from "../helpers/db";
import { createCustomRole, createUser } from "../helpers/factories";
import { call, type ErrorEnvelope, roundTrips } from "../helpers/http";
import { attendanceTenant, cosine, descriptor, insertEmployee, noisy, OFFICE, punch } from "./support";

type Face = { id: string; employee_id: string; dimension: number; label: string | null; consent_at: string };

async function faceSetup(settings: Record<string, unknown> = {}) {
  const tenant = await attendanceTenant({ face_check_in: true, face_match_threshold: 0.9, ...settings });
  const admin = await createUser(tenant, ["admin"]);
  const user = await createUser(tenant, ["member"]);
  const employeeId = await insertEmployee(tenant, { userId: user.user.id });
  return { tenant, admin, user, employeeId };
}

const enroll = (token: string, employeeId: string, body: Record<string, unknown>) =>
  call<{ data: Face }>("POST", `/api/employees/${employeeId}/face-embeddings`, { token, body });

describe("face embeddings", () => {
  it("enrol with consent (≤ 5, the tenant's dimension), list without vectors, erase one and all, audited", async () => {
    const { tenant, admin, employeeId } = await faceSetup();
    const noConsent = await enroll(admin.token, employeeId, { embedding: descriptor(1) });
    expect(noConsent.status).toBe(400);
    const falseConsent = await enroll(admin.token, employeeId, { embedding: descriptor(1), consent: false });
    expect(falseConsent.status).toBe(400);
    const wrongDim = await enroll(admin.token, employeeId, { embedding: descriptor(1, 64), consent: true });
    expect(wrongDim.status).toBe(400);
    expect((wrongDim.json as unknown as ErrorEnvelope).error.details?.[0]?.field).toBe("embedding");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await enroll(admin.token, employeeId, {
        embedding: descriptor(10 + i),
        consent: true,
        label: `L${i}`,
      });
      expect(res.status, res.text).toBe(201);
      expect(roundTrips(res.headers)).toBe(1);
      expect(res.json.data).toMatchObject({
        employee_id: employeeId,
        dimension: 128,
        enrolled_by: admin.user.id,
      });
      expect(res.text).not.toContain("vector");
      ids.push(res.json.data.id);
    }
    const sixth = await enroll(admin.token, employeeId, { embedding: descriptor(99), consent: true });
    expect(sixth.status).toBe(409);
    const list = await call<{ data: Face[] }>("GET", `/api/employees/${employeeId}/face-embeddings`, {
      token: admin.token,
    });
    expect(list.status).toBe(200);
    expect(list.json.data.map((f) => f.id)).toEqual(ids);
    expect(list.text).not.toContain("vector");
    // Stored unit length.
    const [stored] = await testDb()
      .select()
      .from(faceEmbeddings)
      .where(eq(faceEmbeddings.id, ids[0] as string));
    const norm = Math.sqrt((stored?.vector ?? []).reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);

    const one = await call("DELETE", `/api/employees/${employeeId}/face-embeddings/${ids[0]}`, {
      token: admin.token,
    });
    expect(one.status).toBe(204);
    const again = await call("DELETE", `/api/employees/${employeeId}/face-embeddings/${ids[0]}`, {
      token: admin.token,
    });
    expect(again.status).toBe(404);
    const all = await call<{ data: { deleted: number } }>(
      "DELETE",
      `/api/employees/${employeeId}/face-embeddings`,
      {
        token: admin.token,
      },
    );
    expect(all.status).toBe(200);
    expect(all.json.data.deleted).toBe(4);
    const left = await testDb().select().from(faceEmbeddings).where(eq(faceEmbeddings.tenantId, tenant.id));
    expect(left).toHaveLength(0);
    const audit = await testDb().select().from(auditLogs).where(eq(auditLogs.tenantId, tenant.id));
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === "face_embedding.create")).toHaveLength(5);
    expect(actions).toContain("face_embedding.delete");
    const eraseAll = audit.find((a) => a.action === "face_embedding.erase_all");
    expect(eraseAll?.newValues).toEqual({ erased_count: 4 });
    expect(JSON.stringify(audit)).not.toMatch(/vector/);
  });

  it("concurrent enrolments never pass the limit: of 8 at once exactly 5 are stored, erasure frees the slots", async () => {
    const { admin, employeeId } = await faceSetup();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        enroll(admin.token, employeeId, { embedding: descriptor(40 + i), consent: true }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
    const stored = await testDb()
      .select()
      .from(faceEmbeddings)
      .where(eq(faceEmbeddings.employeeId, employeeId));
    expect(stored).toHaveLength(5);
    const [emp] = await testDb().select().from(employees).where(eq(employees.id, employeeId));
    expect(emp?.faceCount).toBe(5);
    // The database refuses a count past the limit whatever a statement does.
    await expect(
      testDb().update(employees).set({ faceCount: 6 }).where(eq(employees.id, employeeId)),
    ).rejects.toThrow();
    const erased = await call("DELETE", `/api/employees/${employeeId}/face-embeddings`, {
      token: admin.token,
    });
    expect(erased.status).toBe(200);
    const [after] = await testDb().select().from(employees).where(eq(employees.id, employeeId));
    expect(after?.faceCount).toBe(0);
    expect((await enroll(admin.token, employeeId, { embedding: descriptor(60), consent: true })).status).toBe(
      201,
    );
  });

  it("a member may not enrol faces; another tenant's employee is 404", async () => {
    const { user, employeeId } = await faceSetup();
    const res = await enroll(user.token, employeeId, { embedding: descriptor(1), consent: true });
    expect(res.status).toBe(403);
    const other = await faceSetup();
    const cross = await enroll(other.admin.token, employeeId, { embedding: descriptor(1), consent: true });
    expect(cross.status).toBe(404);
  });

  it("face check-in: above the threshold the score is stored; below → 422, nothing recorded", async () => {
    const { tenant, admin, user, employeeId } = await faceSetup();
    const enrolled = [descriptor(100), descriptor(101)];
    for (const e of enrolled) await enroll(admin.token, employeeId, { embedding: e, consent: true });
    const probe = noisy(enrolled[1] as number[], 7, 0.2);
    const expected = Math.max(...enrolled.map((e) => cosine(e, probe)));
    expect(expected).toBeGreaterThan(0.9);
    // Without an embedding while the tenant checks faces: 400.
    const missing = await punch("check-in", user.token, { ...OFFICE, client_id: "nf" });
    expect(missing.status).toBe(400);
    const stranger = descriptor(555);
    expect(Math.max(...enrolled.map((e) => cosine(e, stranger)))).toBeLessThan(0.9);
    const below = await punch("check-in", user.token, { ...OFFICE, client_id: "b", embedding: stranger });
    expect(below.status).toBe(422);
    expect(
      await testDb().select().from(attendanceRecords).where(eq(attendanceRecords.tenantId, tenant.id)),
    ).toHaveLength(0);
    // Just below the threshold: a probe whose best cosine is ≈ 0.893.
    const weak = noisy(enrolled[0] as number[], 8, 0.5);
    const weakScore = Math.max(...enrolled.map((e) => cosine(e, weak)));
    expect(weakScore).toBeGreaterThan(0.88);
    expect(weakScore).toBeLessThan(0.9);
    expect((await punch("check-in", user.token, { ...OFFICE, client_id: "w", embedding: weak })).status).toBe(
      422,
    );

    const ok = await punch("check-in", user.token, { ...OFFICE, client_id: "a", embedding: probe });
    expect(ok.status, ok.text).toBe(201);
    const score = (ok.json.data.check_in as { face_score: number }).face_score;
    expect(score).toBeCloseTo(expected, 3);
    const factors = (ok.json.data.check_in as { trust_factors: { face: { penalty: number } } }).trust_factors;
    expect(factors.face.penalty).toBe(Math.min(20, Math.round((1 - score) * 50)));
  });

  it("no enrolled face → 422; face check-in off → the embedding is not needed", async () => {
    const { user } = await faceSetup();
    const none = await punch("check-in", user.token, { ...OFFICE, client_id: "x", embedding: descriptor(3) });
    expect(none.status).toBe(422);
    const off = await faceSetup({ face_check_in: false });
    const res = await punch("check-in", off.user.token, { ...OFFICE, client_id: "y" });
    expect(res.status, res.text).toBe(201);
    expect((res.json.data.check_in as { face_score: number | null }).face_score).toBeNull();
  });

  it("kiosk identification picks the right employee among many; then checks them in", async () => {
    const { tenant, admin } = await faceSetup();
    await createCustomRole(tenant, "kiosk", ["attendance:kiosk", "attendance:check_in"]);
    const kiosk = await createUser(tenant, ["kiosk"]);
    const people: { id: string; face: number[] }[] = [];
    for (let i = 0; i < 25; i++) {
      const id = await insertEmployee(tenant);
      const face = descriptor(1000 + i);
      await enroll(admin.token, id, { embedding: face, consent: true });
      await enroll(admin.token, id, { embedding: noisy(face, 2000 + i, 0.3), consent: true });
      people.push({ id, face });
    }
    const target = people[13] as { id: string; face: number[] };
    const probe = noisy(target.face, 31337, 0.15);
    const best = people
      .map((p) => ({
        id: p.id,
        score: Math.max(cosine(p.face, probe), cosine(noisy(p.face, 2000 + people.indexOf(p), 0.3), probe)),
      }))
      .sort((a, b) => b.score - a.score)[0];
    expect(best?.id).toBe(target.id);
    const res = await call<{ data: { employee_id: string; score: number } }>(
      "POST",
      "/api/attendance/identify",
      {
        token: kiosk.token,
        body: { embedding: probe },
      },
    );
    expect(res.status, res.text).toBe(200);
    expect(roundTrips(res.headers)).toBe(1);
    expect(res.json.data.employee_id).toBe(target.id);
    expect(res.json.data.score).toBeCloseTo(best?.score ?? 0, 3);
    const stranger = await call("POST", "/api/attendance/identify", {
      token: kiosk.token,
      body: { embedding: descriptor(42) },
    });
    expect(stranger.status).toBe(422);
    // The two-pass search is exact: on probes near the threshold it answers what comparing every
    // enrolled descriptor in full answers.
    const enrolledFaces = people.flatMap((p, i) => [
      { id: p.id, face: p.face },
      { id: p.id, face: noisy(p.face, 2000 + i, 0.3) },
    ]);
    for (let k = 0; k < 12; k++) {
      const near = noisy(
        (people[(k * 7) % people.length] as { face: number[] }).face,
        5000 + k,
        0.2 + (k % 4) * 0.05,
      );
      const exhaustive = enrolledFaces
        .map((e) => ({ id: e.id, score: cosine(e.face, near) }))
        .sort((a, b) => b.score - a.score)[0] as { id: string; score: number };
      const answer = await call<{ data: { employee_id: string; score: number } }>(
        "POST",
        "/api/attendance/identify",
        {
          token: kiosk.token,
          body: { embedding: near },
        },
      );
      if (exhaustive.score >= 0.9) {
        expect(answer.status, answer.text).toBe(200);
        expect(answer.json.data.employee_id).toBe(exhaustive.id);
        expect(answer.json.data.score).toBeCloseTo(exhaustive.score, 3);
      } else {
        expect(answer.status, answer.text).toBe(422);
      }
    }
    const member = await createUser(tenant, ["member"]);
    expect(
      (await call("POST", "/api/attendance/identify", { token: member.token, body: { embedding: probe } }))
        .status,
    ).toBe(403);
    const checkIn = await punch("check-in", kiosk.token, {
      ...OFFICE,
      client_id: "k1",
      employee_id: target.id,
      embedding: probe,
    });
    expect(checkIn.status, checkIn.text).toBe(201);
    expect(checkIn.json.data.employee_id).toBe(target.id);
    // A kiosk naming another tenant's employee: 404.
    const other = await faceSetup();
    const cross = await punch("check-in", kiosk.token, {
      ...OFFICE,
      client_id: "k2",
      employee_id: other.employeeId,
      embedding: probe,
    });
    expect(cross.status).toBe(404);
    const rows = await testDb()
      .select()
      .from(attendanceRecords)
      .where(and(eq(attendanceRecords.tenantId, other.tenant.id)));
    expect(rows).toHaveLength(0);
  });
});
