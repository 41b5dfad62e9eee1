// The production-like runtime for the benchmark, in its own process: the bundle `wrangler deploy`
// would upload (built by processes.mjs with `wrangler deploy --dry-run --outdir`), run by
// Miniflare in workerd with the bindings of wrangler.jsonc (local KV, R2, Queues, rate limits,
// static assets) — no dev proxy worker, no live reload, no per-request logging in Node. The bench
// talks to the Worker on a direct socket (Miniflare's `unsafeDirectSockets`): Miniflare's entry
// worker, which every request on its main port passes through in the same workerd process (about
// 0.2 ms of CPU per request on /api/health), is local plumbing production does not have. Static
// assets still answer there: with assets, the direct socket leads to the assets router, as in
// production. Started by processes.mjs over IPC:
//   { start: { appDir, bundle, vars, port, directPort } } → replies { ready: { port } } (the direct
//   socket's) or { error }
//   stops on "stop", SIGTERM, SIGINT or when the parent goes away.
import { join } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

let mf;
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(code), 5000);
  timer.unref();
  try {
    await mf?.dispose();
  } catch {}
  process.exit(code);
}

process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
process.on("disconnect", () => stop(0));
process.on("message", async (msg) => {
  if (msg === "stop") return stop(0);
  if (!msg || typeof msg !== "object" || !("start" in msg)) return;
  const { appDir, bundle, vars, port, directPort, inspectorPort } = msg.start;
  try {
    const { workerOptions } = unstable_getMiniflareWorkerOptions(join(appDir, "wrangler.jsonc"));
    mf = new Miniflare({
      host: "127.0.0.1",
      port,
      ...(inspectorPort ? { inspectorPort } : {}),
      log: new Log(LogLevel.WARN),
      cf: false,
      workers: [
        {
          ...workerOptions,
          name: "sales-sync-edge",
          modules: true,
          scriptPath: join(bundle, "index.js"),
          modulesRoot: bundle,
          bindings: { ...(workerOptions.bindings ?? {}), ...vars },
          unsafeDirectSockets: [{ host: "127.0.0.1", port: directPort }],
        },
      ],
    });
    await mf.ready;
    const url = await mf.unsafeGetDirectURL("sales-sync-edge");
    process.send?.({ ready: { port: Number(url.port) } });
  } catch (err) {
    process.send?.({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    stop(1);
  }
});
