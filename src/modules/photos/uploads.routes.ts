import { Hono } from "hono";
import type { AppEnv } from "../../core/context";

export const uploadRoutes = new Hono<AppEnv>();
