import { v7 } from "uuid";

/**
 * UUID version 7 (RFC 9562): 48-bit millisecond timestamp + random bits, from the `uuid` package,
 * which keeps ids of the same millisecond in order (a counter in the random bits) — workerd's
 * clock does not advance during a request, so every id a request makes shares one millisecond.
 * Time-ordered ids keep B-tree inserts append-mostly and make ids usable as keyset cursors.
 */
export function uuidv7(): string {
  return v7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any well-formed UUID (any version): ids from clients and older rows need not be v7. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
