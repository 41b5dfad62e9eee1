import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";

export const livenessSchema = dataEnvelope(z.object({ status: z.literal("ok"), time: z.iso.datetime() }));

export const readinessSchema = dataEnvelope(
  z.object({ status: z.literal("ok"), database: z.literal("ok"), time: z.iso.datetime() }),
);
