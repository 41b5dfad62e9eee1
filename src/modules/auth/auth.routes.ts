import { Hono } from "hono";
import type { AppContext, AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { authenticate } from "../../core/middleware/auth";
import { describe } from "../../core/openapi";
import { validate } from "../../core/validation";
import {
  loginBody,
  loginResponse,
  meResponse,
  refreshBody,
  refreshHeaders,
  registerBody,
  sitesResponse,
  switchTenantBody,
} from "./auth.schemas";
import {
  listSites,
  login,
  logout,
  me,
  type PublicContext,
  refresh,
  register,
  switchTenant,
} from "./auth.service";

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
  )
  .post(
    "/refresh",
    describe({
      summary: "Rotate a refresh token",
      description:
        'The refresh token in `{"refresh_token"}` or as `Authorization: Bearer rt_…`. Every use returns a new pair; reusing a rotated token revokes its whole session (a retry within 30 s whose new token was never used is answered instead).',
      tags: ["auth"],
      responses: { 200: { description: "A new token pair", schema: loginResponse } },
      errors: ["AUTHENTICATION_ERROR"],
    }),
    validate("header", refreshHeaders),
    validate("json", refreshBody, { optionalBody: true }),
    async (c) => {
      const bearer = /^Bearer (rt_[A-Za-z0-9_-]+)$/.exec(c.req.valid("header").authorization ?? "")?.[1];
      const token = c.req.valid("json").refresh_token ?? bearer;
      if (!token)
        throw ApiError.validation("refresh_token is required", [
          { field: "refresh_token", message: "Required" },
        ]);
      c.header("Cache-Control", "no-store");
      return c.json({ data: await refresh(publicContext(c), token) });
    },
  )
  .post(
    "/logout",
    describe({
      summary: "Log out",
      description: "Revokes this login's refresh tokens and the access token itself (until it would expire).",
      tags: ["auth"],
      auth: true,
      responses: { 204: { description: "Logged out" } },
    }),
    authenticate,
    async (c) => {
      await logout(publicContext(c), c.env.KV, c.get("auth"));
      return c.body(null, 204);
    },
  )
  .post(
    "/register",
    describe({
      summary: "Register a tenant and its owner",
      description:
        "Public sign-up: creates the tenant (unique `subdomain`, else one derived from the name), its default roles and its owner, and logs the owner in.",
      tags: ["auth"],
      responses: { 201: { description: "The owner's session", schema: loginResponse } },
      errors: ["CONFLICT"],
    }),
    validate("json", registerBody),
    async (c) => {
      c.header("Cache-Control", "no-store");
      return c.json({ data: await register(publicContext(c), c.req.valid("json")) }, 201);
    },
  )
  .get(
    "/sites",
    describe({
      summary: "My sites (tenants) with my roles",
      tags: ["auth"],
      auth: true,
      responses: {
        200: {
          description: "Every active membership; the token's tenant is `is_active`",
          schema: sitesResponse,
        },
      },
    }),
    authenticate,
    async (c) => c.json({ data: await listSites(c.get("db"), c.get("auth")) }),
  )
  .on(
    "POST",
    ["/switch-tenant", "/site"],
    describe({
      summary: "Switch the active tenant (site)",
      description:
        "`{tenant_id}` (or seed 001's `{site_id}`; both paths accept either). Returns a new session for that tenant and ends the current one.",
      tags: ["auth"],
      auth: true,
      responses: { 200: { description: "A session in the chosen tenant", schema: loginResponse } },
    }),
    authenticate,
    validate("json", switchTenantBody),
    async (c) => {
      const body = c.req.valid("json");
      const tenantId = body.tenant_id ?? body.site_id ?? "";
      c.header("Cache-Control", "no-store");
      return c.json({ data: await switchTenant(publicContext(c), c.env.KV, c.get("auth"), tenantId) });
    },
  );
