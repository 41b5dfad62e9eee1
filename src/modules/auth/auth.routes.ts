import { Hono } from "hono";
import type { AppContext, AppEnv } from "../../core/context";
import { authenticate } from "../../core/middleware/auth";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import { loginBody, loginResponse, meResponse } from "./auth.schemas";
import { login, me, type PublicContext } from "./auth.service";

function publicContext(c: AppContext): PublicContext {
  return {
    db: c.get("db"),
    config: c.get("config"),
    requestId: c.get("requestId"),
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
  };
}

export const authRoutes = new Hono<AppEnv>()
  .post(
    "/login",
    describe({
      summary: "Log in",
      description:
        "Email (or `username`) and password; optional `tenant_id` picks the active tenant, otherwise the first. Answers the same 401 for an unknown email and a wrong password.",
      tags: ["auth"],
      responses: {
        200: { description: "Tokens, user, active tenant and all the user's sites", schema: loginResponse },
      },
      errors: ["AUTHENTICATION_ERROR"],
    }),
    validate("json", loginBody),
    async (c) => {
      c.header("Cache-Control", "no-store");
      return c.json({ data: await login(publicContext(c), c.req.valid("json")) });
    },
  )
  .get(
    "/me",
    describe({
      summary: "The current user",
      tags: ["auth"],
      auth: true,
      responses: {
        200: { description: "User, active tenant, roles, permissions, scope, sites", schema: meResponse },
      },
    }),
    authenticate,
    async (c) => c.json({ data: await me(c.get("db"), c.get("auth")) }),
  );
