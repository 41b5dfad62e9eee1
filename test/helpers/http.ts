import { SELF } from "cloudflare:test";

export interface CallOptions {
  body?: unknown;
  /** Sent as-is (for malformed JSON, wrong content types, oversize bodies). */
  rawBody?: BodyInit;
  token?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

/** A request through the Worker's own fetch handler (SELF.fetch), as a client would send it. */
export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await SELF.fetch(`https://api.example.test${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json: json as T, text };
}

/** Round trips reported by `Server-Timing: db;dur=..;desc="N round trips"` (DB_TIMING is on in tests). */
export function roundTrips(headers: Headers): number {
  const match = /desc="(\d+) round trips"/.exec(headers.get("server-timing") ?? "");
  if (!match?.[1]) throw new Error("no Server-Timing db entry");
  return Number(match[1]);
}

export interface ErrorEnvelope {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
  request_id: string;
}
