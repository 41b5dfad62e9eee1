import "@hono/zod-openapi";
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "./errors";

/**
 * The response shapes every module documents (DESIGN §3). Importing this module also loads
 * `@hono/zod-openapi`, which gives zod schemas `.openapi("Name")`: schema files name their
 * components with it (published under `#/components/schemas/<Name>` and referenced everywhere).
 */

/** `{"data": T}` */
export function dataEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

export const paginationSchema = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int().nullable(),
  pages: z.number().int().nullable(),
  next_cursor: z.string().nullable(),
});

/** `{"data": T[], "pagination": {...}}` */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), pagination: paginationSchema });
}

/** The one error envelope, published as the `ErrorEnvelope` component. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
    request_id: z.string(),
  })
  .openapi("ErrorEnvelope");
