// A CPU profile of the Worker under load, through workerd's V8 inspector (Chrome DevTools
// Protocol): sample while a scenario runs, then list where the time went (self time per function,
// and time inside each of the app's source files). The raw profile is written as .cpuprofile
// (open it in Chrome DevTools or speedscope).
import WebSocket from "ws";

/** The inspector's debugger URL of the worker named `name`. */
async function debuggerUrl(inspectorPort, name) {
  const res = await fetch(`http://127.0.0.1:${inspectorPort}/json`);
  const targets = await res.json();
  const target = targets.find((t) => t.id === `core:user:${name}`) ?? targets[0];
  if (!target) throw new Error("no inspector target");
  return target.webSocketDebuggerUrl;
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let seq = 0;
    const pending = new Map();
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      const p = msg.id !== undefined ? pending.get(msg.id) : undefined;
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    ws.once("open", () =>
      resolve({
        send: (method, params = {}) =>
          new Promise((res, rej) => {
            const id = ++seq;
            pending.set(id, { resolve: res, reject: rej });
            ws.send(JSON.stringify({ id, method, params }));
          }),
        close: () => ws.close(),
      }),
    );
    ws.once("error", reject);
  });
}

/** Samples the worker's CPU while `work()` runs; returns the raw profile. */
export async function profileDuring(inspectorPort, workerName, work) {
  const cdp = await connect(await debuggerUrl(inspectorPort, workerName));
  try {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    await work();
    const { profile } = await cdp.send("Profiler.stop");
    return profile;
  } finally {
    cdp.close();
  }
}

/**
 * Where the sampled time went: the top `limit` functions by self time, and the share of all
 * samples spent in each source file of the bundle's sources map-less (by URL), as markdown.
 */
export function summarize(profile, limit = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.samples.length || 1;
  const self = new Map();
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const key =
      `${f.functionName || "(anonymous)"} ${f.url ? `${f.url.split("/").pop()}:${f.lineNumber + 1}` : ""}`.trim();
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  const lines = ["| self % | function (bundle line) |", "| ---: | --- |"];
  for (const [key, n] of rows) lines.push(`| ${((100 * n) / total).toFixed(1)} | \`${key}\` |`);
  return `${lines.join("\n")}\n`;
}
