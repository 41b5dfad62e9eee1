import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { ensureDocsAssets } from "./scripts/docs-assets.mjs";

// /docs serves Scalar's bundle from Workers Static Assets (public/docs/); copy it there from node_modules.
ensureDocsAssets();

/** Test-only signing key (the Worker and the token helpers share it). */
export const TEST_JWT_SECRET = "test-secret-0123456789abcdef0123456789abcdef";

export default defineConfig({
  test: {
    projects: [
      {
        // The API inside workerd, against a real Postgres through the Neon driver.
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                APP_ENV: "test",
                DATABASE_URL: inject("databaseUrl"),
                NEON_LOCAL_SQL_ENDPOINT: inject("sqlEndpoint"),
                NEON_LOCAL_WS_PROXY: inject("wsProxy"),
                DB_TIMING: "true",
                JWT_SECRET: TEST_JWT_SECRET,
                CORS_ORIGINS: "https://app.example.test",
                LOG_LEVEL: "warn",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          globalSetup: ["./test/global-setup.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Things only Node can drive: a real browser on /docs against `wrangler dev`-style workerd.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
