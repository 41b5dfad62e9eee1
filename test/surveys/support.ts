import { uuidv7 } from "../../src/core/ids";
import { visitAnswers, visits } from "../../src/db/schema";
import type { QuestionRow, SurveyRow } from "../helpers/catalog";
import { testDb } from "../helpers/db";

export interface QuestionJson {
  id: string;
  survey_id: string;
  prompt: string;
  type: string;
  is_required: boolean;
  position: number;
  options: { value: string; label: string }[] | null;
  min_value: number | null;
  max_value: number | null;
  version: number;
}

export interface SurveyJson {
  id: string;
  title: string;
  description: string | null;
  visit_type: "shop" | "individual";
  brand_id: string | null;
  is_active: boolean;
  question_count: number;
  version: number;
  created_by: string | null;
  questions?: QuestionJson[];
}

export interface ListJson<T> {
  data: T[];
  pagination: {
    page: number;
    page_size: number;
    total: number | null;
    pages: number | null;
    next_cursor: null;
  };
}

/**
 * A completed visit by `agentId` (a member of the survey's tenant) that answered `questions`,
 * inserted straight into the database: what the visits module will write, for the "questions
 * with answers" rules.
 */
export async function answerQuestions(
  survey: SurveyRow,
  agentId: string,
  questions: QuestionRow[],
): Promise<{ visitId: string }> {
  const db = testDb();
  const visitId = uuidv7();
  const now = new Date();
  await db.batch([
    db.insert(visits).values({
      tenantId: survey.tenantId,
      id: visitId,
      agentId,
      surveyId: survey.id,
      visitType: survey.visitType,
      status: "completed",
      lat: -26.2,
      lng: 28.04,
      startedAt: now,
      completedAt: now,
    }),
    db.insert(visitAnswers).values(
      questions.map((q) => ({
        tenantId: survey.tenantId,
        visitId,
        questionId: q.id,
        value: q.options?.[0]?.value ?? "answer",
        questionPrompt: q.prompt,
        questionType: q.type,
      })),
    ),
  ]);
  return { visitId };
}
