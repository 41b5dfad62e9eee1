import { z } from "zod";
import { optionalText } from "../../core/resource/params";

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 100;

/**
 * The slug a brand gets when none is sent: accents folded, lowercase, every run of other
 * characters one hyphen. May be empty (a name with no Latin letters or digits): the caller asks
 * for an explicit slug then.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, "");
}

/** The validation rules of a brand's fields (the declaration in brands.resource.ts uses them). */
export const brandName = z.string().trim().min(1, "Must not be empty").max(200);
export const brandSlug = z
  .string()
  .trim()
  .max(SLUG_MAX)
  .regex(SLUG_RE, "Lowercase letters and digits in words joined by single hyphens, e.g. coca-cola")
  .describe("Derived from the name when omitted; kept when the name changes unless sent");
export const brandDescription = optionalText(5000);
export const logoUrl = z
  .url({ protocol: /^https$/, error: "Must be an https:// URL" })
  .max(2048)
  .nullable();
