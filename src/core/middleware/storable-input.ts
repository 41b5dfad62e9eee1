import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError, type ErrorDetail } from "../errors";

/** A NUL byte, or a UTF-16 surrogate without its partner: text Postgres cannot store. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const unstorable = (text: string) => text.includes("\0") || LONE_SURROGATE.test(text);

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

const MESSAGE = "Contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored";

/** At most this many problems are listed; one is enough to refuse the request. */
const MAX_DETAILS = 20;

function collect(value: unknown, path: string, details: ErrorDetail[]): void {
  if (details.length >= MAX_DETAILS) return;
  if (typeof value === "string") {
    if (unstorable(value)) details.push({ field: path || "(root)", message: MESSAGE });
    return;
  }
  if (value === null || typeof value !== "object") return;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  for (const [key, child] of entries) {
    const childPath = path ? `${path}.${key}` : key;
    if (unstorable(key)) details.push({ field: path || "(root)", message: `A field name: ${MESSAGE}` });
    else collect(child, childPath, details);
  }
}

/** The path segments and query parameters of `url` that decode to unstorable text. */
function checkUrl(url: URL, details: ErrorDetail[]): void {
  for (const segment of url.pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      continue;
    }
    if (unstorable(decoded)) details.push({ field: "(path)", message: MESSAGE });
  }
  for (const [name, value] of url.searchParams) {
    if (unstorable(name)) details.push({ field: "(query)", message: `A parameter name: ${MESSAGE}` });
    else if (unstorable(value)) details.push({ field: name, message: MESSAGE });
  }
}

/**
 * Refuses, once and for every route, text the database cannot store — a NUL byte or an unpaired
 * surrogate anywhere in the path, a query parameter or a JSON body — with a 400 naming the field,
 * before any handler runs (so nothing is written). Without it the driver's "invalid byte
 * sequence" error surfaced as a 500. Malformed JSON is left for the validators to refuse.
 */
export const refuseUnstorableInput = createMiddleware<AppEnv>(async (c, next) => {
  const details: ErrorDetail[] = [];
  // A request URL is serialized percent-encoded (a NUL is "%00", a lone surrogate cannot be in
  // it at all), so only a URL with a "%" can decode to unstorable text: the rest skip the parse.
  if (c.req.url.includes("%")) checkUrl(new URL(c.req.url), details);
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (JSON_MEDIA.test(type) && c.req.raw.body) {
    // Read as text (Hono caches it for the Idempotency-Key hash and the validator, which parses
    // it again and refuses malformed JSON with its own 400).
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      body = undefined;
    }
    collect(body, "", details);
  }
  if (details.length > 0)
    throw ApiError.validation("Invalid text in the request", details.slice(0, MAX_DETAILS));
  await next();
});
