import { z } from "zod";
import { dataEnvelope, listEnvelope } from "../openapi";
import { checkPaging, listPagingQuery } from "../pagination";
import type { Computed, Field, Filter, ResourceSpec } from "./declaration";
import { viewQuery, viewShape } from "./view";

/**
 * The zod schemas of a resource, all from its one field list: a strict create body (the server
 * owns id, tenant_id, version, created_by and timestamps, so sending one is a 400 naming it), a
 * partial update body, the response item and the list query.
 */

type CreateShape<F extends Record<string, Field>> = { [K in keyof F]: F[K]["input"] };
type UpdateShape<F extends Record<string, Field>> = { [K in keyof F]: z.ZodOptional<F[K]["input"]> };
type FilterShape<Q extends Record<string, Filter>> = { [K in keyof Q]: z.ZodOptional<Q[K]["schema"]> };
type ItemShape<F extends Record<string, Field>, C extends Record<string, Computed>> = {
  id: z.ZodUUID;
} & { [K in keyof F]: F[K]["output"] } & { [K in keyof C]: C[K]["output"] } & {
  version: z.ZodNumber;
  created_by: z.ZodNullable<z.ZodUUID>;
  created_at: z.ZodISODateTime;
  updated_at: z.ZodISODateTime;
};

function mapValues<T, R>(record: Record<string, T>, fn: (value: T) => R): Record<string, R> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

/** The body of a create: every field as declared; nothing else. */
export function createBody<F extends Record<string, Field>>(spec: ResourceSpec<F>) {
  return z.strictObject(mapValues(spec.fields, (f) => f.input) as CreateShape<F>);
}

/** The body of PUT and PATCH (partial semantics): one field or more. */
export function updateBody<F extends Record<string, Field>>(spec: ResourceSpec<F>) {
  return z
    .strictObject(mapValues(spec.fields, (f) => f.input.optional()) as UpdateShape<F>)
    .refine((b) => Object.values(b).some((v) => v !== undefined), "Nothing to update");
}

/** The resource as responses carry it. */
export function itemSchema<F extends Record<string, Field>, C extends Record<string, Computed>>(
  spec: ResourceSpec<F, C>,
) {
  return z.object({
    id: z.uuid(),
    ...(mapValues(spec.fields, (f) => f.output) as { [K in keyof F]: F[K]["output"] }),
    ...(mapValues(spec.computed ?? {}, (c) => c.output) as { [K in keyof C]: C[K]["output"] }),
    version: z.number().int().describe(`The ETag of the ${spec.entity.toLowerCase()} is \`"v<version>"\``),
    created_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  } as ItemShape<F, C>);
}

/** The fields of a list query: the declared filters and the paging fields. */
export function listQueryShape<
  F extends Record<string, Field>,
  C extends Record<string, Computed>,
  Q extends Record<string, Filter>,
>(spec: ResourceSpec<F, C, Q>) {
  return {
    ...(mapValues(spec.filters ?? {}, (f) => f.schema.optional()) as FilterShape<Q>),
    ...viewShape(spec),
    ...listPagingQuery,
  };
}

/** The list query: filters and paging, strict (an unknown parameter is a 400 naming it). */
export function listQuery<
  F extends Record<string, Field>,
  C extends Record<string, Computed>,
  Q extends Record<string, Filter>,
>(spec: ResourceSpec<F, C, Q>) {
  return z
    .strictObject(listQueryShape(spec))
    .superRefine((q, ctx) => checkPaging(q as { page?: number; cursor?: string }, ctx));
}

/** The OpenAPI component name of an entity: its words in PascalCase ("Call cycle" → "CallCycle"). */
export function componentName(entity: string): string {
  return entity
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** Every schema of a resource, built once (the same objects validate and document). */
export function resourceSchemas<
  F extends Record<string, Field>,
  C extends Record<string, Computed>,
  Q extends Record<string, Filter>,
>(spec: ResourceSpec<F, C, Q>) {
  const item = itemSchema(spec).openapi(componentName(spec.entity));
  return {
    create: createBody(spec),
    update: updateBody(spec),
    item,
    list: listQuery(spec),
    /** The get's query: `view` for a resource declaring `readAll`, else nothing. */
    get: z.strictObject(spec.readAll ? { view: viewQuery } : {}),
    response: dataEnvelope(item),
    listResponse: listEnvelope(item),
  };
}

export type ResourceSchemas<
  F extends Record<string, Field>,
  C extends Record<string, Computed>,
  Q extends Record<string, Filter>,
> = ReturnType<typeof resourceSchemas<F, C, Q>>;
