function base64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** A new opaque refresh token: `rt_` + 256 random bits. Only its hash is stored. */
export function newRefreshToken(): string {
  return `rt_${base64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/**
 * The one successor of a refresh token: `rt_` + HMAC-SHA256(server key, token). Deterministic, so
 * a refresh that arrives twice (a duplicated request, a retry after a lost answer) yields the same
 * successor whichever answer the phone keeps; unguessable without the key and the old token.
 */
export async function successorRefreshToken(secret: string, token: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`refresh-successor:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(token));
  return `rt_${base64Url(new Uint8Array(mac))}`;
}

/** SHA-256 hex of a refresh token: what the database stores and looks up. */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Password-reset tokens are valid for 30 minutes, once. */
export const RESET_TOKEN_TTL_SECONDS = 30 * 60;

/** A new opaque password-reset token: `prt_` + 256 random bits. Only its SHA-256 is stored. */
export function newResetToken(): string {
  return `prt_${base64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** SHA-256 hex of a reset token (the same digest as refresh tokens). */
export const hashResetToken = hashRefreshToken;
