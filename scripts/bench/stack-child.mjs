// The local database stack in its own process, so the load generator's event loop never delays
// the SQL-over-HTTP endpoint the Worker talks to. Started by run.mjs over IPC:
//   { databaseUrl?: string }  → starts the stack (PGlite in memory without a URL)
//   replies { ready: {...endpoints} } or { error: message }; stops on "stop", SIGTERM, SIGINT or when
//   the parent goes away.
import { startDbStack } from "../local-db/stack.mjs";

let stack;
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(code), 5000);
  timer.unref();
  try {
    await stack?.stop();
  } catch {}
  process.exit(code);
}

process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
process.on("disconnect", () => stop(0));
process.on("message", async (msg) => {
  if (msg === "stop") return stop(0);
  if (msg && typeof msg === "object" && "start" in msg) {
    try {
      stack = await startDbStack({ databaseUrl: msg.start.databaseUrl });
      process.send?.({
        ready: {
          backend: stack.backend,
          databaseUrl: stack.databaseUrl,
          sqlEndpoint: stack.sqlEndpoint,
          wsProxy: stack.wsProxy,
        },
      });
    } catch (err) {
      process.send?.({ error: err instanceof Error ? err.message : String(err) });
      stop(1);
    }
  }
});
