import type { RouteHandler } from "@hono/zod-openapi";
import type { ZodObject, ZodType, z } from "zod";
import { type AppContext, type AppEnv, type TenantContext, tenantContext } from "../context";
import { jsonVersioned } from "../etag";
import { type DeclaredRoute, type JsonResponse, type RouteSpec, route } from "../route";
import { idParam } from "./params";
import type { Overrides } from "./routes";
import type { Versioned } from "./verbs";

/**
 * The hand-built routes of the modules that are not the kit's five — a scoped list, one row by
 * `{id}`, a row's sub-resource, a verb on a row — as one declaration each: the `route()` spec
 * (without `method` for a read: always GET) and the one service function that answers it. The
 * handler is written here once: the tenant context first, then the validated query, or the path's
 * `{id}` (and the body); the `{ "data": … }` envelope (a list's service answers its page as it is);
 * the version ETag and 304 when the spec says `notModified`. `tsc` checks the service's answer
 * against the documented 200, as it checks a handler of `route()`.
 *
 * ```ts
 * apiRouter()
 *   .openapi(...listRoute({ path: "/", summary: "List visits", …, query: listVisitsQuery,
 *             responses: { 200: jsonResponse(visitListResponse, "A page of visits") } }, listVisits))
 *   .openapi(...itemRoute({ ...onRow("visits", "Visit"), summary: "Get a visit", … }, getVisit));
 * ```
 */

type Spec = Omit<RouteSpec, "responses"> & { responses: { 200: JsonResponse<ZodType> } };
/** A read's spec: what `route()` takes, without `method`, with its one success response. */
type ReadSpec = Omit<Spec, "method">;
type WithMethod<S extends ReadSpec> = S extends { method: RouteSpec["method"] } ? S : S & { method: "get" };
/** The declared route and its handler, to spread into `router.openapi(...)`. */
type Declared<S extends ReadSpec> = readonly [
  DeclaredRoute<WithMethod<S>>,
  RouteHandler<DeclaredRoute<WithMethod<S>>, AppEnv>,
];
/** What the documented 200 carries, and the `data` of its envelope. */
type Answer<S extends ReadSpec> = z.output<S["responses"][200]["content"]["application/json"]["schema"]>;
type Item<S extends ReadSpec> = Answer<S> extends { data: infer T } ? T : never;
/** With `notModified` the service answers the row with its version (the ETag), else the row. */
type ItemResult<S extends ReadSpec> = S extends { notModified: true } ? Versioned<Item<S>> : Item<S>;
type ById = { params: ZodType<{ id: string }> };

const valid = (c: AppContext, target: "query" | "param" | "json") =>
  (c.req as unknown as { valid: (t: string) => Record<string, unknown> }).valid(target);

/** The one place the generic handler is given the route's own handler type. */
function declare<S extends ReadSpec>(spec: S, handler: (c: AppContext) => Promise<Response>): Declared<S> {
  const config = route({ method: "get", ...spec }) as DeclaredRoute<WithMethod<S>>;
  return [config, handler as unknown as RouteHandler<DeclaredRoute<WithMethod<S>>, AppEnv>];
}

/** What the operations on one row share: see `onRow`. */
export interface RowParts {
  path: "/{id}";
  tags: string[];
  params: typeof idParam;
  errors?: { 404: string };
}

/**
 * The parts every operation on one row of a module shares (a get, a sub-resource, a verb): the
 * path `/{id}` with its parameter (a UUID), the module's tag and, when `entity` is named, the 404
 * saying which row was not found. Spread it into the spec first, `{ ...onRow("visits", "Visit"),
 * summary, permission, responses }`; a `path` (a sub-resource, `/{id}/photos`) or `errors`
 * written after it replace its own.
 */
export function onRow(tag: string, entity?: string): RowParts {
  return {
    path: "/{id}",
    tags: [tag],
    params: idParam,
    ...(entity ? { errors: { 404: `${entity} not found` } } : {}),
  };
}

/** A GET answering the service's page (`{ data, pagination }`) for the validated query. */
export function listRoute<const S extends ReadSpec & { query: ZodType }>(
  spec: S,
  run: (ctx: TenantContext, query: z.output<S["query"]>) => Promise<Answer<S>>,
): Declared<S> {
  return declare(spec, async (c) =>
    c.json(await run(tenantContext(c), valid(c, "query") as z.output<S["query"]>), 200),
  );
}

/**
 * A GET of one row (or of a row's sub-resource) named by the path's `{id}`: `{ data }` of what the
 * service answers; with `notModified` the service answers `{ data, version }` and the response
 * carries the version ETag (304 on If-None-Match). `c` is there for what the request holds besides
 * the tenant context (e.g. `uploadSite(c)`).
 */
export function itemRoute<const S extends ReadSpec & ById>(
  spec: S,
  run: (ctx: TenantContext, id: string, c: AppContext) => Promise<ItemResult<S>>,
): Declared<S> {
  return declare(spec, async (c) => {
    const result = await run(tenantContext(c), String(valid(c, "param").id), c);
    if (spec.notModified !== true) return c.json({ data: result }, 200);
    const { data, version } = result as Versioned<unknown>;
    return jsonVersioned(c, { data }, version);
  });
}

/** A write to the row named by `{id}` with a JSON body, answering `{ data }` of what the service answers. */
export function itemWrite<const S extends Spec & ById & { method: "post" | "put" | "patch"; body: ZodType }>(
  spec: S,
  run: (ctx: TenantContext, id: string, body: z.output<S["body"]>) => Promise<Item<S>>,
): Declared<S> {
  return declare(spec, async (c) => {
    const body = valid(c, "json") as z.output<S["body"]>;
    return c.json({ data: await run(tenantContext(c), String(valid(c, "param").id), body) }, 200);
  });
}

/**
 * For `resourceRoutes`: create, get and update of a resource whose row is answered with its children
 * (a survey's questions, a call cycle's locations), each verb by its own function.
 */
export function detailVerbs(
  response: ZodType,
  body: ZodObject,
  run: { [V in "create" | "get" | "update"]: NonNullable<Overrides[V]>["run"] },
): Pick<Overrides, "create" | "get" | "update"> {
  return {
    create: { body, response, run: run.create },
    get: { response, run: run.get },
    update: { response, run: run.update },
  };
}
