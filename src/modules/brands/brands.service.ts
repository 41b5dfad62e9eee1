import type { z } from "zod";
import type { TenantContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { createOne, type Versioned } from "../../core/resource/verbs";
import { brandResource } from "./brands.resource";
import { slugify } from "./brands.schemas";

export type BrandDto = z.infer<typeof brandResource.schemas.item>;
type CreateBrandInput = z.infer<typeof brandResource.schemas.create>;

/**
 * The brand's own create: the slug is derived from the name when omitted, and a derived slug that
 * another brand holds says so (the client never sent one). Otherwise the kit's create.
 */
export async function createBrand(ctx: TenantContext, input: CreateBrandInput): Promise<Versioned<BrandDto>> {
  const slug = input.slug ?? slugify(input.name);
  if (!slug) {
    throw ApiError.validation("Invalid request body", [
      { field: "slug", message: "The name has no letters or digits to make a slug from: send a slug" },
    ]);
  }
  try {
    return await createOne<BrandDto>(ctx, brandResource, { ...input, slug });
  } catch (err) {
    if (
      input.slug === undefined &&
      err instanceof ApiError &&
      err.code === "CONFLICT" &&
      err.details?.[0]?.field === "slug"
    ) {
      throw ApiError.conflict(
        `The slug derived from the name, "${slug}", belongs to another brand: send a slug`,
        err.details,
      );
    }
    throw err;
  }
}
