import { z } from "zod";
import { MAX_ACCESS_TOKEN_TTL_SECONDS } from "./auth/tokens";
import { ApiError } from "./errors";

declare global {
  namespace Cloudflare {
    /** Secrets and local-only settings: not in wrangler.jsonc `vars`, so declared here. */
    interface Env {
      DATABASE_URL?: string;
      JWT_SECRET?: string;
      JWT_SECRET_PREVIOUS?: string;
      JWT_KID?: string;
      /** The key id tokens signed with JWT_SECRET_PREVIOUS carry, while a rotation is in progress. */
      JWT_KID_PREVIOUS?: string;
      /** Local Neon-compatible SQL-over-HTTP endpoint (scripts/local-db); unset in production. */
      NEON_LOCAL_SQL_ENDPOINT?: string;
      /** Local WebSocket relay "host:port/path" (scripts/local-db); unset in production. */
      NEON_LOCAL_WS_PROXY?: string;
      /** Origin of the web app that serves /reset-password (password-reset links point there). */
      APP_BASE_URL?: string;
      /** "off" disables the auth rate limits (benchmarks in development); refused in production. */
      AUTH_RATE_LIMITS?: string;
      /** "true" mounts GET /api/bench/floor (benchmarks in development); refused in production. */
      BENCH_FLOOR?: string;
      /** Access-token lifetime in seconds (60–86400, default 900). */
      ACCESS_TOKEN_TTL_SECONDS?: string;
      /** Refresh-token lifetime in days (1–365, default 30). */
      REFRESH_TOKEN_TTL_DAYS?: string;
    }
  }
}

const flag = z
  .enum(["true", "false", "1", "0", "on", "off", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1" || v === "on");

/** A development-only signing key: refused outside development and test. */
const DEV_JWT_SECRET = "dev-only-secret-change-me-dev-only-secret";

/** Where the web app runs in development; production sets APP_BASE_URL. */
const DEV_APP_BASE_URL = "http://localhost:3000";

const configSchema = z
  .object({
    APP_ENV: z.enum(["development", "test", "production"]).default("production"),
    DATABASE_URL: z
      .string({ error: "DATABASE_URL is required (the Postgres connection string)" })
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL"),
    JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
    JWT_SECRET_PREVIOUS: z.string().min(32).optional(),
    JWT_KID: z.string().min(1).max(64).default("k1"),
    JWT_KID_PREVIOUS: z.string().min(1).max(64).optional(),
    NEON_LOCAL_SQL_ENDPOINT: z.url().optional(),
    NEON_LOCAL_WS_PROXY: z.string().min(1).optional(),
    DB_TIMING: flag,
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(1024 * 1024),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** Links in outgoing mail (password reset) point here; no trailing slash. */
    APP_BASE_URL: z
      .url({ protocol: /^https?$/, error: "APP_BASE_URL must be an http(s) URL" })
      .default(DEV_APP_BASE_URL)
      .transform((v) => v.replace(/\/+$/, "")),
    AUTH_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
    BENCH_FLOOR: flag,
    /** Access-token lifetime: 60 s to 24 h (default 15 minutes). */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(MAX_ACCESS_TOKEN_TTL_SECONDS)
      .default(15 * 60),
    /** Refresh-token (session) lifetime: 1 to 365 days (default 30). */
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  })
  .transform((c, ctx) => {
    const isDev = c.APP_ENV !== "production";
    if (!c.JWT_SECRET && !isDev) {
      ctx.addIssue({
        code: "custom",
        path: ["JWT_SECRET"],
        message: "JWT_SECRET is required outside development (wrangler secret put JWT_SECRET)",
      });
      return z.NEVER;
    }
    if (c.AUTH_RATE_LIMITS === "off" && !isDev) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_RATE_LIMITS"],
        message: "AUTH_RATE_LIMITS=off is allowed only outside production",
      });
      return z.NEVER;
    }
    if (c.BENCH_FLOOR && !isDev) {
      ctx.addIssue({
        code: "custom",
        path: ["BENCH_FLOOR"],
        message: "BENCH_FLOOR is allowed only outside production",
      });
      return z.NEVER;
    }
    return { ...c, isDev, JWT_SECRET: c.JWT_SECRET ?? DEV_JWT_SECRET };
  });

export type AppConfig = z.output<typeof configSchema>;

const cache = new WeakMap<object, AppConfig>();

/**
 * Validates the Worker's environment once per isolate (per env object) and caches it. A missing
 * or malformed setting fails the request with a message naming every bad variable, logged in
 * full; the response says what is wrong only in development.
 */
export function loadConfig(env: Env): AppConfig {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    console.error(JSON.stringify({ level: "error", msg: "invalid configuration", problems }));
    const dev = env.APP_ENV === "development" || env.APP_ENV === "test";
    throw new ApiError(
      "INTERNAL_ERROR",
      dev ? `Invalid configuration: ${problems.join("; ")}` : "The server is misconfigured",
    );
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
