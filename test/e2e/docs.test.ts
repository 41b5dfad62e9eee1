import { Validator } from "@seriousme/openapi-schema-validator";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { type RunningApi, startApi } from "./worker";

/**
 * The API reference end to end: the Worker runs in workerd (as under `wrangler dev`) with a real
 * database, its openapi.json must be a valid OpenAPI 3.1 document, and /docs — Scalar's reference,
 * served from Workers Static Assets — opened in a real headless Chromium must list every operation
 * of that document, load nothing from elsewhere, break no CSP rule, and "try it" must reach the API.
 */

interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  [key: string]: unknown;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const SCREENSHOT = "/tmp/docs.png";
/** The document's slug in Scalar's element ids (public/docs/config.js). */
const SLUG = "sales-sync-edge";

let api: RunningApi | undefined;
let browser: Browser | undefined;
let origin = "";
let accessToken = "";
const brandName = `E2E brand ${Date.now()}`;

beforeAll(async () => {
  api = await startApi();
  origin = api.origin;
  browser = await launchChromium();

  // A tenant and one brand, through the API, so the authenticated list has something to show.
  const registered = await fetch(`${origin}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `docs-${Date.now()}@e2e.example.test`,
      password: "Docs-E2E-password-1",
      first_name: "Docs",
      last_name: "Reader",
      tenant_name: "Docs E2E",
    }),
  });
  expect(registered.status).toBe(201);
  accessToken = ((await registered.json()) as { data: { access_token: string } }).data.access_token;
  const brand = await fetch(`${origin}/api/brands`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ name: brandName }),
  });
  expect(brand.status).toBe(201);
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await api?.stop();
  }
});

async function fetchOpenApi(): Promise<OpenApiDocument> {
  const res = await fetch(`${origin}/api/openapi.json`, { headers: { accept: "application/json" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as OpenApiDocument;
}

/** "GET /api/health" for every operation of the document. */
function listOperations(doc: OpenApiDocument): string[] {
  const operations: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      if (HTTP_METHODS.has(method)) operations.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return operations.sort();
}

/** Scalar's id of an operation: `<slug>/tag/<tag>/<METHOD><path>`. */
function operationId(doc: OpenApiDocument, method: string, path: string): string {
  const tag = doc.paths[path]?.[method.toLowerCase()]?.tags?.[0] ?? "default";
  return `${SLUG}/tag/${tag}/${method}${path}`;
}

/** Records what the page asks for and what goes wrong, to assert on at the end. */
function watch(page: Page) {
  const seen = { requests: [] as string[], failed: [] as string[], errors: [] as string[] };
  page.on("request", (req) => seen.requests.push(req.url()));
  page.on("response", (res) => {
    if (res.status() >= 400) seen.failed.push(`${res.status()} ${res.url()}`);
  });
  page.on("pageerror", (err) => seen.errors.push(err.message));
  // A CSP violation (e.g. a font or a script from a CDN) is reported as a console error.
  page.on("console", (msg) => {
    if (msg.type() === "error") seen.errors.push(msg.text());
  });
  return seen;
}

async function openDocs(page: Page): Promise<void> {
  const res = await page.goto(`${origin}/docs`, { waitUntil: "load" });
  expect(res?.status()).toBe(200);
  // Scalar renders once it has fetched and parsed /api/openapi.json.
  await page.waitForSelector(`[data-sidebar-id="${SLUG}/tag/health/GET/api/health"]`, { timeout: 30_000 });
}

/** Opens an operation's "Test Request" client, sends it, and returns the API's answer. */
async function tryIt(page: Page, id: string, path: string, beforeSend?: () => Promise<void>) {
  const section = page.locator(`[id=${JSON.stringify(id)}]`);
  // Scalar renders the sections of 300+ operations lazily; on a loaded machine that took > 30 s.
  await section.scrollIntoViewIfNeeded({ timeout: 90_000 });
  await section.getByRole("button", { name: /Test Request/ }).click();
  const send = page.getByRole("button", { name: /^Send/ }).first();
  await send.waitFor({ state: "visible" });
  await beforeSend?.();
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() !== "OPTIONS"),
    send.click(),
  ]);
  return response;
}

describe("API reference", () => {
  it("serves a valid OpenAPI 3.1 document", async () => {
    const doc = await fetchOpenApi();
    const validator = new Validator();
    const result = await validator.validate(doc);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    expect(validator.version).toBe("3.1");
  });

  it("lists every operation on /docs, from the Worker alone, and its try-it reaches the API", {
    timeout: 180_000,
  }, async () => {
    const doc = await fetchOpenApi();
    const operations = listOperations(doc);
    expect(operations.length).toBeGreaterThan(0);

    if (!browser) throw new Error("the browser did not start");
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const seen = watch(page);
    try {
      await openDocs(page);

      // Every operation of openapi.json is in the reference's navigation, and nothing else is.
      const listed = await page
        .locator("[data-sidebar-id]")
        .evaluateAll((els) => els.map((el) => el.getAttribute("data-sidebar-id") ?? ""));
      const listedOperations = [...new Set(listed)]
        .map((id) => /\/tag\/[^/]+\/(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE)(\/.*)$/.exec(id))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => `${m[1]} ${m[2]}`)
        .sort();
      // (One query over the whole navigation: a locator per operation took longer than the test's
      // budget once the API passed 300 operations.)
      expect(listedOperations).toEqual(operations);

      // Try it, unauthenticated: GET /api/health answers 200 and the client shows it.
      const health = await tryIt(page, operationId(doc, "GET", "/api/health"), "/api/health");
      expect(health.status()).toBe(200);
      await expect.poll(() => page.getByText("200 OK").first().isVisible()).toBe(true);
      await page.keyboard.press("Escape");

      // Try it with a pasted token: the authenticated brands list answers 200 with the brand.
      const list = await tryIt(page, operationId(doc, "GET", "/api/brands"), "/api/brands", async () => {
        await page.getByPlaceholder("Token").first().fill(accessToken);
      });
      expect(list.request().headers().authorization).toBe(`Bearer ${accessToken}`);
      expect(list.status()).toBe(200);
      const body = (await list.json()) as { data: { name: string }[] };
      expect(body.data.map((b) => b.name)).toContain(brandName);
      await expect.poll(() => page.getByText(brandName).first().isVisible()).toBe(true);

      // Everything came from the Worker: no CDN, no fonts, telemetry or proxy of Scalar's. (A request
      // the page's CSP blocks never reaches the network or this list; it shows up as a console error.)
      expect(seen.requests.length).toBeGreaterThan(0);
      const foreign = seen.requests.filter(
        (url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:"),
      );
      expect(foreign, `requests outside ${origin}`).toEqual([]);
      expect(seen.requests).toContain(`${origin}/api/openapi.json`);
      expect(seen.requests).toContain(`${origin}/docs/scalar.js`);
      expect(seen.failed, "failed responses").toEqual([]);
      expect(seen.errors, "page errors / console errors (e.g. CSP violations)").toEqual([]);

      await page.screenshot({ path: SCREENSHOT });
    } finally {
      await context.close();
    }
  });
});
