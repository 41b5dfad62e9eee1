/**
 * Password hashing with WebCrypto PBKDF2-SHA256 and a versioned hash string
 * `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`, so parameters can change without breaking
 * stored hashes. Cloudflare's production runtime rejects more than 100,000 iterations, so that is
 * both the default and the cap.
 *
 * Legacy bcrypt hashes (`$2a$`, `$2b$`, `$2y$`, imported from the Flask systems) still verify and
 * always report `needsRehash`, so the next successful login stores a PBKDF2 hash instead.
 */
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PBKDF2_ITERATIONS = PBKDF2_MAX_ITERATIONS;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const PREFIX = "pbkdf2-sha256";

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1..${PBKDF2_MAX_ITERATIONS}`);
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${PREFIX}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export interface PasswordCheck {
  valid: boolean;
  /** The stored hash uses an older algorithm or parameters: store a fresh hash after login. */
  needsRehash: boolean;
}

/** `$2a$`, `$2b$` or `$2y$` + two-digit cost + 53 characters of salt and hash. */
const BCRYPT_RE = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;

/** True for a bcrypt hash string this module can verify (and will ask to re-hash). */
export function isLegacyBcryptHash(stored: string): boolean {
  return BCRYPT_RE.test(stored);
}

/**
 * bcryptjs is loaded only when a legacy hash is met, so PBKDF2 users never pay for it. bcrypt
 * reads at most 72 bytes of the password, exactly as the systems that produced these hashes did.
 */
async function verifyBcrypt(password: string, stored: string): Promise<PasswordCheck> {
  const bcrypt = await import("bcryptjs");
  const valid = await bcrypt.compare(password, stored);
  return { valid, needsRehash: valid };
}

/** Verifies against a stored PBKDF2 (or legacy bcrypt) hash string. Unknown formats never verify. */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  if (stored.startsWith("$2")) {
    return isLegacyBcryptHash(stored) ? verifyBcrypt(password, stored) : { valid: false, needsRehash: false };
  }
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== PREFIX) return { valid: false, needsRehash: false };
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    return { valid: false, needsRehash: false };
  }
  const expected = fromBase64(parts[3] ?? "");
  const actual = await derive(password, fromBase64(parts[2] ?? ""), iterations);
  const valid = timingSafeEqual(actual, expected);
  return { valid, needsRehash: valid && iterations !== PBKDF2_ITERATIONS };
}
