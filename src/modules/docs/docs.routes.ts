import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../core/context";

/**
 * The API reference (Scalar) on /docs. Its files live in Workers Static Assets (`public/docs/`, the
 * ~3.6 MB bundle copied there by scripts/docs-assets.mjs), not in the Worker script; the Worker runs
 * first (`assets.run_worker_first`) only to fetch them from the ASSETS binding and add the headers.
 *
 * CSP: scripts and connections to this origin only (the page loads /api/openapi.json and "try it"
 * calls this API); Scalar injects its stylesheet at run time, hence 'unsafe-inline' for styles only.
 */
const docsHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    connectSrc: ["'self'"],
    imgSrc: ["'self'", "data:", "blob:"],
    fontSrc: ["'self'", "data:"],
    workerSrc: ["'self'", "blob:"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
});

const CACHE = "public, max-age=300";

/** /docs and /docs/ → the page; /docs/<file> → that file; anything else → the assets' 404. */
export const docsRoutes = new Hono<AppEnv>().use("*", docsHeaders).get("*", async (c) => {
  const url = new URL(c.req.url);
  if (url.pathname === "/docs") url.pathname = "/docs/";
  const asset = await c.env.ASSETS.fetch(new Request(url, { headers: c.req.raw.headers }));
  if (asset.status === 404) return c.notFound();
  const res = new Response(asset.body, asset);
  if (asset.ok) res.headers.set("Cache-Control", CACHE);
  return res;
});
