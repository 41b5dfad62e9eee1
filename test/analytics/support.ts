import { domainEvent } from "../../src/core/events";
import { uuidv7 } from "../../src/core/ids";
import { photos, shelfQuadrants, visitAnswers } from "../../src/db/schema";
import { createBrand, createShop, createSurvey } from "../helpers/catalog";
import { testDb } from "../helpers/db";
import { createTenant, createUser, type TestUser } from "../helpers/factories";
import { addTeamMember, createTeam } from "../helpers/teams";
import { createVisit } from "../helpers/visits";

export { deliver, runCron } from "../helpers/jobs";

export const TZ_OFFSET_HOURS = 2; // Africa/Johannesburg, no DST

/** The Johannesburg calendar day of an instant, computed independently of the SQL. */
export function localDay(iso: string): string {
  return new Date(Date.parse(iso) + TZ_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

export interface PhotoSpec {
  /** Brand key → share in percent (adds up to 100), and the photo's marked area; no marks: a plain photo. */
  marks?: { shares: Record<"A" | "B", number>; area: number };
}

export interface VisitSpec {
  agent: "a1" | "a2" | "a3" | "a4";
  shop: "s1" | "s2" | null;
  survey: "S1" | "S2";
  start: string;
  minutes: number | null;
  outside?: boolean;
  answers?: number;
  photos?: PhotoSpec[];
}

/**
 * The visits of the field: around local midnight (v1 starts 22:30 UTC on 1 Nov = 00:30 on 2 Nov in
 * Johannesburg; the last two straddle midnight of 15/16 Nov), in the range 2–15 Nov and in the
 * previous period 19 Oct – 1 Nov.
 */
export const VISITS: VisitSpec[] = [
  {
    agent: "a1",
    shop: "s1",
    survey: "S1",
    start: "2026-11-01T22:30:00Z",
    minutes: 20,
    outside: true,
    answers: 2,
    photos: [{ marks: { shares: { A: 75, B: 25 }, area: 0.4 } }],
  },
  { agent: "a1", shop: "s1", survey: "S1", start: "2026-11-15T21:59:00Z", minutes: null },
  { agent: "a1", shop: "s2", survey: "S1", start: "2026-11-15T22:00:00Z", minutes: 5, answers: 1 },
  {
    agent: "a2",
    shop: "s2",
    survey: "S2",
    start: "2026-11-05T08:00:00Z",
    minutes: 30,
    answers: 1,
    photos: [{ marks: { shares: { A: 0, B: 100 }, area: 0.2 } }, {}],
  },
  {
    agent: "a2",
    shop: "s2",
    survey: "S2",
    start: "2026-11-09T10:00:00Z",
    minutes: 15,
    outside: true,
    answers: 2,
  },
  {
    agent: "a3",
    shop: "s1",
    survey: "S1",
    start: "2026-10-25T10:00:00Z",
    minutes: 10,
    answers: 1,
    photos: [{ marks: { shares: { A: 50, B: 50 }, area: 0.5 } }],
  },
  { agent: "a4", shop: null, survey: "S1", start: "2026-11-10T10:00:00Z", minutes: 40 },
  { agent: "a4", shop: "s1", survey: "S2", start: "2026-10-31T21:30:00Z", minutes: 12 },
];

export interface Field {
  tenant: { id: string };
  users: Record<"a1" | "a2" | "a3" | "a4" | "leader" | "manager" | "admin", TestUser>;
  shops: Record<"s1" | "s2", string>;
  surveys: Record<"S1" | "S2", { id: string; questions: { id: string; prompt: string }[] }>;
  brands: Record<"A" | "B", string>;
  visitIds: string[];
  photoIds: string[];
  events: ReturnType<typeof domainEvent>[];
}

/**
 * A Johannesburg tenant: team tree top → {teamA (a1, a2, led by `leader`), teamB (a3)}, an area
 * manager in top (subtree: a1–a3), a4 in no team (only the admin sees them), shops s1 (North) and
 * s2 (South), surveys S1/S2, brands A/B, and VISITS with their answers, photos and shelf marks as
 * rows. `events` are the events the API would have emitted for them.
 */
export async function createField(): Promise<Field> {
  const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
  const [a1, a2, a3, a4, leader, manager, admin] = await Promise.all([
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["agent"]),
    createUser(tenant, ["team_leader"]),
    createUser(tenant, ["area_manager"]),
    createUser(tenant, ["admin"]),
  ]);
  if (!a1 || !a2 || !a3 || !a4 || !leader || !manager || !admin) throw new Error("users");
  const top = await createTeam(tenant);
  const teamA = await createTeam(tenant, { parent: top });
  const teamB = await createTeam(tenant, { parent: top });
  await addTeamMember(top, manager.user.id);
  await addTeamMember(teamA, leader.user.id, true);
  await addTeamMember(teamA, a1.user.id);
  await addTeamMember(teamA, a2.user.id);
  await addTeamMember(teamB, a3.user.id);
  const [s1, s2] = await Promise.all([
    createShop(tenant, { region: "North" }),
    createShop(tenant, { region: "South" }),
  ]);
  const questions = [
    { prompt: "One", type: "text" as const },
    { prompt: "Two", type: "text" as const },
  ];
  const [S1, S2] = await Promise.all([
    createSurvey(tenant, { questions }),
    createSurvey(tenant, { questions }),
  ]);
  const [A, B] = await Promise.all([createBrand(tenant), createBrand(tenant)]);
  const users = { a1, a2, a3, a4, leader, manager, admin };
  const field: Field = {
    tenant,
    users,
    shops: { s1: s1.id, s2: s2.id },
    surveys: {
      S1: { id: S1.survey.id, questions: S1.questions },
      S2: { id: S2.survey.id, questions: S2.questions },
    },
    brands: { A: A.id, B: B.id },
    visitIds: [],
    photoIds: [],
    events: [],
  };
  const db = testDb();
  for (const spec of VISITS) {
    const startedAt = new Date(spec.start);
    const completedAt = spec.minutes === null ? null : new Date(startedAt.getTime() + spec.minutes * 60_000);
    const visit = await createVisit(tenant, users[spec.agent].user.id, field.surveys[spec.survey].id, {
      shopId: spec.shop ? field.shops[spec.shop] : null,
      status: completedAt ? "completed" : "in_progress",
      startedAt,
      completedAt,
      outsideGeofence: spec.outside ?? false,
    });
    field.visitIds.push(visit.id);
    field.events.push(domainEvent("visit.started", tenant.id, { visit_id: visit.id }));
    if (completedAt) field.events.push(domainEvent("visit.completed", tenant.id, { visit_id: visit.id }));
    const qs = field.surveys[spec.survey].questions.slice(0, spec.answers ?? 0);
    if (qs.length > 0) {
      await db.insert(visitAnswers).values(
        qs.map((q) => ({
          tenantId: tenant.id,
          visitId: visit.id,
          questionId: q.id,
          value: "x",
          questionPrompt: q.prompt,
          questionType: "text" as const,
        })),
      );
    }
    for (const [i, photo] of (spec.photos ?? []).entries()) {
      const id = uuidv7();
      field.photoIds.push(id);
      await db.insert(photos).values({
        tenantId: tenant.id,
        id,
        visitId: visit.id,
        purpose: "shelf",
        objectKey: `t/${tenant.id}/photo/${id}`,
        contentType: "image/jpeg",
        declaredSize: 10,
        createdBy: users[spec.agent].user.id,
        createdAt: new Date(startedAt.getTime() + (i + 1) * 60_000),
      });
      field.events.push(domainEvent("photo.registered", tenant.id, { photo_id: id, visit_id: visit.id }));
      if (photo.marks) {
        const marks = Object.entries(photo.marks.shares).filter(([, pct]) => pct > 0);
        await db.insert(shelfQuadrants).values(
          marks.map(([brand, pct]) => ({
            tenantId: tenant.id,
            id: uuidv7(),
            photoId: id,
            brandId: field.brands[brand as "A" | "B"],
            x: 0,
            y: 0,
            width: 0.1,
            height: 0.1,
            areaPercentage: pct,
            markedArea: photo.marks?.area ?? null,
            createdBy: users[spec.agent].user.id,
          })),
        );
        field.events.push(
          domainEvent("shelf_quadrants.submitted", tenant.id, { photo_id: id, visit_id: visit.id }),
        );
      }
    }
  }
  return field;
}

/** Another tenant with visits on the same days, which must never be counted. */
export async function createNeighbour(): Promise<ReturnType<typeof domainEvent>[]> {
  const tenant = await createTenant({ settings: { timezone: "Africa/Johannesburg" } });
  const agent = await createUser(tenant, ["agent"]);
  const { survey } = await createSurvey(tenant, { questions: [] });
  const events: ReturnType<typeof domainEvent>[] = [];
  for (const start of ["2026-11-05T08:00:00Z", "2026-10-25T08:00:00Z"]) {
    const v = await createVisit(tenant, agent.user.id, survey.id, {
      status: "completed",
      startedAt: new Date(start),
      completedAt: new Date(Date.parse(start) + 600_000),
      outsideGeofence: true,
    });
    events.push(domainEvent("visit.started", tenant.id, { visit_id: v.id }));
    events.push(domainEvent("visit.completed", tenant.id, { visit_id: v.id }));
  }
  return events;
}

/** Every local day with a visit, for rebuilding them all with the crons. */
export function visitDays(): string[] {
  return [...new Set(VISITS.map((v) => localDay(v.start)))].sort();
}
