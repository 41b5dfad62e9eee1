import { z } from "zod";
import { optionalText, uuidParam } from "../../core/resource/params";
import { VISIT_TYPES } from "../../db/schema";

/** At most this many questions in one create. */
export const MAX_INLINE_QUESTIONS = 200;

/** The validation rules of a survey's fields (the declaration in surveys.resource.ts uses them). */
export const surveyTitle = z.string().trim().min(1, "Must not be empty").max(200);
export const surveyDescription = optionalText(5000);
export const visitType = z.enum(VISIT_TYPES);
export const surveyBrandId = uuidParam.nullable().describe("A brand of this tenant (404 otherwise), or null");
