import type { AppContext } from "../../core/context";
import { ApiError } from "../../core/errors";
import { apiRouter, emptyResponse, jsonResponse, route } from "../../core/route";
import {
  changePasswordBody,
  forgotPasswordBody,
  forgotPasswordResponse,
  loginBody,
  loginResponse,
  meResponse,
  refreshBody,
  refreshHeaders,
  registerBody,
  resetPasswordBody,
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
import { changePassword, FORGOT_PASSWORD_MESSAGE, forgotPassword, resetPassword } from "./passwords.service";

function publicContext(c: AppContext): PublicContext {
  return {
    db: c.get("db"),
    config: c.get("config"),
    requestId: c.get("requestId"),
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 500) ?? null,
    limiters:
      c.get("config").AUTH_RATE_LIMITS === "off"
        ? undefined
        : { ip: c.env.AUTH_IP_LIMITER, account: c.env.AUTH_ACCOUNT_LIMITER, mail: c.env.AUTH_MAIL_LIMITER },
    kv: c.env.KV,
    outbox: c.env.OUTBOX,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
}

export const authRoutes = apiRouter()
  .openapi(
    route({
      method: "post",
      path: "/login",
      summary: "Log in",
      description:
        "Email (or `username`) and password; optional `tenant_id` picks the active tenant, otherwise the first. Answers the same 401 for an unknown email and a wrong password. Rate limited per client address and per email; 5 failures in 15 minutes lock the email (and many failures the address) for 1 minute, doubling with each further lockout up to 1 hour: 429 with `Retry-After`, for unknown emails too. A legacy bcrypt hash is upgraded to PBKDF2 on success.",
      tags: ["auth"],
      body: loginBody,
      responses: { 200: jsonResponse(loginResponse, "Tokens, user, active tenant and all the user's sites") },
      rateLimited: "Too many attempts, or the email or address is locked out (RATE_LIMITED)",
      errors: { 401: "Unknown email or wrong password (AUTHENTICATION_ERROR)" },
    }),
    async (c) => {
      c.header("Cache-Control", "no-store");
      return c.json({ data: await login(publicContext(c), c.req.valid("json")) }, 200);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me",
      summary: "The current user",
      tags: ["auth"],
      auth: true,
      responses: {
        200: jsonResponse(meResponse, "User, active tenant, roles, permissions, scope, sites"),
      },
    }),
    async (c) => c.json({ data: await me(c.get("db"), c.get("auth")) }, 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/refresh",
      summary: "Rotate a refresh token",
      description:
        'The refresh token in `{"refresh_token"}` or as `Authorization: Bearer rt_…`. Every use returns a new pair; reusing a rotated token revokes its whole session (a retry within 30 s whose new token was never used is answered instead).',
      tags: ["auth"],
      headers: refreshHeaders,
      body: refreshBody,
      optionalBody: true,
      responses: { 200: jsonResponse(loginResponse, "A new token pair") },
      errors: { 401: "Invalid or expired refresh token (AUTHENTICATION_ERROR)" },
    }),
    async (c) => {
      const bearer = /^Bearer (rt_[A-Za-z0-9_-]+)$/.exec(c.req.valid("header").authorization ?? "")?.[1];
      const token = c.req.valid("json").refresh_token ?? bearer;
      if (!token)
        throw ApiError.validation("refresh_token is required", [
          { field: "refresh_token", message: "Required" },
        ]);
      c.header("Cache-Control", "no-store");
      return c.json({ data: await refresh(publicContext(c), token) }, 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/logout",
      summary: "Log out",
      description: "Revokes this login's refresh tokens and the access token itself (until it would expire).",
      tags: ["auth"],
      auth: true,
      idempotent: false,
      responses: { 204: emptyResponse("Logged out") },
    }),
    async (c) => {
      await logout(publicContext(c), c.env.KV, c.get("auth"));
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/register",
      summary: "Register a tenant and its owner",
      description:
        "Public sign-up: creates the tenant (unique `subdomain`, else one derived from the name), its default roles and its owner, and logs the owner in.",
      tags: ["auth"],
      body: registerBody,
      responses: { 201: jsonResponse(loginResponse, "The owner's session") },
      errors: { 409: "The email is already registered, or the subdomain is taken (CONFLICT)" },
    }),
    async (c) => {
      c.header("Cache-Control", "no-store");
      return c.json({ data: await register(publicContext(c), c.req.valid("json")) }, 201);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/sites",
      summary: "My sites (tenants) with my roles",
      tags: ["auth"],
      auth: true,
      responses: {
        200: jsonResponse(sitesResponse, "Every active membership; the token's tenant is `is_active`"),
      },
    }),
    async (c) => c.json({ data: await listSites(c.get("db"), c.get("auth")) }, 200),
  );

/** `POST /switch-tenant` and seed 001's `POST /site`: the same operation under two paths. */
for (const path of ["/switch-tenant", "/site"] as const) {
  authRoutes.openapi(
    route({
      method: "post",
      path,
      summary: "Switch the active tenant (site)",
      description:
        "`{tenant_id}` (or seed 001's `{site_id}`; both paths accept either). Returns a new session for that tenant and ends the current one.",
      tags: ["auth"],
      auth: true,
      idempotent: false,
      body: switchTenantBody,
      responses: { 200: jsonResponse(loginResponse, "A session in the chosen tenant") },
      errors: { 404: "Site not found: the caller is no active member of that tenant (RESOURCE_NOT_FOUND)" },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const tenantId = body.tenant_id ?? body.site_id ?? "";
      c.header("Cache-Control", "no-store");
      return c.json({ data: await switchTenant(publicContext(c), c.env.KV, c.get("auth"), tenantId) }, 200);
    },
  );
}

authRoutes
  .openapi(
    route({
      method: "post",
      path: "/change-password",
      summary: "Change my password",
      description:
        "Checks `current_password`, stores `new_password` (same policy as registration), ends every other session of the user (all refresh tokens revoked, all access tokens void) and returns a fresh pair for this device. A wrong current password is a 400 on `current_password` and counts towards the lockout like a failed login.",
      tags: ["auth"],
      auth: true,
      idempotent: false,
      body: changePasswordBody,
      responses: { 200: jsonResponse(loginResponse, "A new session for this device") },
      rateLimited: "Too many attempts or locked out (RATE_LIMITED)",
    }),
    async (c) => {
      c.header("Cache-Control", "no-store");
      const session = await changePassword(publicContext(c), c.get("auth"), c.req.valid("json"));
      return c.json({ data: session }, 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/forgot-password",
      summary: "Request a password-reset link",
      description:
        "Always the same 202, whether or not the email is registered. For an active user a single-use reset token (valid 30 minutes, replacing any unused one) is created and a `password_reset` message is queued for delivery. Rate limited per client address and per email.",
      tags: ["auth"],
      body: forgotPasswordBody,
      responses: {
        202: jsonResponse(forgotPasswordResponse, "Accepted (the same answer for every email)"),
      },
      rateLimited: "Too many requests (RATE_LIMITED)",
    }),
    async (c) => {
      await forgotPassword(publicContext(c), c.req.valid("json"));
      c.header("Cache-Control", "no-store");
      return c.json({ data: { message: FORGOT_PASSWORD_MESSAGE } }, 202);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/reset-password",
      summary: "Set a new password with a reset token",
      description:
        "`token` from the reset link and `new_password` (same policy as registration). The token works once, within 30 minutes; an unknown, used or expired token is the same 400 on `token`. Every session of the user ends (refresh tokens revoked, access tokens void); log in with the new password. Rate limited per client address and per token.",
      tags: ["auth"],
      body: resetPasswordBody,
      responses: { 204: emptyResponse("Password changed; log in again") },
      rateLimited: "Too many attempts (RATE_LIMITED)",
    }),
    async (c) => {
      await resetPassword(publicContext(c), c.req.valid("json"));
      c.header("Cache-Control", "no-store");
      return c.body(null, 204);
    },
  );
