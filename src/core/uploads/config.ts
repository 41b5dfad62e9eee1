import { z } from "zod";
import type { AppConfig } from "../env";
import { ApiError } from "../errors";

declare global {
  namespace Cloudflare {
    /** Upload settings (all optional): secrets go in with `wrangler secret put`, the rest in [vars]. */
    interface Env {
      /** Largest file accepted, in bytes (default 15 MB = 15728640). */
      MAX_UPLOAD_BYTES?: string;
      /** How long upload and download URLs stay valid, in seconds (default 900). */
      UPLOAD_URL_TTL_SECONDS?: string;
      /** R2 S3 API credentials: with all four set, phones upload straight to R2 with presigned URLs. */
      R2_ACCOUNT_ID?: string;
      R2_ACCESS_KEY_ID?: string;
      R2_SECRET_ACCESS_KEY?: string;
      /** The bucket bound as FILES (the presigned URLs must land where the Worker reads). */
      R2_BUCKET_NAME?: string;
      /** Key for the Worker's own signed upload URLs; by default one is derived from JWT_SECRET. */
      UPLOAD_SIGNING_SECRET?: string;
    }
  }
}

export const DEFAULT_MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
export const DEFAULT_UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** An unset variable and an empty [vars] entry mean the same: not configured. */
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).optional());

const uploadConfigSchema = z
  .object({
    MAX_UPLOAD_BYTES: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce
        .number()
        .int()
        .min(1024)
        // One R2 put takes at most 5 GiB.
        .max(5 * 1024 ** 3)
        .default(DEFAULT_MAX_UPLOAD_BYTES),
    ),
    UPLOAD_URL_TTL_SECONDS: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce
        .number()
        .int()
        .min(30)
        // The longest a SigV4 presigned URL may live.
        .max(7 * 24 * 3600)
        .default(DEFAULT_UPLOAD_URL_TTL_SECONDS),
    ),
    R2_ACCOUNT_ID: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9a-f]{32}$/i, "R2_ACCOUNT_ID must be the 32-character account id")
        .optional(),
    ),
    R2_ACCESS_KEY_ID: optionalText,
    R2_SECRET_ACCESS_KEY: optionalText,
    R2_BUCKET_NAME: optionalText.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "R2_BUCKET_NAME must be an R2 bucket name")
        .optional(),
    ),
    UPLOAD_SIGNING_SECRET: optionalText.pipe(
      z.string().min(32, "UPLOAD_SIGNING_SECRET must be at least 32 characters").optional(),
    ),
  })
  .transform((c, ctx) => {
    const r2 = [c.R2_ACCOUNT_ID, c.R2_ACCESS_KEY_ID, c.R2_SECRET_ACCESS_KEY, c.R2_BUCKET_NAME];
    const set = r2.filter((v) => v !== undefined).length;
    if (set !== 0 && set !== r2.length) {
      ctx.addIssue({
        code: "custom",
        path: ["R2_ACCESS_KEY_ID"],
        message:
          "Set all of R2_ACCOUNT_ID, R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY and R2_BUCKET_NAME, or none of them",
      });
      return z.NEVER;
    }
    return {
      maxBytes: c.MAX_UPLOAD_BYTES,
      ttlSeconds: c.UPLOAD_URL_TTL_SECONDS,
      r2:
        c.R2_ACCOUNT_ID && c.R2_ACCESS_KEY_ID && c.R2_SECRET_ACCESS_KEY && c.R2_BUCKET_NAME
          ? {
              accountId: c.R2_ACCOUNT_ID,
              accessKeyId: c.R2_ACCESS_KEY_ID,
              secretAccessKey: c.R2_SECRET_ACCESS_KEY,
              bucket: c.R2_BUCKET_NAME,
            }
          : undefined,
      signingSecret: c.UPLOAD_SIGNING_SECRET,
    };
  });

/** R2 S3 API credentials, present only when all four variables are set. */
export interface R2Credentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

export interface UploadConfig {
  /** Largest accepted file in bytes, checked on the declared size and on the bytes received. */
  maxBytes: number;
  /** Lifetime of upload and download URLs. */
  ttlSeconds: number;
  /** Set: presigned R2 URLs (mode a). Unset: the Worker's own signed URLs (mode b). */
  r2: R2Credentials | undefined;
  /** Secret behind the Worker's URL signatures (UPLOAD_SIGNING_SECRET, else JWT_SECRET). */
  signingSecret: string;
}

const cache = new WeakMap<object, UploadConfig>();

/**
 * The upload settings, validated once per env object (like `loadConfig`). JWT_SECRET (already
 * validated by the app config, with its development default) backs the URL signatures unless
 * UPLOAD_SIGNING_SECRET is set; the key is derived from it under its own label, so an upload
 * signature can never be mistaken for a token signature.
 */
export function loadUploadConfig(env: Env, app: Pick<AppConfig, "JWT_SECRET" | "isDev">): UploadConfig {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = uploadConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    console.error(JSON.stringify({ level: "error", msg: "invalid upload configuration", problems }));
    throw new ApiError(
      "INTERNAL_ERROR",
      app.isDev ? `Invalid configuration: ${problems.join("; ")}` : "The server is misconfigured",
    );
  }
  const config: UploadConfig = {
    ...parsed.data,
    signingSecret: parsed.data.signingSecret ?? app.JWT_SECRET,
  };
  cache.set(env, config);
  return config;
}
