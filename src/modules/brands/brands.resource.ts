import { z } from "zod";
import { booleanQuery } from "../../core/pagination";
import { contains, defineResource, equals, field } from "../../core/resource/declaration";
import { brands } from "../../db/schema";
import { brandDescription, brandName, brandSlug, logoUrl } from "./brands.schemas";

/** Brands: tenant-wide reference data, by name; name (any case) and slug unique among live brands. */
export const brandResource = defineResource({
  name: "brand",
  entity: "Brand",
  path: "/brands",
  tag: "brands",
  table: brands,
  fields: {
    name: field(brands.name, brandName, z.string()),
    slug: field(brands.slug, brandSlug.optional(), z.string()),
    description: field(brands.description, brandDescription.optional(), z.string().nullable()),
    logo_url: field(brands.logoUrl, logoUrl.optional(), z.string().nullable()),
    is_active: field(brands.isActive, z.boolean().optional().describe("Default true"), z.boolean()),
  },
  permissions: { read: "brands:read", write: "brands:write", delete: "brands:write" },
  scope: "tenant",
  unique: {
    brands_tenant_name_key: { field: "name", message: "A brand with this name already exists" },
    brands_tenant_slug_key: { field: "slug", message: "A brand with this slug already exists" },
  },
  filters: {
    q: contains(brands.name, "Name contains (case-insensitive)"),
    is_active: equals(brands.isActive, booleanQuery),
  },
  order: { column: brands.name, caseInsensitive: true },
  offline: {},
});
