import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { authenticate } from "../../core/middleware/auth";
import { idempotency } from "../../core/middleware/idempotency";

export const brandRoutes = new Hono<AppEnv>().use("*", authenticate, idempotency);
