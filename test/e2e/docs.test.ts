import { Validator } from "@seriousme/openapi-schema-validator";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { launchChromium } from "./browser";

/**
 * The API reference end to end: the Worker runs in workerd (as under `wrangler dev`), its
 * openapi.json must be a valid OpenAPI 3.1 document, and /docs, opened in a real headless
 * Chromium, must list every operation of that document without loading anything from elsewhere.
 */

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

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

interface ListedOperation {
  method: string;
  path: string;
  operationId: string;
  /** What the page's filter box searches: method, path, summary and first tag. */
  search: string;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const SCREENSHOT = "/tmp/docs.png";

let worker: Worker | undefined;
let browser: Browser | undefined;
let origin = "";

beforeAll(async () => {
  worker = await unstable_startWorker({
    config: "./wrangler.toml",
    bindings: {
      APP_ENV: { type: "plain_text", value: "development" },
      // The docs never touch the database: port 1 makes any accidental query fail fast.
      DATABASE_URL: { type: "plain_text", value: "postgresql://postgres:postgres@127.0.0.1:1/postgres" },
      DB_TIMING: { type: "plain_text", value: "false" },
    },
    sendMetrics: false,
    dev: {
      // Port 0: the OS picks a free one; worker.url reports it.
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      liveReload: false,
      logLevel: "error",
    },
  });
  await worker.ready;
  origin = (await worker.url).origin;

  browser = await launchChromium();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await worker?.dispose();
  }
});

async function fetchOpenApi(): Promise<OpenApiDocument> {
  const res = await fetch(`${origin}/api/openapi.json`, { headers: { accept: "application/json" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as OpenApiDocument;
}

function listOperations(doc: OpenApiDocument): ListedOperation[] {
  const operations: ListedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const tag = op.tags?.[0] ?? "other";
      operations.push({
        method,
        path,
        operationId: op.operationId,
        search: `${method} ${path} ${op.summary ?? ""} ${tag}`.toLowerCase(),
      });
    }
  }
  return operations;
}

function operationSelector(operationId: string): string {
  return `details.operation[data-operation-id=${JSON.stringify(operationId)}]`;
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

  it("lists every operation on /docs, from the Worker alone, with a working filter", async () => {
    const doc = await fetchOpenApi();
    const operations = listOperations(doc);
    expect(operations.length).toBeGreaterThan(0);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);

    if (!browser) throw new Error("the browser did not start");
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page: Page = await context.newPage();
    const requests: string[] = [];
    const failedResponses: string[] = [];
    const pageErrors: string[] = [];
    page.on("request", (req) => requests.push(req.url()));
    page.on("response", (res) => {
      if (res.status() >= 400) failedResponses.push(`${res.status()} ${res.url()}`);
    });
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (msg) => {
      // A failed load is also reported as a response above (where the favicon's 404 is let off).
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
        pageErrors.push(msg.text());
      }
    });

    try {
      const res = await page.goto(`${origin}/docs`, { waitUntil: "load" });
      expect(res?.status()).toBe(200);
      try {
        await page.waitForSelector('body[data-ready="true"]', { state: "attached", timeout: 15_000 });
      } catch (err) {
        // On failure the page writes why into #count ("Could not load the API description: …").
        const count = await page.textContent("#count").catch(() => null);
        throw new Error(`/docs never became ready; #count says ${JSON.stringify(count)}`, { cause: err });
      }

      // Every operation of openapi.json is rendered once, and nothing else is.
      for (const op of operations) {
        expect(await page.locator(operationSelector(op.operationId)).count(), op.operationId).toBe(1);
      }
      expect(await page.locator("details.operation").count()).toBe(operations.length);
      expect((await page.textContent("#count"))?.trim()).toBe(`${operations.length} operations`);
      for (const op of operations) {
        await expect
          .poll(() => page.locator(operationSelector(op.operationId)).isVisible(), {
            timeout: 2_000,
            message: `${op.operationId} visible`,
          })
          .toBe(true);
      }

      // The filter keeps only what mentions "ready": readiness stays, liveness goes.
      const liveness = doc.paths["/api/health"]?.get?.operationId;
      const readiness = doc.paths["/api/health/ready"]?.get?.operationId;
      expect(liveness).toBeTypeOf("string");
      expect(readiness).toBeTypeOf("string");
      await page.fill("#filter", "ready");
      await expect
        .poll(() => page.locator(operationSelector(liveness ?? "")).isHidden(), {
          message: `${liveness} hidden with filter "ready"`,
        })
        .toBe(true);
      expect(await page.locator(operationSelector(readiness ?? "")).isVisible(), `${readiness} visible`).toBe(
        true,
      );
      for (const op of operations) {
        const visible = await page.locator(operationSelector(op.operationId)).isVisible();
        expect(visible, `${op.method} ${op.path} visible with filter "ready"`).toBe(
          op.search.includes("ready"),
        );
      }

      // Clearing the filter brings everything back.
      await page.fill("#filter", "");
      await expect
        .poll(() => page.locator("details.operation:visible").count(), { message: "visible after clearing" })
        .toBe(operations.length);

      // Everything came from the Worker: no CDN, no third party. (A request the page's CSP blocks
      // never reaches the network or this list; it shows up below as a console error instead.)
      expect(requests.length).toBeGreaterThan(0);
      const foreign = requests.filter((url) => !url.startsWith(`${origin}/`));
      expect(foreign, `requests outside ${origin}`).toEqual([]);
      expect(requests).toContain(`${origin}/api/openapi.json`);
      // The page links no favicon, so Chromium's own /favicon.ico probe gets the API's 404.
      const failed = failedResponses.filter((r) => !r.endsWith(`${origin}/favicon.ico`));
      expect(failed, "failed responses").toEqual([]);
      expect(pageErrors, "page errors / console errors (e.g. CSP violations)").toEqual([]);

      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
