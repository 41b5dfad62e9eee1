import { z } from "zod";
import { dataEnvelope } from "../../core/openapi";

export const floorResponse = dataEnvelope(z.object({ one: z.number().int() }));
