import { Hono } from "hono";
import type { ZodType, z } from "zod";
import { type AppEnv, type TenantContext, tenantContext } from "../context";
import { ifMatchVersion, jsonVersioned, jsonWithContentEtag } from "../etag";
import { authenticate, requirePermission } from "../middleware/auth";
import { idempotency } from "../middleware/idempotency";
import { describe } from "../openapi";
import { validate } from "../validation";
import type { Resource } from "./declaration";
import { CONTENT_ETAG, idParam, ifMatchHeader, ifNoneMatchHeader, VERSION_ETAG } from "./params";
import { createOne, deleteOne, getOne, listPage, updateOne, type Versioned } from "./verbs";

/**
 * The five standard routes of a resource — list, create, get, update (PUT and PATCH), delete —
 * with their OpenAPI operations, from its declaration. The permission of each verb is the
 * declared one. A resource with special behaviour passes its own function (and schemas) for that
 * verb; extra verbs are chained on the returned router like any route.
 */

type Row = { id: string; version: number };
type ListResult = { data: unknown[]; pagination: unknown };

/** A verb of one resource replaced by an ordinary function (with the schemas it accepts/answers). */
export interface Overrides {
  list?: {
    query: ZodType;
    response: ZodType;
    run: (ctx: TenantContext, query: never) => Promise<ListResult>;
  };
  create?: {
    body?: ZodType;
    response?: ZodType;
    run: (ctx: TenantContext, input: never) => Promise<Versioned<Row>>;
  };
  get?: { response: ZodType; run: (ctx: TenantContext, id: string) => Promise<Versioned<Row>> };
  update?: {
    response: ZodType;
    run: (
      ctx: TenantContext,
      id: string,
      input: never,
      expectedVersion: number | undefined,
    ) => Promise<Versioned<Row>>;
  };
  /** Extra sentences of documentation per verb (what the declaration cannot say). */
  docs?: Partial<Record<"list" | "create" | "get" | "update" | "delete", string>>;
}

const plural = (res: Resource) => res.tag;
const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

/** What the declaration says about a write, for its description. */
function writeRules(res: Resource): string {
  const unique = Object.values(res.unique ?? {}).map((u) => `\`${u.field}\``);
  const refs = Object.entries(res.references ?? {}).map(
    ([key, ref]) =>
      `\`${key}\` must be a live ${ref?.entity.toLowerCase()} of this tenant (404 naming the field)`,
  );
  return [
    unique.length
      ? `Unique among the tenant's live ${plural(res)}: ${unique.join(", ")} (409 naming the field).`
      : "",
    refs.length ? `${refs.join("; ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function text(...parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}

/**
 * The standard routes of `res` on a new router (authenticated, Idempotency-Key honoured). Mount
 * it with one line: `api.route(res.path, resourceRoutes(res))`.
 */
export function resourceRoutes(res: Resource, overrides: Overrides = {}) {
  const one = res.entity.toLowerCase();
  const a = `${article(one)} ${one}`;
  const { read, write } = res.permissions;
  const s = res.schemas;
  const docs = overrides.docs ?? {};
  const filters = Object.keys(res.filters ?? {}).map((key) => `\`${key}\``);
  const listQuery = overrides.list?.query ?? s.list;
  const createBody = overrides.create?.body ?? s.create;
  const itemResponse = overrides.get?.response ?? s.response;
  const tags = [res.tag];

  return new Hono<AppEnv>()
    .use("*", authenticate, idempotency)
    .get(
      "/",
      describe({
        summary: `List ${plural(res)}`,
        description: text(
          `Live ${plural(res)} of the tenant in your data scope, ordered by ${res.order.column.name}.`,
          filters.length ? `Filters: ${filters.join(", ")}.` : "",
          docs.list,
          "Page with `page` or the keyset `cursor` (`pagination.next_cursor`). One round trip. The response carries a content ETag; If-None-Match answers 304.",
        ),
        tags,
        auth: true,
        permission: read,
        responses: {
          200: {
            description: `One page of ${plural(res)}`,
            schema: overrides.list?.response ?? s.listResponse,
            headers: CONTENT_ETAG,
          },
          304: { description: "Not modified (If-None-Match)" },
        },
      }),
      requirePermission(read),
      validate("query", listQuery),
      validate("header", ifNoneMatchHeader),
      async (c) => {
        const ctx = tenantContext(c);
        const query = c.req.valid("query") as Parameters<typeof listPage>[2];
        const body = overrides.list
          ? await overrides.list.run(ctx, query as never)
          : await listPage(ctx, res, query);
        return jsonWithContentEtag(c, body);
      },
    )
    .post(
      "/",
      describe({
        summary: `Create ${a}`,
        description: text(writeRules(res), docs.create, "Audited. Honours Idempotency-Key."),
        tags,
        auth: true,
        permission: write,
        responses: {
          201: {
            description: `The new ${one}`,
            schema: overrides.create?.response ?? itemResponse,
            headers: { ...VERSION_ETAG, Location: `The ${one}'s URL` },
          },
        },
        errors: ["CONFLICT", "RESOURCE_NOT_FOUND"],
      }),
      requirePermission(write),
      validate("json", createBody),
      async (c) => {
        const ctx = tenantContext(c);
        const input = c.req.valid("json") as z.output<typeof createBody> & Record<string, unknown>;
        const { data, version } = overrides.create
          ? await overrides.create.run(ctx, input as never)
          : await createOne<Row>(ctx, res, input);
        c.header("Location", `/api${res.path}/${data.id}`);
        return jsonVersioned(c, { data }, version, 201);
      },
    )
    .get(
      "/:id",
      describe({
        summary: `Get ${a}`,
        description: text(
          `A live ${one} of the tenant in your data scope.`,
          docs.get,
          "If-None-Match with its ETag answers 304.",
        ),
        tags,
        auth: true,
        permission: read,
        responses: {
          200: { description: `The ${one}`, schema: itemResponse, headers: VERSION_ETAG },
          304: { description: "Not modified (If-None-Match)" },
        },
      }),
      requirePermission(read),
      validate("param", idParam),
      validate("header", ifNoneMatchHeader),
      async (c) => {
        const ctx = tenantContext(c);
        const id = c.req.valid("param").id;
        const { data, version } = overrides.get
          ? await overrides.get.run(ctx, id)
          : await getOne<Row>(ctx, res, id);
        return jsonVersioned(c, { data }, version);
      },
    )
    .on(
      ["PUT", "PATCH"],
      "/:id",
      describe({
        summary: `Update ${a}`,
        description: text(
          "Partial update (PUT and PATCH alike).",
          writeRules(res),
          docs.update,
          "Honours If-Match (412 on a stale version). Audited.",
        ),
        tags,
        auth: true,
        permission: write,
        responses: {
          200: {
            description: `The updated ${one}`,
            schema: overrides.update?.response ?? itemResponse,
            headers: VERSION_ETAG,
          },
        },
        errors: ["CONFLICT", "PRECONDITION_FAILED"],
      }),
      requirePermission(write),
      validate("param", idParam),
      validate("header", ifMatchHeader),
      validate("json", s.update),
      async (c) => {
        const ctx = tenantContext(c);
        const id = c.req.valid("param").id;
        const input = c.req.valid("json") as Record<string, unknown>;
        const expected = ifMatchVersion(c);
        const { data, version } = overrides.update
          ? await overrides.update.run(ctx, id, input as never, expected)
          : await updateOne<Row>(ctx, res, id, input, expected);
        return jsonVersioned(c, { data }, version);
      },
    )
    .delete(
      "/:id",
      describe({
        summary: `Delete ${a}`,
        description: text(
          `Soft delete: the ${one} answers 404 afterwards and leaves every list.`,
          docs.delete,
          "Honours If-Match. Audited.",
        ),
        tags,
        auth: true,
        permission: res.permissions.delete,
        responses: { 204: { description: "Deleted" } },
        errors: ["PRECONDITION_FAILED"],
      }),
      requirePermission(res.permissions.delete),
      validate("param", idParam),
      validate("header", ifMatchHeader),
      async (c) => {
        await deleteOne(tenantContext(c), res, c.req.valid("param").id, ifMatchVersion(c));
        return c.body(null, 204);
      },
    );
}
