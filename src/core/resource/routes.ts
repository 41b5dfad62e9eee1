import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodObject, ZodType } from "zod";
import { type AppContext, type AppEnv, type TenantContext, tenantContext } from "../context";
import type { Emit } from "../emit";
import { ifMatchVersion, jsonTextWithContentEtag, jsonVersioned, jsonWithContentEtag } from "../etag";
import { apiRouter, emptyResponse, jsonResponse, route } from "../route";
import type { Resource } from "./declaration";
import { writeEvents } from "./events";
import { CONTENT_ETAG, idParam, ifNoneMatchHeader, VERSION_ETAG } from "./params";
import { createOne, deleteOne, getOne, listPage, updateOne, type Versioned } from "./verbs";
import { readContext } from "./view";

/**
 * The five standard routes of a resource — list, create, get, update (PUT and PATCH), delete —
 * declared with `route()` (so each has its OpenAPI operation and standard errors), from its
 * declaration; each verb's permission is the declared one. A resource with special behaviour
 * passes its own function (and the schemas it takes and answers) for that verb; extra verbs are
 * chained on the returned router like any route.
 */

type Row = { id: string; version: number };
/**
 * A list's answer: the page, or (`json`) the page's JSON text when a custom list already has it
 * (the Finder's cache: its entry is that text), answered as is instead of serialised again; a
 * custom list may add response headers (e.g. a cache's hit/miss).
 */
type ListResult = ({ data: unknown[]; pagination: unknown } | { json: string }) & {
  headers?: Record<string, string>;
};
type Verb = "list" | "create" | "get" | "update" | "delete";

/**
 * A verb of one resource replaced by an ordinary function, with the schemas it accepts and answers.
 * A write's function also gets `emit` (core/emit.ts), for the domain events its rollups need.
 */
export interface Overrides {
  list?: {
    query: ZodObject;
    response: ZodType;
    run: (ctx: TenantContext, query: never) => Promise<ListResult>;
  };
  create?: {
    body?: ZodObject;
    response?: ZodType;
    run: (ctx: TenantContext, input: never, emit: Emit) => Promise<Versioned<Row>>;
  };
  get?: { response: ZodType; run: (ctx: TenantContext, id: string) => Promise<Versioned<Row>> };
  update?: {
    response: ZodType;
    run: (
      ctx: TenantContext,
      id: string,
      input: never,
      expectedVersion: number | undefined,
      emit: Emit,
    ) => Promise<Versioned<Row>>;
  };
  delete?: {
    run: (ctx: TenantContext, id: string, expectedVersion: number | undefined, emit: Emit) => Promise<void>;
  };
  /** Extra sentences of documentation per verb (what the declaration cannot say). */
  docs?: Partial<Record<Verb, string>>;
}

/**
 * Create and update that first derive fields from the body, e.g. the timestamps a status implies
 * (projects' `won_at`, leads' `converted_at`); the update answers the full row.
 */
export function derivedWrites(
  res: Resource,
  derive: (input: Record<string, unknown>) => Record<string, unknown>,
): Pick<Overrides, "create" | "update"> {
  return {
    create: { run: (ctx, input: Record<string, unknown>) => createOne<Row>(ctx, res, derive(input)) },
    update: {
      response: res.schemas.response,
      run: (ctx, id, input: Record<string, unknown>, expectedVersion) =>
        updateOne<Row>(ctx, res, id, derive(input), expectedVersion),
    },
  };
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");
const text = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ");

/** The 404/409 a write can answer beyond the standard ones, from the declared references and unique indexes. */
function writeErrors(res: Resource, path: "collection" | "item") {
  const refs = Object.entries(res.references ?? {}).map(
    ([key, ref]) => `${ref?.entity} not found (\`${key}\`)`,
  );
  const unique = Object.values(res.unique ?? {}).map((u) => `\`${u.field}\` is taken`);
  return {
    ...(refs.length
      ? { 404: `${path === "item" ? `${res.entity} not found, or ` : ""}${refs.join("; ")}` }
      : {}),
    ...(unique.length ? { 409: unique.join("; ") } : {}),
  };
}

/** What the declaration says about writes, for their descriptions. */
function writeRules(res: Resource): string {
  const unique = Object.values(res.unique ?? {}).map((u) => `\`${u.field}\``);
  const refs = Object.entries(res.references ?? {}).map(
    ([key, ref]) =>
      `\`${key}\` must be a live ${ref?.entity.toLowerCase()} of this tenant${ref?.scope ? " that you may see" : ""} (404 naming the field)`,
  );
  return text(
    unique.length
      ? `Unique among the tenant's live ${res.tag}: ${unique.join(", ")} (409 naming the field).`
      : "",
    refs.length ? `${refs.join("; ")}.` : "",
  );
}

/**
 * Handlers are typed against the kit's generic schemas, not one resource's: the body comes from
 * the same schemas the route documents, so the check `route()` makes per module holds by
 * construction here.
 */
type Handler = (c: AppContext) => Promise<Response>;
type Router = OpenAPIHono<AppEnv>;
const add = (router: Router, config: ReturnType<typeof route>, handler: Handler): Router =>
  router.openapi(config, handler as never) as unknown as Router;

/**
 * The standard routes of `res` on a new router. Mount it with one line:
 * `api.route(res.path, resourceRoutes(res))`.
 */
export function resourceRoutes(res: Resource, overrides: Overrides = {}): Router {
  const one = res.entity.toLowerCase();
  const a = `${article(one)} ${one}`;
  const { read, write } = res.permissions;
  const s = res.schemas;
  const docs = overrides.docs ?? {};
  const filters = Object.keys(res.filters ?? {}).map((key) => `\`${key}\``);
  const itemResponse = overrides.get?.response ?? s.response;
  const tags = [res.tag];
  const valid = (c: AppContext, target: "query" | "json" | "param") =>
    (c.req as unknown as { valid: (t: string) => Record<string, unknown> }).valid(target);
  const idOf = (c: AppContext) => String(valid(c, "param").id);

  let router = apiRouter();
  router = add(
    router,
    route({
      method: "get",
      path: "/",
      summary: `List ${res.tag}`,
      description: text(
        `Live ${res.tag} of the tenant in your data scope, ordered by ${res.order.column.name}.`,
        filters.length ? `Filters: ${filters.join(", ")}.` : "",
        docs.list,
        "Page with `page` or the keyset `cursor` (`pagination.next_cursor`). One round trip. The response carries a content ETag; If-None-Match answers 304.",
      ),
      tags,
      permission: read,
      query: overrides.list?.query ?? s.list,
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: {
        200: jsonResponse(overrides.list?.response ?? s.listResponse, `One page of ${res.tag}`, CONTENT_ETAG),
      },
    }),
    async (c) => {
      const query = valid(c, "query") as Parameters<typeof listPage>[2];
      const ctx = readContext(tenantContext(c), res, query.view);
      const { headers, ...body }: ListResult = overrides.list
        ? await overrides.list.run(ctx, query as never)
        : await listPage(ctx, res, query);
      for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
      return "json" in body ? jsonTextWithContentEtag(c, body.json) : jsonWithContentEtag(c, body);
    },
  );
  router = add(
    router,
    route({
      method: "post",
      path: "/",
      summary: `Create ${a}`,
      description: text(writeRules(res), docs.create, "Audited. Honours Idempotency-Key."),
      tags,
      permission: write,
      body: overrides.create?.body ?? s.create,
      responses: {
        201: jsonResponse(overrides.create?.response ?? itemResponse, `The new ${one}`, {
          ...VERSION_ETAG,
          Location: `The ${one}'s URL`,
        }),
      },
      errors: writeErrors(res, "collection"),
    }),
    async (c) => {
      const ctx = tenantContext(c);
      const input = valid(c, "json");
      const events = writeEvents(c, res);
      const { data, version } = overrides.create
        ? await overrides.create.run(ctx, input as never, events.emit)
        : await createOne<Row>(ctx, res, input);
      events.after(data.id);
      c.header("Location", `/api${res.path}/${data.id}`);
      return jsonVersioned(c, { data }, version, 201);
    },
  );
  router = add(
    router,
    route({
      method: "get",
      path: "/{id}",
      summary: `Get ${a}`,
      description: text(
        `A live ${one} of the tenant in your data scope.`,
        docs.get,
        "If-None-Match with its ETag answers 304.",
      ),
      tags,
      permission: read,
      params: idParam,
      ...(res.readAll ? { query: s.get } : {}),
      headers: ifNoneMatchHeader,
      notModified: true,
      responses: { 200: jsonResponse(itemResponse, `The ${one}`, VERSION_ETAG) },
    }),
    async (c) => {
      const ctx = readContext(tenantContext(c), res, res.readAll ? valid(c, "query").view : undefined);
      const { data, version } = overrides.get
        ? await overrides.get.run(ctx, idOf(c))
        : await getOne<Row>(ctx, res, idOf(c));
      return jsonVersioned(c, { data }, version);
    },
  );
  const update: Handler = async (c) => {
    const ctx = tenantContext(c);
    const input = valid(c, "json");
    const expected = ifMatchVersion(c);
    const events = writeEvents(c, res);
    const { data, version } = overrides.update
      ? await overrides.update.run(ctx, idOf(c), input as never, expected, events.emit)
      : await updateOne<Row>(ctx, res, idOf(c), input, expected);
    events.after(data.id);
    return jsonVersioned(c, { data }, version);
  };
  for (const method of ["put", "patch"] as const) {
    router = add(
      router,
      route({
        method,
        path: "/{id}",
        summary: `Update ${a}`,
        description: text(
          "Partial update (PUT and PATCH alike).",
          writeRules(res),
          docs.update,
          "Honours If-Match (412 on a stale version). Audited.",
        ),
        tags,
        permission: write,
        params: idParam,
        body: s.update,
        ifMatch: true,
        responses: {
          200: jsonResponse(overrides.update?.response ?? itemResponse, `The updated ${one}`, VERSION_ETAG),
        },
        errors: writeErrors(res, "item"),
      }),
      update,
    );
  }
  return add(
    router,
    route({
      method: "delete",
      path: "/{id}",
      summary: `Delete ${a}`,
      description: text(
        `Soft delete: the ${one} answers 404 afterwards and leaves every list.`,
        docs.delete,
        "Honours If-Match. Audited.",
      ),
      tags,
      permission: res.permissions.delete,
      params: idParam,
      ifMatch: true,
      responses: { 204: emptyResponse("Deleted") },
    }),
    async (c) => {
      const ctx = tenantContext(c);
      const events = writeEvents(c, res);
      await (overrides.delete
        ? overrides.delete.run(ctx, idOf(c), ifMatchVersion(c), events.emit)
        : deleteOne(ctx, res, idOf(c), ifMatchVersion(c)));
      events.after(idOf(c));
      return c.body(null, 204);
    },
  );
}
