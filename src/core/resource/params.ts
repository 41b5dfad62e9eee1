import { z } from "zod";

/** Path, header and text schemas shared by every resource (and by the hand-built catalogue routes). */

export const uuidParam = z.uuid({ error: "Must be a UUID" });
export const idParam = z.object({ id: uuidParam });

/** Documented conditional headers (the ETag helpers read them). */
export const ifMatchHeader = z.object({
  "if-match": z
    .string()
    .optional()
    .describe(
      'The ETag you read (`"v3"`): the write applies only while the resource is at that version, else 412',
    ),
});
export const ifNoneMatchHeader = z.object({
  "if-none-match": z.string().optional().describe("The ETag you hold: 304 when nothing changed"),
});

/** Response header descriptions for describe(). */
export const VERSION_ETAG = {
  ETag: 'The resource\'s version, `"v<n>"`; send it back in If-Match / If-None-Match',
};
export const CONTENT_ETAG = { ETag: "A hash of the list; send it back in If-None-Match to get a 304" };

/** Optional free text: trimmed; empty becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v === "" ? null : v));
}
