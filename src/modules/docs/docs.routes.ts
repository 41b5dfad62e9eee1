import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../core/context";
import { DOCS_CSS, DOCS_HTML, DOCS_JS } from "./docs.assets";

/** Same-origin only: the page loads its script, stylesheet and openapi.json from this Worker. */
const docsHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    connectSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
});

const CACHE = "public, max-age=300";

export const docsRoutes = new Hono<AppEnv>()
  .use("*", docsHeaders)
  .get("/", (c) => c.html(DOCS_HTML))
  .get("/app.js", (c) =>
    c.body(DOCS_JS, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": CACHE }),
  )
  .get("/app.css", (c) =>
    c.body(DOCS_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": CACHE }),
  );
