/**
 * Type-level test (checked by `npm run typecheck`, never run): a handler may only return the
 * shapes and statuses its route documents. Each `@ts-expect-error` below fails the typecheck as
 * soon as the library (or `route()`) stops rejecting the wrong return.
 */
import { z } from "zod";
import { dataEnvelope } from "../../src/core/openapi";
import { apiRouter, jsonResponse, route } from "../../src/core/route";

const thing = dataEnvelope(z.object({ id: z.string(), count: z.number() }));
const getThing = route({
  method: "get",
  path: "/{id}",
  summary: "A thing",
  tags: ["types"],
  params: z.object({ id: z.string() }),
  responses: { 200: jsonResponse(thing, "The thing") },
});

export const documented = apiRouter().openapi(getThing, (c) =>
  c.json({ data: { id: c.req.valid("param").id, count: 1 } }, 200),
);

export const wrongShape = apiRouter().openapi(
  getThing,
  // @ts-expect-error `count` must be a number: the documented 200 body says so
  (c) => c.json({ data: { id: "x", count: "one" } }, 200),
);

export const missingField = apiRouter().openapi(
  getThing,
  // @ts-expect-error `count` is missing from the body
  (c) => c.json({ data: { id: "x" } }, 200),
);

export const undocumentedStatus = apiRouter().openapi(
  getThing,
  // @ts-expect-error 201 is not a documented response of this route
  (c) => c.json({ data: { id: "x", count: 1 } }, 201),
);

export const wrongParam = apiRouter().openapi(getThing, (c) => {
  // @ts-expect-error the route has no `name` path parameter
  const name: string = c.req.valid("param").name;
  return c.json({ data: { id: name, count: 1 } }, 200);
});

const postThing = route({
  method: "post",
  path: "/",
  summary: "Create a thing",
  tags: ["types"],
  body: z.strictObject({ count: z.number() }),
  responses: { 201: jsonResponse(thing, "Created") },
});

export const bodyTyped = apiRouter().openapi(postThing, (c) => {
  const body = c.req.valid("json");
  // @ts-expect-error the body's `count` is a number, not a string
  const text: string = body.count;
  return c.json({ data: { id: text, count: body.count } }, 201);
});
