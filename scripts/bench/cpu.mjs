// CPU time of the processes of the stack, from /proc/<pid>/stat (utime + stime, in clock ticks of
// 10 ms on Linux), so a scenario can report the CPU each process spent per request. Linux only:
// elsewhere every figure is null.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10;

/** `{ pid, ppid, comm, cpuMs }` of a live process, or null. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces: split after the last ")".
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    return {
      pid,
      ppid: Number(fields[1]),
      comm,
      cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    };
  } catch {
    return null;
  }
}

function allProcesses() {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map((name) => stat(Number(name)))
      .filter((p) => p !== null);
  } catch {
    return [];
  }
}

/** `root` and every process below it. */
function tree(root, processes) {
  const ids = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of processes) {
      if (!ids.has(p.pid) && ids.has(p.ppid)) {
        ids.add(p.pid);
        grew = true;
      }
    }
  }
  return processes.filter((p) => ids.has(p.pid));
}

/**
 * A snapshot of CPU per named part of the stack: each `groups` entry names a root pid (its whole
 * process tree is counted, split by command name, e.g. "worker: workerd", "worker: node") or, with
 * `comm`, every process of that command on the machine (the PostgreSQL server's backends).
 * `self` counts the pid alone, not its children.
 * @param {{ name: string, pid?: number, comm?: string, self?: boolean }[]} groups
 * @returns {Record<string, number>} CPU milliseconds so far, per "group: command"
 */
export function cpuSnapshot(groups) {
  const processes = allProcesses();
  const out = {};
  for (const g of groups) {
    const members = g.comm
      ? processes.filter((p) => p.comm === g.comm)
      : g.self
        ? processes.filter((p) => p.pid === g.pid)
        : g.pid
          ? tree(g.pid, processes)
          : [];
    for (const p of members) {
      const key = `${g.name}: ${p.comm}`;
      out[key] = (out[key] ?? 0) + p.cpuMs;
    }
  }
  return out;
}

/** CPU milliseconds per request of each part between two snapshots (parts that spent nothing are left out). */
export function cpuPerRequest(before, after, requests) {
  if (!requests) return {};
  const out = {};
  for (const [key, ms] of Object.entries(after)) {
    const spent = ms - (before[key] ?? 0);
    if (spent > 0) out[key] = Math.round((spent / requests) * 1000) / 1000;
  }
  return out;
}
