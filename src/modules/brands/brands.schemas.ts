import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../../core/openapi";
import { booleanQuery, pagingQuery } from "../../core/pagination";
import { optionalText } from "./catalog-schemas";

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

export const brandSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    logo_url: z.string().nullable(),
    is_active: z.boolean(),
    version: z.number().int().describe('The ETag of the brand is `"v<version>"`'),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Brand");

export type BrandDto = z.infer<typeof brandSchema>;

const brandName = z.string().trim().min(1, "Must not be empty").max(200);
const brandSlug = z
  .string()
  .trim()
  .max(SLUG_MAX)
  .regex(SLUG_RE, "Lowercase letters and digits in words joined by single hyphens, e.g. coca-cola");
const logoUrl = z
  .url({ protocol: /^https$/, error: "Must be an https:// URL" })
  .max(2048)
  .nullable();

export const createBrandBody = z.strictObject({
  name: brandName,
  slug: brandSlug.optional().describe("Derived from the name when omitted"),
  description: optionalText(5000).optional(),
  logo_url: logoUrl.optional(),
  is_active: z.boolean().optional().describe("Default true"),
});

export type CreateBrandInput = z.infer<typeof createBrandBody>;

export const updateBrandBody = z
  .strictObject({
    name: brandName.optional(),
    slug: brandSlug.optional().describe("Kept when the name changes unless sent"),
    description: optionalText(5000).optional(),
    logo_url: logoUrl.optional(),
    is_active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update");

export type UpdateBrandInput = z.infer<typeof updateBrandBody>;

export const listBrandsQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().describe("Name contains (case-insensitive)"),
  is_active: booleanQuery.optional(),
  ...pagingQuery,
});

export type ListBrandsQuery = z.infer<typeof listBrandsQuery>;

export const brandResponse = dataEnvelope(brandSchema);
export const brandListResponse = listEnvelope(brandSchema);
