import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes SQL migrations into drizzle/ from src/db/schema (never edit them after commit). */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
  strict: true,
  verbose: true,
});
