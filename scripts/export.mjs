#!/usr/bin/env node
// `npm run export`: the API's OpenAPI document and what is generated from it, for client authors.
//   dist/openapi.json                       the document the Worker serves at /api/openapi.json
//   dist/openapi.d.ts (+ clients/openapi.d.ts, committed)   TypeScript types (openapi-typescript) for openapi-fetch
//   dist/sales-sync-edge.postman_collection.json            a Postman collection (openapi-to-postmanv2) whose
//       "Start here" folder logs in and stores the access token for every other request
// The document comes from the built Worker itself (wrangler's unstable_startWorker, workerd, no
// database needed: /api/openapi.json never queries it). `--check` writes nothing and fails when
// clients/openapi.d.ts is not what the current document generates.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPostmanCollection } from "./export/postman.mjs";
import { generateTypes } from "./export/types.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const committedTypes = join(root, "clients", "openapi.d.ts");

/** Starts the Worker on a free port, reads /api/openapi.json, stops it. */
export async function fetchOpenApiDocument() {
  const { unstable_startWorker } = await import("wrangler");
  const plain = (value) => ({ type: "plain_text", value });
  const worker = await unstable_startWorker({
    config: join(root, "wrangler.jsonc"),
    bindings: {
      APP_ENV: plain("development"),
      // Never queried for the document; port 1 makes an accidental query fail fast.
      DATABASE_URL: plain("postgresql://postgres:postgres@127.0.0.1:1/postgres"),
      LOG_LEVEL: plain("error"),
    },
    sendMetrics: false,
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      liveReload: false,
      logLevel: "error",
    },
  });
  try {
    await worker.ready;
    const res = await fetch(new URL("/api/openapi.json", await worker.url));
    if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return await res.json();
  } finally {
    await worker.dispose();
  }
}

async function main() {
  const check = process.argv.includes("--check");
  const doc = await fetchOpenApiDocument();
  const types = await generateTypes(doc);
  if (check) {
    const committed = readFileSync(committedTypes, "utf8");
    if (committed !== types) {
      console.error("clients/openapi.d.ts is stale: run `npm run export` and commit it.");
      process.exit(1);
    }
    console.log("clients/openapi.d.ts is current");
    return;
  }
  mkdirSync(dist, { recursive: true });
  const collection = await buildPostmanCollection(doc);
  writeFileSync(join(dist, "openapi.json"), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(join(dist, "openapi.d.ts"), types);
  writeFileSync(committedTypes, types);
  writeFileSync(
    join(dist, "sales-sync-edge.postman_collection.json"),
    `${JSON.stringify(collection, null, 2)}\n`,
  );
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(
    `wrote dist/openapi.json (${operations} operations), dist/openapi.d.ts (= clients/openapi.d.ts) and dist/sales-sync-edge.postman_collection.json`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
