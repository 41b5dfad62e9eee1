import type { UploadTarget } from "./policy";

/**
 * HMAC-SHA256 signatures of the Worker's own upload and download URLs (mode b). The key is derived
 * from the configured secret under a label of its own, so a signature made here means nothing
 * anywhere else (tokens, password resets) and vice versa.
 */

const KEY_LABEL = "sales-sync-edge/upload-url/v1";
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

async function deriveKey(secret: string): Promise<CryptoKey> {
  const master = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const derived = await crypto.subtle.sign("HMAC", master, encoder.encode(KEY_LABEL));
  return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** One derived key per secret and isolate. */
function signingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = deriveKey(secret);
    keys.set(secret, key);
    key.catch(() => keys.delete(secret));
  }
  return key;
}

/**
 * What a signature covers. An upload (PUT) signature binds the content type and the size limit;
 * a download (GET) signature binds neither; the method is part of both, so a download URL can
 * never be replayed as an upload URL.
 */
export interface SignedGrant extends UploadTarget {
  method: "PUT" | "GET";
  /** PUT only: the one content type the upload may carry. */
  contentType?: string;
  /** PUT only: the most bytes the upload may carry. */
  maxBytes?: number;
  /** Unix seconds after which the URL is refused. */
  expires: number;
}

function payload(g: SignedGrant): Uint8Array {
  return encoder.encode(
    [g.method, g.kind, g.tenantId, g.id, g.contentType ?? "", g.maxBytes ?? "", g.expires].join("\n"),
  );
}

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The 32 bytes of a signature, only from their canonical encoding: the 43rd character carries two
 * unused bits, and a URL differing only there must not verify as the same signature.
 */
function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return toBase64Url(bytes.buffer) === text ? bytes : undefined;
}

/** The URL-safe signature (43 characters) of a grant. */
export async function signGrant(secret: string, grant: SignedGrant): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await signingKey(secret), payload(grant)));
}

/** Whether `signature` was made for exactly this grant (a constant-time comparison). */
export async function verifyGrant(secret: string, grant: SignedGrant, signature: string): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  return crypto.subtle.verify("HMAC", await signingKey(secret), bytes, payload(grant));
}
