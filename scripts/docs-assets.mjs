#!/usr/bin/env node
// Copies Scalar's standalone API-reference bundle from node_modules into public/docs/scalar.js, where
// Workers Static Assets serves it (/docs). The bundle (~3.6 MB) is not committed: it comes from the
// pinned @scalar/api-reference package. Run by wrangler's custom build (dev, deploy), by the vitest
// config and by `npm run export`; cheap when the copy is already current.
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const DOCS_BUNDLE = join(root, "public", "docs", "scalar.js");

/** Copies the bundle when missing or different in size/age; returns its path. */
export function ensureDocsAssets() {
  const require = createRequire(join(root, "package.json"));
  const source = require.resolve("@scalar/api-reference/browser/standalone.js");
  const from = statSync(source);
  let current = false;
  try {
    const to = statSync(DOCS_BUNDLE);
    current = to.size === from.size && to.mtimeMs >= from.mtimeMs;
  } catch {}
  if (!current) {
    mkdirSync(dirname(DOCS_BUNDLE), { recursive: true });
    copyFileSync(source, DOCS_BUNDLE);
  }
  return DOCS_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureDocsAssets();
