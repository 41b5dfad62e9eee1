#!/usr/bin/env node
// `node scripts/check-openapi.mjs [out.json]`: starts the Worker in workerd (no database needed),
// fetches /api/openapi.json and validates it as OpenAPI 3.1 with @seriousme/openapi-schema-validator
// (Ajv compiles schemas with `new Function`, which workerd forbids, so this runs in Node).
import { writeFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { unstable_startWorker } from "wrangler";

const worker = await unstable_startWorker({
  config: "./wrangler.toml",
  bindings: {
    APP_ENV: { type: "plain_text", value: "development" },
    DATABASE_URL: { type: "plain_text", value: "postgresql://postgres:postgres@127.0.0.1:1/postgres" },
    DB_TIMING: { type: "plain_text", value: "false" },
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
  const doc = await res.json();
  if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(doc, null, 1));
  const validator = new Validator();
  const result = await validator.validate(doc);
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(
    `OpenAPI ${doc.openapi} (validator ${validator.version}): ${result.valid ? "valid" : "INVALID"}, ` +
      `${operations} operations, ${Object.keys(doc.components?.schemas ?? {}).length} component schemas`,
  );
  if (!result.valid) {
    console.error(JSON.stringify(result.errors, null, 2));
    process.exitCode = 1;
  }
} finally {
  await worker.dispose();
}
