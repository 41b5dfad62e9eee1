// WebSocket → TCP relay: the local stand-in for Neon's WebSocket proxy.
// Each WebSocket connection becomes one TCP connection to `?address=host:port` (loopback only)
// and raw Postgres wire bytes are piped both ways.
import { createRequire } from "node:module";
import net from "node:net";

// createRequire: vitest globalSetup may resolve `ws` with browser conditions (its stub has no server).
const { WebSocketServer } = createRequire(import.meta.url)("ws");

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const TERMINATE = 0x58; // 'X'

/**
 * Follows the client → server Postgres framing and reports when a Terminate message passes.
 * @neondatabase/serverless 1.2.0 never closes its WebSocket on Client.end(); real Postgres closes
 * TCP after Terminate but PGlite-socket does not, so the relay closes both ends itself.
 * @returns {(chunk: Buffer) => boolean}
 */
export function terminateDetector() {
  let startupDone = false;
  let acc = Buffer.alloc(0);
  return (chunk) => {
    acc = acc.length ? Buffer.concat([acc, chunk]) : chunk;
    for (;;) {
      if (!startupDone) {
        if (acc.length < 8) return false;
        const len = acc.readInt32BE(0);
        const code = acc.readInt32BE(4);
        if (acc.length < len) return false;
        acc = acc.subarray(len);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startupDone = true;
        continue;
      }
      if (acc.length < 5) return false;
      const type = acc[0];
      const len = acc.readInt32BE(1);
      if (acc.length < 1 + len) return false;
      acc = acc.subarray(1 + len);
      if (type === TERMINATE) return true;
    }
  };
}

/**
 * Starts the relay.
 * @param {{ port?: number, host?: string, defaultTarget: string }} options
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
export function startRelay({ port = 0, host = "127.0.0.1", defaultTarget }) {
  const wss = new WebSocketServer({ host, port, perMessageDeflate: false });
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", "http://relay");
    const address = url.searchParams.get("address") || defaultTarget;
    const idx = address.lastIndexOf(":");
    const targetHost = address.slice(0, idx).replace(/^\[|\]$/g, "");
    const targetPort = Number(address.slice(idx + 1));
    if (!LOOPBACK.has(targetHost) || !targetPort) {
      ws.close(1008, "target not allowed");
      return;
    }
    const sock = net.connect({ host: targetHost, port: targetPort });
    sock.setNoDelay(true);
    const pending = [];
    let open = false;
    const sawTerminate = terminateDetector();
    const closeBoth = () => {
      sock.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    sock.on("connect", () => {
      open = true;
      for (const b of pending) sock.write(b);
      pending.length = 0;
    });
    ws.on("message", (data) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (open) sock.write(buf);
      else pending.push(buf);
      if (sawTerminate(buf)) {
        if (open) sock.end();
        else sock.once("connect", () => sock.end());
        setTimeout(closeBoth, 50);
      }
    });
    sock.on("data", (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true });
    });
    sock.on("error", closeBoth);
    sock.on("close", closeBoth);
    ws.on("close", closeBoth);
    ws.on("error", closeBoth);
  });
  return new Promise((resolve, reject) => {
    wss.once("error", reject);
    wss.once("listening", () => {
      const addr = wss.address();
      resolve({
        port: typeof addr === "object" && addr ? addr.port : port,
        close: () =>
          new Promise((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}
